import type { Clock } from '../clock/index.js';
import type { VendorId } from '../catalog/index.js';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, NotFound, RateLimited, Transient, isVendorError } from '../http/index.js';
import { BudgetExhausted, VendorFrozen, withRequestOrigin } from '../pacing/index.js';
import type { QueueUnit, StateStore } from '../state/index.js';
import { handlerFor, type HandlerContext, type UnitResult } from './handlers.js';
import { ClaimLost, fencedLake } from './lease-fence.js';
import { coverageOf, fetchArgsOf } from './fetcher-handler.js';

export interface ExecutorOptions {
  vendor: VendorId;
  owner: string;
  clock: Clock;
  state: StateStore;
  handlers: HandlerContext;
  /** Claim lease; a dead worker's units become claimable again after it. */
  leaseMs: number;
  /** Stop instead of waiting when the next runnable unit is further away than this. */
  maxWaitMs: number;
  maxAttempts: number;
  signal?: AbortSignal;
  onEvent?: (event: ExecutorEvent) => void;
}

export type ExecutorEvent =
  | { kind: 'done'; vendor: VendorId; unit: QueueUnit; result: UnitResult }
  /** Completed without a request: every symbol it names is in the vendor's bad-symbol cache. */
  | { kind: 'skipped'; vendor: VendorId; unit: QueueUnit; reason: string }
  /** The claim expired or was taken over before the unit settled: nothing of it counts as done here. */
  | { kind: 'claim_lost'; vendor: VendorId; unit: QueueUnit; step: string }
  | { kind: 'deferred'; vendor: VendorId; unit: QueueUnit; untilMs: number; reason: string }
  | { kind: 'failed'; vendor: VendorId; unit: QueueUnit; error: string; permanent: boolean }
  | { kind: 'stopped'; vendor: VendorId; reason: string };

export interface ExecutorReport {
  vendor: VendorId;
  done: number;
  /** Completed without running (every symbol bad); also counted in `done`. */
  skipped: number;
  deferred: number;
  failed: number;
  dead: number;
  /** Units whose claim was lost mid-run (fenced: not written, not completed). */
  lost: number;
  stoppedBecause: string;
}

const MINUTE = 60_000;

/**
 * Pulls this vendor's runnable units from the durable queue one at a time, most valuable first, and
 * records every outcome. A refusal (budget, freeze, rate limit) defers the unit with its next
 * eligible time; nothing is ever dropped. Returns when the vendor has nothing runnable within
 * `maxWaitMs`, or when its credentials are refused.
 */
export async function runVendorExecutor(options: ExecutorOptions): Promise<ExecutorReport> {
  const report: ExecutorReport = { vendor: options.vendor, done: 0, skipped: 0, deferred: 0, failed: 0, dead: 0, lost: 0, stoppedBecause: 'queue empty' };
  const { clock, state, vendor, owner } = options;
  while (!options.signal?.aborted) {
    const [unit] = await state.claim({ owner, nowMs: clock.now(), leaseMs: options.leaseMs, limit: 1, vendor });
    if (!unit) {
      const next = await nextEligibleAt(state, vendor, owner);
      if (next === undefined) break;
      const wait = Math.max(1, next - clock.now());
      if (wait > options.maxWaitMs) {
        report.stoppedBecause = `next unit not before ${new Date(next).toISOString()}`;
        break;
      }
      await log(options, 'debug', 'executor.waiting', { until: new Date(next).toISOString(), reason: 'no unit eligible yet' });
      await clock.sleep(wait, options.signal).catch(() => undefined);
      continue;
    }
    const outcome = await runUnit(unit, options);
    if (outcome === 'done') report.done += 1;
    else if (outcome === 'skipped') {
      report.done += 1;
      report.skipped += 1;
    } else if (outcome === 'lost') report.lost += 1;
    else if (outcome === 'deferred') report.deferred += 1;
    else if (outcome === 'dead') report.dead += 1;
    else if (outcome === 'auth') {
      report.dead += 1;
      report.stoppedBecause = 'credentials refused';
      break;
    } else report.failed += 1;
  }
  if (options.signal?.aborted) report.stoppedBecause = 'shutdown requested';
  options.onEvent?.({ kind: 'stopped', vendor, reason: report.stoppedBecause });
  await log(options, 'info', 'executor.stopped', { ...report });
  return report;
}

