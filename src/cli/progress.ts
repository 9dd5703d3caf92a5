import { systemClock, type Clock } from '../clock/index.js';
import type { VendorId } from '../catalog/index.js';
import type { PipelineEvent } from '../scheduler/index.js';
import type { CliIO } from './context.js';
import { createLogger, type Logger } from './log.js';

/** What a long command reports while it works; `createProgress` picks bars or structured logs. */
export interface Progress {
  /** Feeds the node loop's events (`runPipelineOnce({ onEvent })`). */
  onEvent: (event: PipelineEvent) => void;
  /** Starts a named phase of `total` steps (unknown when omitted); ends the previous one. */
  phase(name: string, total?: number, detail?: string): void;
  /** `n` steps of the current phase done, with `rows` produced. */
  tick(n?: number, rows?: number): void;
  /** Ends the last phase; `summary` fields go into the final log line. */
  finish(summary?: Record<string, unknown>): void;
}

export interface ProgressOptions {
  /** Draw redrawn bars (a terminal). Ignored with `json` or `quiet`. */
  tty: boolean;
  /** `--json`: stdout is machine output, so progress is structured logs on stderr, never bars. */
  json?: boolean;
  /** Print nothing at all. */
  quiet?: boolean;
  /** Logger for the non-terminal mode; default `createLogger(io, { secrets })`. */
  logger?: Logger;
  /** Extra secret values to mask (the demo's keys, which are not in the environment). */
  secrets?: readonly string[];
  /** Least wall time between two periodic `progress` lines (default 10 s). */
  logIntervalMs?: number;
  /** Wall clock, injectable so tests control the periodic lines. */
  wallNow?: () => number;
}

interface VendorProgress {
  /** Clock time of this vendor's first enqueued unit and its latest completion. */
  since: number | null;
  lastDone: number | null;
  queued: number;
  done: number;
  failed: number;
  deferred: number;
  rows: number;
  /** The wait last logged at info, so a burst of deferrals for the same reason is one line. */
  waitReason: string | null;
  waitUntil: number;
}

interface PhaseProgress {
  name: string;
  detail: string;
  total: number | null;
  done: number;
  rows: number;
  startedAt: number;
  startedWall: number;
  /** Vendor units done / failed when the phase started, for the phase's own counts. */
  unitsAtStart: { done: number; failed: number; rows: number };
}

type Mode = 'bars' | 'log' | 'silent';

const BAR_WIDTH = 24;
const DEFAULT_LOG_INTERVAL_MS = 10_000;

/** Progress for long commands: bars on a terminal, quiet JSON logs otherwise (see `Progress`). */
export function createProgress(io: CliIO, clock: Clock, options: ProgressOptions): Progress {
  return new ProgressDisplay(io, clock, options);
}

/**
 * On a terminal: one redrawn block on stderr (phase, a bar per vendor with counts, rate and ETA).
 * Otherwise: one JSON object a line on stderr (pino, level from TRADEML_LOG_LEVEL) for each
 * meaningful event — phase start and end with counts, units queued, a vendor starting to wait or
 * freezing, unit failures, a vendor's executor stopping — and a `progress` line with rates and ETAs
 * at most every `logIntervalMs` of wall time. Rates and ETAs are in the given clock's time (virtual
 * in the demo, and then labelled so).
 */
export class ProgressDisplay implements Progress {
  private readonly vendors = new Map<VendorId, VendorProgress>();
  private current: PhaseProgress | null = null;
  private drawnLines = 0;
  private lastDrawMs = 0;
  private lastLogMs: number;
  private readonly startedVirtualMs: number;
  private readonly wallNow: () => number;
  private readonly startedWallMs: number;
  private readonly mode: Mode;
  private readonly virtual: boolean;
  private readonly logger: Logger | undefined;
  private finished = false;

  constructor(
    private readonly io: CliIO,
    private readonly clock: Clock,
    private readonly options: ProgressOptions,
  ) {
    this.startedVirtualMs = clock.now();
    this.wallNow = options.wallNow ?? Date.now;
    this.startedWallMs = this.wallNow();
    this.lastLogMs = this.startedWallMs;
    this.mode = options.quiet ? 'silent' : options.tty && !options.json ? 'bars' : 'log';
    this.virtual = clock !== systemClock;
    this.logger = this.mode === 'log' ? (options.logger ?? createLogger(io, options.secrets ? { secrets: options.secrets } : {})) : undefined;
  }

