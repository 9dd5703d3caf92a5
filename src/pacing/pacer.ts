import type { Clock } from '../clock/index.js';
import type { EndpointId, VendorId } from '../catalog/index.js';
import type { RequestGate, RequestOutcome } from '../http/index.js';
import type { StateStore, VendorHealth } from '../state/index.js';
import { SlidingWindow } from './sliding-window.js';
import { BudgetExhausted, VendorFrozen } from './errors.js';

export interface VendorLimits {
  /** Requests per minute (sliding 60 s window). */
  rpm: number;
  /** Minimum spacing between two requests, e.g. 12 s for Polygon's 5/min: never burst. */
  minIntervalMs?: number;
  /** Requests per budget day; undefined = unlimited. */
  dailyBudget?: number;
}

export interface CircuitOptions {
  /** Consecutive network-class failures that open the circuit. */
  threshold: number;
  freezeMs: number;
}

export interface PacerOptions {
  clock: Clock;
  state: StateStore;
  limits: Partial<Record<VendorId, VendorLimits>>;
  circuit?: CircuitOptions;
  /** Freeze applied after a 429 that named no reset time. */
  defaultRateLimitFreezeMs?: number;
  /** A freeze shorter than this is waited out inside acquire(); a longer one throws VendorFrozen. */
  maxInlineWaitMs?: number;
  /** Extra width on every window so we are never early against the vendor's own counter. */
  windowMarginMs?: number;
  onEvent?: (event: PacerEvent) => void;
}

export type PacerEvent =
  | { kind: 'frozen'; vendor: VendorId; untilMs: number; reason: string }
  | { kind: 'waiting'; vendor: VendorId; untilMs: number; why: 'rate' | 'freeze' };

export interface VendorPacingSnapshot {
  vendor: VendorId;
  inWindow: number;
  rpm: number;
  spentToday: number;
  dailyBudget: number | null;
  frozenUntilMs: number | null;
  frozenReason: string | null;
}

const MINUTE = 60_000;
const NETWORK_ERRORS = new Set(['Transient']);

/** Budget days are UTC calendar days; the reset is the next UTC midnight. */
export function budgetDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/**
 * The RequestGate every vendor client calls before each outbound request: one sliding window per
 * vendor, a persisted daily budget that counts every request exactly once (retries included), and
 * a freeze / circuit breaker fed by what each request's outcome was.
 */
export class Pacer implements RequestGate {
  private readonly windows = new Map<VendorId, SlidingWindow>();
  private readonly health = new Map<VendorId, VendorHealth>();
  private readonly queues = new Map<VendorId, Promise<void>>();
  private pendingWrites: Promise<unknown> = Promise.resolve();
  private readonly circuit: CircuitOptions;

  private constructor(private readonly options: PacerOptions) {
    this.circuit = options.circuit ?? { threshold: 5, freezeMs: 120_000 };
  }

  static async create(options: PacerOptions): Promise<Pacer> {
    const pacer = new Pacer(options);
    const now = options.clock.now();
    for (const [vendor, limits] of Object.entries(options.limits) as [VendorId, VendorLimits][]) {
      const window = new SlidingWindow({
        limit: limits.rpm,
        windowMs: MINUTE,
        minIntervalMs: limits.minIntervalMs ?? 0,
        marginMs: options.windowMarginMs ?? 1_000,
      });
      window.seed((await options.state.recentRequests(vendor, now - 2 * MINUTE)).filter((at) => at <= now));
      pacer.windows.set(vendor, window);
    }
    for (const health of await options.state.listVendorHealth()) pacer.health.set(health.vendor, health);
    return pacer;
  }

  /** Waits for a slot, then counts the request. Requests for one vendor are granted in FIFO order. */
  acquire(vendor: VendorId, endpoint: EndpointId, signal?: AbortSignal): Promise<void> {
    void endpoint;
    const previous = this.queues.get(vendor) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(() => this.grant(vendor, signal));
    this.queues.set(vendor, turn.catch(() => undefined));
    return turn;
  }

