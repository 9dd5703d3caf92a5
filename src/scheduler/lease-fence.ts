import { TrademlError } from '../errors/index.js';
import type { VendorId } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';

/**
 * The worker no longer holds the unit's claim (its lease expired while it was paused, or another
 * worker took the unit): it must not write anything more for it. Nothing it did is logged as done.
 */
export class ClaimLost extends TrademlError {
  readonly unitId: number;
  constructor(vendor: VendorId, unitId: number, identity: string) {
    super(`${vendor}: claim on unit ${identity} lost (lease expired or taken over); its writes were stopped`, { vendor });
    this.unitId = unitId;
  }
}

/** Lake methods that commit something a reader or the audit will see. */
const FENCED_WRITES = new Set<string | symbol>(['writeRawPartition', 'writeReference', 'writeTable', 'recordCoverage']);

/**
 * The lake as a handler sees it: every committing write first passes `assertStillOwner` (which
 * throws ClaimLost once the claim is gone), so a worker that stalled past its lease cannot commit
 * into a partition another worker now owns. Handlers need no change to be fenced.
 */
export function fencedLake(lake: Lake, assertStillOwner: () => Promise<void>): Lake {
  return new Proxy(lake, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!FENCED_WRITES.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        await assertStillOwner();
        return method.apply(target, args);
      };
    },
  });
}