  onEvent = (event: PipelineEvent): void => {
    if (this.mode === 'silent') return;
    switch (event.kind) {
      case 'phase':
        this.phase(event.phase, undefined, event.detail);
        return;
      case 'enqueued':
        for (const [vendor, n] of Object.entries(event.byVendor) as [VendorId, number][]) {
          const progress = this.vendor(vendor);
          progress.queued += n;
          progress.since ??= this.clock.now();
        }
        this.log('info', { event: 'units.enqueued', phase: event.phase, units: event.units, byVendor: event.byVendor }, `${event.phase}: ${event.units} new unit(s) queued${describeCounts(event.byVendor)}`);
        break;
      case 'done': {
        const p = this.vendor(event.vendor);
        p.done += 1;
        p.rows += event.result.rows;
        p.lastDone = this.clock.now();
        p.waitReason = null;
        this.log('debug', { event: 'unit.done', vendor: event.vendor, unit: event.unit.identity, rows: event.result.rows }, `${event.vendor}: ${event.unit.identity} done, ${event.result.rows} rows`);
        break;
      }
      case 'failed':
        this.vendor(event.vendor).failed += 1;
        this.log(
          event.permanent ? 'error' : 'warn',
          { event: 'unit.failed', vendor: event.vendor, unit: event.unit.identity, endpoint: event.unit.endpoint, permanent: event.permanent, error: event.error },
          `${event.vendor}: ${event.permanent ? 'gave up on' : 'will retry'} ${event.unit.identity}: ${event.error}`,
        );
        break;
      case 'deferred':
        this.onDeferred(event.vendor, event.untilMs, event.reason, event.unit.identity);
        break;
      case 'skipped':
        this.log('debug', { event: 'unit.skipped', vendor: event.vendor, unit: event.unit.identity, reason: event.reason }, `${event.vendor}: skipped ${event.unit.identity} (${event.reason})`);
        break;
      case 'claim_lost':
        this.log('warn', { event: 'unit.claim_lost', vendor: event.vendor, unit: event.unit.identity, step: event.step }, `${event.vendor}: lost the claim on ${event.unit.identity} at ${event.step}; another worker may run it`);
        break;
      case 'stopped': {
        const p = this.vendor(event.vendor);
        this.log(
          'info',
          { event: 'executor.stopped', vendor: event.vendor, reason: event.reason, ...this.vendorFigures(event.vendor) },
          `${event.vendor}: ${p.done}/${Math.max(p.queued, p.done)} units, ${p.rows} rows (${event.reason})`,
        );
        break;
      }
    }
    this.afterUpdate();
  };

  phase(name: string, total?: number, detail = ''): void {
    if (this.mode === 'silent') return;
    this.endPhase();
    const units = this.unitTotals();
    this.current = { name, detail, total: total ?? null, done: 0, rows: 0, startedAt: this.clock.now(), startedWall: this.wallNow(), unitsAtStart: units };
    this.log('info', { event: 'phase.start', phase: name, detail, ...(total === undefined ? {} : { total }) }, `${name}${detail ? `: ${detail}` : ''}`);
    if (this.mode === 'bars') this.draw(false);
  }

  tick(n = 1, rows = 0): void {
    if (this.mode === 'silent' || !this.current) return;
    this.current.done += n;
    this.current.rows += rows;
    this.afterUpdate();
  }

  finish(summary: Record<string, unknown> = {}): void {
    if (this.mode === 'silent' || this.finished) return;
    this.finished = true;
    this.endPhase();
    if (this.mode === 'bars') this.draw(true);
    const wallMs = this.wallNow() - this.startedWallMs;
    this.log('info', { event: 'finished', ...summary, ...this.unitTotals(), wallMs, ...(this.virtual ? { virtualElapsedMs: this.clock.now() - this.startedVirtualMs } : {}) }, `finished in ${(wallMs / 1000).toFixed(1)} s`);
  }

