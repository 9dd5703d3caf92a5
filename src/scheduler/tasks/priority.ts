import type { DatasetName } from '../../catalog/index.js';
import type { TrademlConfig } from '../../config/index.js';
import type { UnitOrigin } from '../../state/index.js';

/** Lowest backfill.yml priority a dataset gets when the file names none. */
const DEFAULT_PRIORITY = 50;
/** Forward work outranks any backfill: today's data first (spec §2.5), then history by backfill.yml order. */
const FORWARD_BOOST = 100;

/**
 * Queue priority of a unit (higher first): backfill.yml `priorities` per dataset, with forward and
 * reference units lifted above every backfill unit so the newest sessions are never starved.
 */
export function unitPriority(config: TrademlConfig, dataset: DatasetName, origin: UnitOrigin): number {
  const base = config.backfill.priorities[dataset] ?? DEFAULT_PRIORITY;
  return origin === 'backfill' ? base : base + FORWARD_BOOST;
}
