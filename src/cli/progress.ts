import type { Clock } from '../clock/index.js';
import type { VendorId } from '../catalog/index.js';
import type { PipelineEvent } from '../scheduler/index.js';
import type { CliIO } from './context.js';

interface VendorProgress {
  /** Virtual time of this vendor's first enqueued unit and its latest completion. */
  since: number | null;
  lastDone: number | null;
  queued: number;
  done: number;
  failed: number;
  deferred: number;
  rows: number;
}

const BAR_WIDTH = 24;

/**
 * Progress for long commands. On a terminal: one redrawn block (phase, a bar per vendor with counts,
 * rate and ETA in virtual time). Otherwise: a plain line per phase and per vendor milestone, so logs
 * stay short and greppable.
 */
export class ProgressDisplay {
  private readonly vendors = new Map<VendorId, VendorProgress>();
  private phase = 'starting';
  private drawnLines = 0;
  private lastDrawMs = 0;
  private readonly startedVirtualMs: number;
  private readonly startedWallMs = Date.now();

  constructor(
    private readonly io: CliIO,
    private readonly clock: Clock,
    private readonly options: { tty: boolean; quiet?: boolean },
  ) {
    this.startedVirtualMs = clock.now();
  }

  onEvent = (event: PipelineEvent): void => {
    if (this.options.quiet) return;
    switch (event.kind) {
      case 'phase':
        this.phase = `${event.phase}: ${event.detail}`;
        if (!this.options.tty) this.io.stderr(`[${this.virtualClock()}] ${this.phase}\n`);
        break;
      case 'enqueued':
        for (const [vendor, n] of Object.entries(event.byVendor) as [VendorId, number][]) {
          const progress = this.vendor(vendor);
          progress.queued += n;
          progress.since ??= this.clock.now();
        }
        break;
      case 'done':
        this.vendor(event.vendor).done += 1;
        this.vendor(event.vendor).rows += event.result.rows;
        this.vendor(event.vendor).lastDone = this.clock.now();
        break;
      case 'failed':
        this.vendor(event.vendor).failed += 1;
        if (!this.options.tty) this.io.stderr(`[${this.virtualClock()}] ${event.vendor}: ${event.permanent ? 'gave up on' : 'will retry'} ${event.unit.identity}: ${event.error}\n`);
        break;
      case 'deferred':
        this.vendor(event.vendor).deferred += 1;
        break;
      case 'stopped':
        if (!this.options.tty) this.io.stderr(`[${this.virtualClock()}] ${event.vendor}: ${this.line(event.vendor)} (${event.reason})\n`);
        break;
    }
    if (this.options.tty) this.draw(false);
  };

  finish(): void {
    if (this.options.tty && !this.options.quiet) this.draw(true);
  }

  private vendor(vendor: VendorId): VendorProgress {
    let progress = this.vendors.get(vendor);
    if (!progress) {
      progress = { since: null, lastDone: null, queued: 0, done: 0, failed: 0, deferred: 0, rows: 0 };
      this.vendors.set(vendor, progress);
    }
    return progress;
  }

  private line(vendor: VendorId): string {
    const p = this.vendor(vendor);
    const total = Math.max(p.queued, p.done);
    const remaining = Math.max(0, total - p.done);
    // Rate over the vendor's own active span (virtual time), so a vendor that finished early
    // keeps the rate it ran at instead of decaying towards zero.
    const end = remaining > 0 ? this.clock.now() : (p.lastDone ?? this.clock.now());
    const elapsedMin = (end - (p.since ?? this.startedVirtualMs)) / 60_000;
    const rate = elapsedMin > 0 ? p.done / elapsedMin : 0;
    const eta = rate > 0 && remaining > 0 ? ` · ETA ${formatMinutes(remaining / rate)} virtual` : '';
    const pace = remaining === 0 && elapsedMin <= 0 ? 'done at once' : `${rate.toFixed(1)} units/min`;
    const filled = total === 0 ? BAR_WIDTH : Math.round((p.done / total) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const extra = `${p.failed ? ` · ${p.failed} failed` : ''}${p.deferred ? ` · ${p.deferred} deferred` : ''}`;
    return `${bar} ${p.done}/${total} units · ${p.rows.toLocaleString('en-US')} rows · ${pace}${eta}${extra}`;
  }

  private virtualClock(): string {
    return new Date(this.clock.now()).toISOString().replace('T', ' ').slice(0, 19);
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDrawMs < 80) return;
    this.lastDrawMs = now;
    const lines = [
      `virtual ${this.virtualClock()}Z · wall ${((now - this.startedWallMs) / 1000).toFixed(1)} s · ${this.phase}`,
      ...[...this.vendors.keys()].sort().map((vendor) => `  ${vendor.padEnd(8)} ${this.line(vendor)}`),
    ];
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
    this.io.stderr(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}

export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${minutes.toFixed(0)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}