  /** A burst of deferrals for one reason is one info line; each later one is debug. */
  private onDeferred(vendor: VendorId, untilMs: number, reason: string, unit: string): void {
    const p = this.vendor(vendor);
    p.deferred += 1;
    const fresh = p.waitReason !== reason || untilMs > p.waitUntil + 60_000;
    // A freeze or a vendor's 429 means something went wrong (our pacing should prevent both); a
    // spent budget or the forward reserve is the plan working.
    const kind = /frozen|circuit/i.test(reason) ? 'frozen' : /rate limited/i.test(reason) ? 'rate_limited' : 'wait';
    this.log(
      fresh ? (kind === 'wait' ? 'info' : 'warn') : 'debug',
      { event: `vendor.${kind}`, vendor, until: new Date(untilMs).toISOString(), reason, unit },
      `${vendor}: ${kind === 'frozen' ? 'frozen' : 'waiting'} until ${new Date(untilMs).toISOString()} (${reason})`,
    );
    if (fresh) {
      p.waitReason = reason;
      p.waitUntil = untilMs;
    }
  }

  private afterUpdate(): void {
    if (this.mode === 'bars') this.draw(false);
    else if (this.mode === 'log' && this.wallNow() - this.lastLogMs >= (this.options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS)) this.logProgress();
  }

  private logProgress(): void {
    this.lastLogMs = this.wallNow();
    const vendors = [...this.vendors.keys()].sort().map((vendor) => ({ vendor, ...this.vendorFigures(vendor) }));
    // A phase's own figures only when it has a size (`phase(name, total)`): pipeline phases count in units per vendor.
    const phase = this.current ? { phase: this.current.name, ...(this.current.total === null ? {} : this.phaseFigures(this.current)) } : {};
    const parts = vendors.map((v) => `${v.vendor} ${v.done}/${v.total}${v.etaMinutes === null ? '' : ` ETA ${formatMinutes(v.etaMinutes)}`}`);
    if (this.current?.total != null) parts.unshift(`${this.current.name} ${this.current.done}/${this.current.total}`);
    this.log('info', { event: 'progress', ...phase, vendors }, `progress: ${parts.join('; ') || 'working'}`);
  }

  private endPhase(): void {
    const phase = this.current;
    if (!phase) return;
    this.current = null;
    const now = this.unitTotals();
    const units = { unitsDone: now.done - phase.unitsAtStart.done, unitsFailed: now.failed - phase.unitsAtStart.failed, rows: now.rows - phase.unitsAtStart.rows + phase.rows };
    const durationMs = this.clock.now() - phase.startedAt;
    this.log(
      'info',
      { event: 'phase.end', phase: phase.name, ...(phase.total === null ? {} : { total: phase.total, done: phase.done }), ...units, durationMs, wallMs: this.wallNow() - phase.startedWall },
      `${phase.name} done: ${units.unitsDone} unit(s), ${units.unitsFailed} failed, ${units.rows} rows in ${formatMinutes(durationMs / 60_000)}${this.virtual ? ' virtual' : ''}`,
    );
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string): void {
    if (!this.logger) return;
    this.logger[level](this.virtual ? { ...fields, virtualTime: new Date(this.clock.now()).toISOString() } : fields, message);
  }

  private vendor(vendor: VendorId): VendorProgress {
    let progress = this.vendors.get(vendor);
    if (!progress) {
      progress = { since: null, lastDone: null, queued: 0, done: 0, failed: 0, deferred: 0, rows: 0, waitReason: null, waitUntil: 0 };
      this.vendors.set(vendor, progress);
    }
    return progress;
  }

  private unitTotals(): { done: number; failed: number; rows: number } {
    let done = 0;
    let failed = 0;
    let rows = 0;
    for (const p of this.vendors.values()) {
      done += p.done;
      failed += p.failed;
      rows += p.rows;
    }
    return { done, failed, rows };
  }