/** Earliest instant a queued (or lease-expired) unit of this vendor becomes claimable. */
async function nextEligibleAt(state: StateStore, vendor: VendorId, owner: string): Promise<number | undefined> {
  const [queued, leased] = await Promise.all([state.listQueue({ status: 'queued', vendor }), state.listQueue({ status: 'leased', vendor })]);
  const times = [
    ...queued.map((u) => u.notBeforeMs),
    ...leased.filter((u) => u.leaseOwner !== owner).map((u) => u.leaseExpiresAtMs ?? 0),
  ];
  return times.length === 0 ? undefined : Math.min(...times);
}

type Outcome = 'done' | 'skipped' | 'deferred' | 'retry' | 'dead' | 'auth' | 'lost';

async function runUnit(claimed: QueueUnit, options: ExecutorOptions): Promise<Outcome> {
  const { clock, state, owner, vendor } = options;
  const handler = handlerFor(claimed.endpoint);
  if (!handler) {
    await state.fail(claimed.id, owner, `no handler for ${claimed.endpoint}`, clock.now(), { permanent: true });
    await log(options, 'error', 'unit.dead', { identity: claimed.identity, error: `no handler for ${claimed.endpoint}`, attempts: claimed.attempts });
    return 'dead';
  }
  const { unit, dropped } = await withoutBadSymbols(claimed, state, vendor, clock.now());
  if (unit === undefined) return skip(claimed, dropped, options);
  try {
    const context: HandlerContext = { ...options.handlers, lake: fencedLake(options.handlers.lake, () => assertStillOwner(unit, options)) };
    const result = await withRequestOrigin(unit.origin, () => handler(unit, context));
    if (!(await state.complete(unit.id, owner, clock.now()))) return lost(unit, 'complete', options);
    options.onEvent?.({ kind: 'done', vendor, unit, result });
    await log(options, 'info', 'unit.done', { identity: unit.identity, origin: unit.origin, ...result, ...(dropped.length > 0 ? { badSymbolsSkipped: dropped } : {}) });
    return 'done';
  } catch (error) {
    if (error instanceof ClaimLost) return lost(unit, 'write', options);
    return handleFailure(unit, error, options);
  }
}

/**
 * The unit minus the symbols the vendor's bad-symbol cache lists (a not-found marks a symbol bad for
 * a while): undefined when none is left. Units without a `symbols` list are returned unchanged.
 */
async function withoutBadSymbols(unit: QueueUnit, state: StateStore, vendor: VendorId, nowMs: number): Promise<{ unit: QueueUnit | undefined; dropped: string[] }> {
  const symbols = unit.params.symbols;
  if (!Array.isArray(symbols) || symbols.length === 0) return { unit, dropped: [] };
  const bad = new Set((await state.badSymbols(vendor, nowMs)).map((b) => b.symbol));
  if (bad.size === 0) return { unit, dropped: [] };
  const kept = symbols.filter((s) => !(typeof s === 'string' && bad.has(s)));
  const dropped = symbols.filter((s): s is string => typeof s === 'string' && bad.has(s));
  if (dropped.length === 0) return { unit, dropped };
  return { unit: kept.length === 0 ? undefined : { ...unit, params: { ...unit.params, symbols: kept } }, dropped };
}

/** Settles a unit the vendor answered with "nothing for this": done, logged, optionally recorded as empty coverage. */
async function notServed(unit: QueueUnit, reason: string, recordEmpty: boolean, options: ExecutorOptions): Promise<Outcome> {
  const { clock, state, owner, vendor } = options;
  if (recordEmpty) {
    const args = (() => {
      try {
        return fetchArgsOf(unit);
      } catch {
        return undefined;
      }
    })();
    if (args) await options.handlers.lake.recordCoverage(coverageOf(unit, unit.dataset, args, [], clock.now()));
  }
  if (!(await state.complete(unit.id, owner, clock.now()))) return lost(unit, 'complete', options);
  options.onEvent?.({ kind: 'skipped', vendor, unit, reason });
  await log(options, 'info', 'unit.not_served', { identity: unit.identity, reason });
  return 'skipped';
}

async function skip(unit: QueueUnit, dropped: string[], options: ExecutorOptions): Promise<Outcome> {
  const { clock, state, owner, vendor } = options;
  const reason = `every symbol is marked bad for ${vendor}: ${dropped.join(', ')}`;
  if (!(await state.complete(unit.id, owner, clock.now()))) return lost(unit, 'complete', options);
  options.onEvent?.({ kind: 'skipped', vendor, unit, reason });
  await log(options, 'info', 'unit.skipped', { identity: unit.identity, reason, symbols: dropped });
  return 'skipped';
}

