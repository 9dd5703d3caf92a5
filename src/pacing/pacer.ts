import type { Clock } from '../clock/index.js';
import type { EndpointId, VendorId } from '../catalog/index.js';
import type { RequestGate, RequestOutcome } from '../http/index.js';
import type { StateStore, UnitOrigin, VendorHealth } from '../state/index.js';
import { budgetWindows, nextUtcMidnight, spentToday } from './budget-windows.js';
import { BudgetExhausted, VendorFrozen } from './errors.js';
import { currentRequestOrigin } from './origin.js';

export interface VendorLimits {
  /** Requests per minute (sliding 60 s window). */
  rpm: number;
  /** Minimum spacing between two requests, e.g. 12 s for Polygon's 5/min: never burst. */
  minIntervalMs?: number;
  /** Requests per budget day, every origin together; undefined = unlimited. */
  dailyBudget?: number;
  /**
   * Requests per budget day that backfill units may spend: min(backfill.yml budget, dailyBudget ×
   * (1 − forward reserve)). The rest is kept for forward, reference and smoke work until the
   * reserve is released before the reset. Undefined = backfill may spend the whole dailyBudget.
   */
  backfillBudget?: number;
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
  /**
   * The forward reserve is released progressively over this span before the budget day's reset,
   * so quota forward work did not use is spent on backfill instead of lost. @default 3600000 (the last hour)
   */
  reserveReleaseMs?: number;
  /** How often a vendor's freeze is re-read from the state store, to see freezes other workers set. @default 30000 */
  healthRefreshMs?: number;
  onEvent?: (event: PacerEvent) => void;
}

export type PacerEvent =
  | { kind: 'frozen'; vendor: VendorId; untilMs: number; reason: string }
  | { kind: 'waiting'; vendor: VendorId; untilMs: number; why: 'rate' | 'interval' | 'freeze' };

export interface VendorPacingSnapshot {
  vendor: VendorId;
  inWindow: number;
  rpm: number;
  spentToday: number;
  dailyBudget: number | null;
  /** What backfill may spend today at this instant (its share, plus any released reserve); null = no cap. */
  backfillAllowance: number | null;
  frozenUntilMs: number | null;
  frozenReason: string | null;
}

const MINUTE = 60_000;
const NETWORK_ERRORS = new Set(['Transient']);


/** The daily cap that applies to one request, and when a request it refuses may try again. */
export interface BudgetCap {
  cap: number;
  scope: 'daily' | 'backfill';
  /** Next instant the cap can admit one more request than `spent`, given nobody else spends. */
  retryAtMs(spent: number): number;
}

/**
 * The forward reserve: backfill units may spend `backfillBudget`, everything else the whole
 * `dailyBudget`. Over the last `releaseMs` before the reset the backfill cap rises linearly to the
 * whole budget, so a reserve forward work did not need is not wasted. Undefined = no daily cap.
 */
export function budgetCapFor(limits: VendorLimits, origin: UnitOrigin | undefined, nowMs: number, releaseMs: number): BudgetCap | undefined {
  const daily = limits.dailyBudget;
  if (daily === undefined) return undefined;
  const resetAtMs = nextUtcMidnight(nowMs);
  const whole: BudgetCap = { cap: daily, scope: 'daily', retryAtMs: () => resetAtMs };
  const share = limits.backfillBudget;
  if (origin !== 'backfill' || share === undefined || share >= daily) return whole;
  const releaseStart = resetAtMs - Math.max(0, releaseMs);
  const released = (at: number): number => (releaseMs <= 0 || at < releaseStart ? 0 : Math.floor(((daily - share) * (at - releaseStart)) / releaseMs));
  const cap = Math.min(daily, share + released(nowMs));
  return {
    cap,
    scope: 'backfill',
    retryAtMs: (spent) => {
      if (spent >= daily || releaseMs <= 0) return resetAtMs;
      // The first instant share + released(t) > spent.
      const at = releaseStart + Math.ceil(((spent - share + 1) * releaseMs) / (daily - share));
      return Math.min(resetAtMs, Math.max(nowMs + 1, at));
    },
  };
}

/**
 * The RequestGate every vendor client calls before each outbound request. Rate window, spacing and
 * daily budget live in the state store and are checked and spent in one store transaction
 * (`reserveRequest`), so every worker process sharing the store shares one set of limits; each
 * request (retries included) is counted exactly once. Backfill requests (origin from
 * `withRequestOrigin`) stop at their share of the budget; freezes and the circuit breaker are fed
 * by each request's outcome.
 */
export class Pacer implements RequestGate {
  private readonly health = new Map<VendorId, VendorHealth>();
  private readonly healthReadAt = new Map<VendorId, number>();
  private readonly queues = new Map<VendorId, Promise<void>>();
  private pendingWrites: Promise<unknown> = Promise.resolve();
  private readonly circuit: CircuitOptions;

  private constructor(private readonly options: PacerOptions) {
    this.circuit = options.circuit ?? { threshold: 5, freezeMs: 120_000 };
  }