  /** Counts, rate (units per minute of clock time) and ETA (minutes) of one vendor. */
  private vendorFigures(vendor: VendorId): { done: number; total: number; failed: number; deferred: number; rows: number; ratePerMin: number; etaMinutes: number | null } {
    const p = this.vendor(vendor);
    const total = Math.max(p.queued, p.done);
    const remaining = Math.max(0, total - p.done);
    // Rate over the vendor's own active span, so a vendor that finished early keeps the rate it ran
    // at instead of decaying towards zero.
    const end = remaining > 0 ? this.clock.now() : (p.lastDone ?? this.clock.now());
    const elapsedMin = (end - (p.since ?? this.startedVirtualMs)) / 60_000;
    const ratePerMin = elapsedMin > 0 ? p.done / elapsedMin : 0;
    const etaMinutes = ratePerMin > 0 && remaining > 0 ? remaining / ratePerMin : null;
    return { done: p.done, total, failed: p.failed, deferred: p.deferred, rows: p.rows, ratePerMin: round(ratePerMin), etaMinutes: etaMinutes === null ? null : round(etaMinutes) };
  }

  private phaseFigures(phase: PhaseProgress): { done: number; total: number | null; ratePerMin: number; etaMinutes: number | null } {
    const elapsedMin = (this.clock.now() - phase.startedAt) / 60_000;
    const ratePerMin = elapsedMin > 0 ? phase.done / elapsedMin : 0;
    const remaining = phase.total === null ? 0 : Math.max(0, phase.total - phase.done);
    return { done: phase.done, total: phase.total, ratePerMin: round(ratePerMin), etaMinutes: ratePerMin > 0 && remaining > 0 ? round(remaining / ratePerMin) : null };
  }

  private bar(done: number, total: number): string {
    const filled = total === 0 ? BAR_WIDTH : Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
    return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  }

  private vendorLine(vendor: VendorId): string {
    const f = this.vendorFigures(vendor);
    const eta = f.etaMinutes === null ? '' : ` · ETA ${formatMinutes(f.etaMinutes)}${this.virtual ? ' virtual' : ''}`;
    const pace = f.total === f.done && f.ratePerMin === 0 ? 'done at once' : `${f.ratePerMin.toFixed(1)} units/min`;
    const extra = `${f.failed ? ` · ${f.failed} failed` : ''}${f.deferred ? ` · ${f.deferred} deferred` : ''}`;
    return `${this.bar(f.done, f.total)} ${f.done}/${f.total} units · ${f.rows.toLocaleString('en-US')} rows · ${pace}${eta}${extra}`;
  }

  private phaseLine(phase: PhaseProgress): string | null {
    if (phase.total === null) return null;
    const f = this.phaseFigures(phase);
    const eta = f.etaMinutes === null ? '' : ` · ETA ${formatMinutes(f.etaMinutes)}${this.virtual ? ' virtual' : ''}`;
    return `  ${this.bar(phase.done, phase.total)} ${phase.done}/${phase.total} · ${f.ratePerMin.toFixed(1)}/min${eta}`;
  }

  private clockText(): string {
    return new Date(this.clock.now()).toISOString().replace('T', ' ').slice(0, 19);
  }

  private draw(force: boolean): void {
    const now = this.wallNow();
    if (!force && now - this.lastDrawMs < 80) return;
    this.lastDrawMs = now;
    const phase = this.current ? `${this.current.name}${this.current.detail ? `: ${this.current.detail}` : ''}` : 'done';
    const phaseLine = this.current ? this.phaseLine(this.current) : null;
    const lines = [
      `${this.virtual ? 'virtual ' : ''}${this.clockText()}Z · wall ${((now - this.startedWallMs) / 1000).toFixed(1)} s · ${phase}`,
      ...(phaseLine ? [phaseLine] : []),
      ...[...this.vendors.keys()].sort().map((vendor) => `  ${vendor.padEnd(8)} ${this.vendorLine(vendor)}`),
    ];
    // Move up over the previous block and clear what is left below it (the block may shrink).
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
    this.io.stderr(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n\x1b[0J`);
    this.drawnLines = lines.length;
  }
}

function describeCounts(byVendor: Partial<Record<VendorId, number>>): string {
  const parts = Object.entries(byVendor).map(([v, n]) => `${v} ${n}`);
  return parts.length === 0 ? '' : ` (offered: ${parts.join(', ')})`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${minutes.toFixed(0)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}