/** Throws ClaimLost unless the unit's claim is still ours and unexpired; renews it for another lease. */
async function assertStillOwner(unit: QueueUnit, options: ExecutorOptions): Promise<void> {
  if (!(await options.state.extendClaim(unit.id, options.owner, options.leaseMs, options.clock.now()))) {
    throw new ClaimLost(options.vendor, unit.id, unit.identity);
  }
}

async function lost(unit: QueueUnit, step: string, options: ExecutorOptions): Promise<Outcome> {
  options.onEvent?.({ kind: 'claim_lost', vendor: options.vendor, unit, step });
  await log(options, 'warn', 'unit.claim_lost', { identity: unit.identity, step, owner: options.owner });
  return 'lost';
}

async function handleFailure(unit: QueueUnit, error: unknown, options: ExecutorOptions): Promise<Outcome> {
  const { clock, state, owner, vendor } = options;
  const now = clock.now();
  const message = error instanceof Error ? error.message : String(error);
  const defer = async (untilMs: number, reason: string): Promise<Outcome> => {
    if (!(await state.defer(unit.id, owner, untilMs, reason, now))) return lost(unit, 'defer', options);
    options.onEvent?.({ kind: 'deferred', vendor, unit, untilMs, reason });
    await log(options, 'info', 'unit.deferred', { identity: unit.identity, until: new Date(untilMs).toISOString(), reason });
    return 'deferred';
  };
  const fail = async (permanent: boolean, retryAtMs?: number): Promise<Outcome> => {
    const dead = permanent || unit.attempts >= options.maxAttempts;
    if (!(await state.fail(unit.id, owner, message, now, dead ? { permanent: true } : { retryAtMs: retryAtMs ?? now }))) return lost(unit, 'fail', options);
    options.onEvent?.({ kind: 'failed', vendor, unit, error: message, permanent: dead });
    await log(options, dead ? 'error' : 'warn', dead ? 'unit.dead' : 'unit.failed', { identity: unit.identity, error: message, attempts: unit.attempts });
    return dead ? 'dead' : 'retry';
  };

  if (error instanceof BudgetExhausted) {
    return defer(error.retryAtMs, error.scope === 'backfill' ? 'backfill share of the daily budget spent (forward reserve)' : 'daily budget spent');
  }
  if (error instanceof VendorFrozen) return defer(error.untilMs, `vendor frozen: ${error.reason}`);
  if (error instanceof RateLimited) return defer(error.resetAtMs ?? now + (error.retryAfterMs ?? MINUTE), 'rate limited by vendor');
  if (error instanceof EntitlementDenied) {
    if (error.scope === 'capability') {
      await state.setCapabilityStatus({ vendor, endpoint: unit.endpoint, status: 'denied', reason: message, untilMs: null, updatedAtMs: now });
      return fail(true);
    }
    // A refusal for this unit's range or symbol (outside a free sample or history window) is the
    // vendor's answer, not a fault: settled, no coverage recorded (the audit calls it UNAVAILABLE).
    return notServed(unit, message, false, options);
  }
  if (error instanceof AuthFailed) {
    await fail(true);
    return 'auth';
  }
  if (error instanceof NotFound) {
    if (error.symbol) await state.markBadSymbol({ vendor, symbol: error.symbol, untilMs: now + 7 * 24 * 60 * MINUTE, reason: message });
    // One bad symbol of many: retry, and the bad-symbol cache drops it from the next attempt.
    const symbols = unit.params.symbols;
    if (error.symbol && Array.isArray(symbols) && symbols.length > 1) return fail(false, now);
    // Nothing there (no listed options, no data for the symbol): an answer, recorded as fetched and empty.
    return notServed(unit, message, true, options);
  }
  if (error instanceof BadRequest) return fail(true);
  if (error instanceof Malformed) {
    await options.handlers.lake.quarantine({ vendor, endpoint: unit.endpoint, reason: error.reason, sourceUri: error.url ?? '', body: error.rawText, atMs: now });
    return fail(false, now + backoffMs(unit.attempts));
  }
  if (error instanceof Transient || isVendorError(error)) return fail(false, now + backoffMs(unit.attempts));
  // Anything else is a bug or a local failure (disk, DuckDB): retry a few times, then dead-letter with the message.
  return fail(false, now + backoffMs(unit.attempts));
}

/** 1, 2, 4 … minutes, capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(60 * MINUTE, MINUTE * 2 ** Math.max(0, attempts - 1));
}

async function log(options: ExecutorOptions, level: 'debug' | 'info' | 'warn' | 'error', event: string, detail: Record<string, unknown>): Promise<void> {
  await options.state.appendLog({ atMs: options.clock.now(), level, event, vendor: options.vendor, detail });
}
