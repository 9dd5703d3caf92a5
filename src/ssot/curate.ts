import type { AdjustedBarRow, VendorId } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import type { Lake } from '../lake/index.js';
import { curateAdjusted, type CurateResult } from './curator/equities-adj.js';
import { ADJUSTED_TABLE, manifestPath } from './curator/layout.js';
import { manifestHash, readManifest } from './curator/parts.js';

export { bucketOf, curatedPath, CURATED_BUCKETS } from './curator/layout.js';
export type { CurateResult } from './curator/equities-adj.js';

export interface CurateOptions {
  lake: Lake;
  vendorPrecedence: VendorId[];
  corpActionsPrecedence: VendorId[];
  /** Wraps file commits in clock.busy for virtual-clock callers. */
  clock?: Clock;
}

/**
 * Rebuilds equities_ohlcv_adj deterministically from the canonical raw bars (the first vendor of the
 * precedence list that has each (symbol, date)) and the merged corporate actions. Every file is
 * recomputed; files whose content did not change are not rewritten. `runCuratorJobs` is the
 * incremental, watermark-driven version.
 */
export async function curateEquities(options: CurateOptions): Promise<CurateResult> {
  const outcome = await curateAdjusted({
    lake: options.lake,
    vendorPrecedence: options.vendorPrecedence,
    corpActionsPrecedence: options.corpActionsPrecedence,
    clock: options.clock,
  });
  return outcome.result;
}

/** Reads the curated table back (all files), sorted by symbol then date. */
export async function readCurated(lake: Lake): Promise<AdjustedBarRow[]> {
  const manifest = await readManifest(lake, manifestPath(ADJUSTED_TABLE));
  const rows: AdjustedBarRow[] = [];
  for (const path of [...manifest.keys()].sort()) rows.push(...(await lake.readTable<AdjustedBarRow>(path)));
  return rows.sort((a, b) => (a.symbol === b.symbol ? (a.date < b.date ? -1 : 1) : a.symbol < b.symbol ? -1 : 1));
}

export async function curatedContentHash(lake: Lake): Promise<string | undefined> {
  const manifest = await readManifest(lake, manifestPath(ADJUSTED_TABLE));
  if (manifest.size === 0) return undefined;
  return manifestHash(manifest.values());
}
