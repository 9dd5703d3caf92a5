import { TrademlError } from '../errors/index.js';
import type { VendorId } from '../catalog/index.js';

/** Which allowance refused: the vendor's whole day, or backfill's share of it (the forward reserve). */
export type BudgetScope = 'daily' | 'backfill';

/** The vendor's daily budget is spent; work waits for the reset instead of being dropped. */
export class BudgetExhausted extends TrademlError {
  /** The next UTC-midnight reset of the budget day. */
  readonly resetAtMs: number;
  /** When the refused work may next run: the reset, or (backfill) when the forward reserve starts to be released. */
  readonly retryAtMs: number;
  readonly scope: BudgetScope;
  constructor(vendor: VendorId, spent: number, budget: number, resetAtMs: number, options: { retryAtMs?: number; scope?: BudgetScope } = {}) {
    const scope = options.scope ?? 'daily';
    const retryAtMs = options.retryAtMs ?? resetAtMs;
    const what = scope === 'daily' ? 'daily budget spent' : 'backfill share of the daily budget spent (the rest is reserved for forward work)';
    super(`${vendor}: ${what} (${spent}/${budget} requests); may run again at ${new Date(retryAtMs).toISOString()}`, { vendor });
    this.resetAtMs = resetAtMs;
    this.retryAtMs = retryAtMs;
    this.scope = scope;
  }
}

/** The vendor is frozen (rate limited or circuit open) for longer than a caller should wait inline. */
export class VendorFrozen extends TrademlError {
  readonly untilMs: number;
  readonly reason: string;
  constructor(vendor: VendorId, untilMs: number, reason: string) {
    super(`${vendor}: frozen until ${new Date(untilMs).toISOString()} (${reason})`, { vendor });
    this.untilMs = untilMs;
    this.reason = reason;
  }
}