  static async create(options: PacerOptions): Promise<Pacer> {
    const pacer = new Pacer(options);
    for (const [vendor, limits] of Object.entries(options.limits) as [VendorId, VendorLimits][]) {
      if (!(limits.rpm >= 1)) throw new RangeError(`${vendor}: rpm must be a number >= 1, got ${limits.rpm}`);
    }
    const now = options.clock.now();
    for (const health of await options.state.listVendorHealth()) {
      pacer.health.set(health.vendor, health);
      pacer.healthReadAt.set(health.vendor, now);
    }
    return pacer;
  }

  /** Waits for a slot, then counts the request. Requests for one vendor are granted in FIFO order. */
  acquire(vendor: VendorId, endpoint: EndpointId, signal?: AbortSignal): Promise<void> {
    void endpoint;
    const origin = currentRequestOrigin();
    const previous = this.queues.get(vendor) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(() => this.grant(vendor, origin, signal));
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
    const out: VendorPacingSnapshot[] = [];
    const span = this.windowMs();
    for (const [vendor, limits] of Object.entries(this.options.limits) as [VendorId, VendorLimits][]) {
      const health = this.health.get(vendor);
      const frozen = health?.frozenUntilMs != null && health.frozenUntilMs > now;
      const recent = await this.options.state.recentRequests(vendor, now - span);
      out.push({
        vendor,
        inWindow: recent.filter((at) => at > now - span && at <= now).length,
        rpm: limits.rpm,
        spentToday: await spentToday(this.options.state, vendor, now),
        dailyBudget: limits.dailyBudget ?? null,
        backfillAllowance: budgetCapFor(limits, 'backfill', now, this.releaseMs())?.cap ?? null,
        frozenUntilMs: frozen ? (health?.frozenUntilMs ?? null) : null,
        frozenReason: frozen ? (health?.reason ?? null) : null,
      });
    }
    return out;
  }

  private async grant(vendor: VendorId, origin: UnitOrigin | undefined, signal?: AbortSignal): Promise<void> {
    const { clock, state } = this.options;
    const limits = this.options.limits[vendor];
    if (!limits) throw new RangeError(`${vendor}: no pacing limits configured`);
    for (;;) {
      signal?.throwIfAborted();
      const now = clock.now();
      const health = await this.currentHealth(vendor, now);
      if (health?.frozenUntilMs != null && health.frozenUntilMs > now) {
        if (health.frozenUntilMs - now > (this.options.maxInlineWaitMs ?? 5 * MINUTE)) {
          throw new VendorFrozen(vendor, health.frozenUntilMs, health.reason ?? 'frozen');
        }
        this.options.onEvent?.({ kind: 'waiting', vendor, untilMs: health.frozenUntilMs, why: 'freeze' });
        await clock.sleep(health.frozenUntilMs - now, signal);
        continue;
      }
      const budget = budgetCapFor(limits, origin, now, this.releaseMs());
      const [utcDay, newYorkDay] = budgetWindows(now);
      const result = await state.reserveRequest({
        vendor,
        day: utcDay.key,
        extraDays: [newYorkDay.key],
        atMs: now,
        windowMs: this.windowMs(),
        rpm: limits.rpm,
        minIntervalMs: limits.minIntervalMs ?? 0,
        dailyLimit: budget?.cap,
      });
      if (result.granted) return;
      if (result.reason === 'budget') {
        const cap = budget as BudgetCap;
        // A slot frees only when every full counter has turned over; a backfill share may also rise before it.
        const resetAtMs = Math.max(...[utcDay, newYorkDay].filter((w) => result.fullDays.includes(w.key)).map((w) => w.resetAtMs));
        const retryAtMs = cap.scope === 'daily' ? resetAtMs : Math.min(resetAtMs, cap.retryAtMs(result.spent));
        throw new BudgetExhausted(vendor, result.spent, cap.cap, resetAtMs, { retryAtMs, scope: cap.scope });
      }
      this.options.onEvent?.({ kind: 'waiting', vendor, untilMs: result.retryAtMs, why: result.reason });
      await clock.sleep(Math.max(1, result.retryAtMs - now), signal);
    }
  }

  /**
   * The vendor's health as this process knows it, re-read from the store every `healthRefreshMs` so a
   * freeze another worker recorded is honoured here too (the newer of the two rows wins).
   */
  private async currentHealth(vendor: VendorId, now: number): Promise<VendorHealth | undefined> {
    const local = this.health.get(vendor);
    const readAt = this.healthReadAt.get(vendor);
    if (readAt !== undefined && now - readAt < (this.options.healthRefreshMs ?? 30_000)) return local;
    this.healthReadAt.set(vendor, now);
    const stored = await this.options.state.getVendorHealth(vendor);
    if (stored && (!local || stored.updatedAtMs > local.updatedAtMs)) {
      this.health.set(vendor, stored);
      return stored;
    }
    return local;
  }

  private windowMs(): number {
    return MINUTE + (this.options.windowMarginMs ?? 1_000);
  }

  private releaseMs(): number {
    return this.options.reserveReleaseMs ?? 60 * MINUTE;
  }
}
