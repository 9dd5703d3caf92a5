import type { Clock } from '../clock/index.js';
import type { VendorId } from '../catalog/index.js';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, NotFound, RateLimited, Transient, isVendorError } from '../http/index.js';
import { BudgetExhausted, VendorFrozen } from '../pacing/index.js';
import type { QueueUnit, StateStore } from '../state/index.js';
import { handlerFor, type HandlerContext, type UnitResult } from './handlers.js';

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
  | { kind: 'deferred'; vendor: VendorId; unit: QueueUnit; untilMs: number; reason: string }
  | { kind: 'failed'; vendor: VendorId; unit: QueueUnit; error: string; permanent: boolean }
  | { kind: 'stopped'; vendor: VendorId; reason: string };

export interface ExecutorReport {
  vendor: VendorId;
  done: number;
  deferred: number;
  failed: number;
  dead: number;
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
  const report: ExecutorReport = { vendor: options.vendor, done: 0, deferred: 0, failed: 0, dead: 0, stoppedBecause: 'queue empty' };
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
      await clock.sleep(wait, options.signal).catch(() => undefined);
      continue;
    }
    const outcome = await runUnit(unit, options);
    if (outcome === 'done') report.done += 1;
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

type Outcome = 'done' | 'deferred' | 'retry' | 'dead' | 'auth';

async function runUnit(unit: QueueUnit, options: ExecutorOptions): Promise<Outcome> {
  const { clock, state, owner, vendor } = options;
  const handler = handlerFor(unit.endpoint);
  if (!handler) {
    await state.fail(unit.id, owner, `no handler for ${unit.endpoint}`, clock.now(), { permanent: true });
    return 'dead';
  }
  try {
    const result = await handler(unit, options.handlers);
    await state.complete(unit.id, owner, clock.now());
    options.onEvent?.({ kind: 'done', vendor, unit, result });
    await log(options, 'info', 'unit.done', { identity: unit.identity, ...result });
    return 'done';
  } catch (error) {
    return handleFailure(unit, error, options);
  }
}

async function handleFailure(unit: QueueUnit, error: unknown, options: ExecutorOptions): Promise<Outcome> {
  const { clock, state, owner, vendor } = options;
  const now = clock.now();
  const message = error instanceof Error ? error.message : String(error);
  const defer = async (untilMs: number, reason: string): Promise<Outcome> => {
    await state.defer(unit.id, owner, untilMs, reason, now);
    options.onEvent?.({ kind: 'deferred', vendor, unit, untilMs, reason });
    await log(options, 'info', 'unit.deferred', { identity: unit.identity, until: new Date(untilMs).toISOString(), reason });
    return 'deferred';
  };
  const fail = async (permanent: boolean, retryAtMs?: number): Promise<Outcome> => {
    const dead = permanent || unit.attempts >= options.maxAttempts;
    await state.fail(unit.id, owner, message, now, dead ? { permanent: true } : { retryAtMs: retryAtMs ?? now });
    options.onEvent?.({ kind: 'failed', vendor, unit, error: message, permanent: dead });
    await log(options, dead ? 'error' : 'warn', dead ? 'unit.dead' : 'unit.failed', { identity: unit.identity, error: message, attempts: unit.attempts });
    return dead ? 'dead' : 'retry';
  };

  if (error instanceof BudgetExhausted) return defer(error.resetAtMs, 'daily budget spent');
  if (error instanceof VendorFrozen) return defer(error.untilMs, `vendor frozen: ${error.reason}`);
  if (error instanceof RateLimited) return defer(error.resetAtMs ?? now + (error.retryAfterMs ?? MINUTE), 'rate limited by vendor');
  if (error instanceof EntitlementDenied) {
    if (error.scope === 'capability') {
      await state.setCapabilityStatus({ vendor, endpoint: unit.endpoint, status: 'denied', reason: message, untilMs: null, updatedAtMs: now });
    }
    return fail(true);
  }
  if (error instanceof AuthFailed) {
    await fail(true);
    return 'auth';
  }
  if (error instanceof NotFound) {
    if (error.symbol) await state.markBadSymbol({ vendor, symbol: error.symbol, untilMs: now + 7 * 24 * 60 * MINUTE, reason: message });
    return fail(true);
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

async function log(options: ExecutorOptions, level: 'info' | 'warn' | 'error', event: string, detail: Record<string, unknown>): Promise<void> {
  await options.state.appendLog({ atMs: options.clock.now(), level, event, vendor: options.vendor, detail });
}
