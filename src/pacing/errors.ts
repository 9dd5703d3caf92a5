import { TrademlError } from '../errors/index.js';
import type { VendorId } from '../catalog/index.js';

/** The vendor's daily budget is spent; work waits for the reset instead of being dropped. */
export class BudgetExhausted extends TrademlError {
  readonly resetAtMs: number;
  constructor(vendor: VendorId, spent: number, budget: number, resetAtMs: number) {
    super(`${vendor}: daily budget spent (${spent}/${budget} requests); resets at ${new Date(resetAtMs).toISOString()}`, { vendor });
    this.resetAtMs = resetAtMs;
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