  settle(vendor: VendorId, endpoint: EndpointId, outcome: RequestOutcome): void {
    void endpoint;
    const now = this.options.clock.now();
    const current = this.health.get(vendor) ?? { vendor, frozenUntilMs: null, reason: null, consecutiveErrors: 0, updatedAtMs: now };
    let next: VendorHealth = current;
    if (outcome.error === 'RateLimited') {
      const until = outcome.resetAtMs ?? now + (outcome.retryAfterMs ?? this.options.defaultRateLimitFreezeMs ?? 65_000);
      next = { ...current, frozenUntilMs: until, reason: `rate limited by vendor (HTTP ${outcome.status ?? 429})`, consecutiveErrors: 0, updatedAtMs: now };
      this.options.onEvent?.({ kind: 'frozen', vendor, untilMs: until, reason: next.reason as string });
    } else if (outcome.error !== undefined && NETWORK_ERRORS.has(outcome.error)) {
      const errors = current.consecutiveErrors + 1;
      next = { ...current, consecutiveErrors: errors, updatedAtMs: now };
      if (errors >= this.circuit.threshold) {
        const until = now + this.circuit.freezeMs;
        next = { ...next, frozenUntilMs: until, reason: `circuit open after ${errors} consecutive network errors`, consecutiveErrors: 0 };
        this.options.onEvent?.({ kind: 'frozen', vendor, untilMs: until, reason: next.reason as string });
      }
    } else if (current.consecutiveErrors !== 0) {
      next = { ...current, consecutiveErrors: 0, updatedAtMs: now };
    } else {
      return;
    }
    this.health.set(vendor, next);
    this.pendingWrites = this.pendingWrites.then(() => this.options.state.setVendorHealth(next));
  }

  /** Waits for state writes queued by settle() (call before shutdown). */
  flush(): Promise<void> {
    return this.pendingWrites.then(() => undefined);
  }

  vendorHealth(vendor: VendorId): VendorHealth | undefined {
    return this.health.get(vendor);
  }

  async snapshot(): Promise<VendorPacingSnapshot[]> {
    const now = this.options.clock.now();
    const day = budgetDay(now);
    const out: VendorPacingSnapshot[] = [];
    for (const [vendor, window] of this.windows) {
      const limits = this.options.limits[vendor] as VendorLimits;
      const health = this.health.get(vendor);
      const frozen = health?.frozenUntilMs != null && health.frozenUntilMs > now;
      out.push({
        vendor,
        inWindow: window.inWindow(now),
        rpm: limits.rpm,
        spentToday: await this.options.state.getSpend(vendor, day),
        dailyBudget: limits.dailyBudget ?? null,
        frozenUntilMs: frozen ? (health?.frozenUntilMs ?? null) : null,
        frozenReason: frozen ? (health?.reason ?? null) : null,
      });
    }
    return out;
  }

  private async grant(vendor: VendorId, signal?: AbortSignal): Promise<void> {
    const { clock, state } = this.options;
    const limits = this.options.limits[vendor];
    const window = this.windows.get(vendor);
    if (!limits || !window) throw new RangeError(`${vendor}: no pacing limits configured`);
    for (;;) {
      const now = clock.now();
      const health = this.health.get(vendor);
      if (health?.frozenUntilMs != null && health.frozenUntilMs > now) {
        if (health.frozenUntilMs - now > (this.options.maxInlineWaitMs ?? 5 * MINUTE)) {
          throw new VendorFrozen(vendor, health.frozenUntilMs, health.reason ?? 'frozen');
        }
        this.options.onEvent?.({ kind: 'waiting', vendor, untilMs: health.frozenUntilMs, why: 'freeze' });
        await clock.sleep(health.frozenUntilMs - now, signal);
        continue;
      }
      const day = budgetDay(now);
      if (limits.dailyBudget !== undefined) {
        const spent = await state.getSpend(vendor, day);
        if (spent >= limits.dailyBudget) throw new BudgetExhausted(vendor, spent, limits.dailyBudget, nextUtcMidnight(now));
      }
      const at = window.nextAllowedAt(now);
      if (at > now) {
        this.options.onEvent?.({ kind: 'waiting', vendor, untilMs: at, why: 'rate' });
        await clock.sleep(at - now, signal);
        continue;
      }
      window.record(now);
      await state.recordRequest(vendor, day, now);
      return;
    }
  }
}
