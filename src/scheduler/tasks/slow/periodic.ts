import type { DatasetName, EndpointId } from '../../../catalog/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext } from '../types.js';
import { coverageByScope, recordedSince, usableCapability } from './common.js';

/**
 * One whole-list reference unit per period (a listing, a delisting feed): planned unless a record
 * of this endpoint and dataset was written since the period began. `tag` names the period, so the
 * same period is one unit however often the loop plans.
 */
export async function periodicReferenceUnit(
  ctx: PlanContext,
  options: { endpoint: EndpointId; dataset: DatasetName; periodStartMs: number; tag: string },
): Promise<QueueUnitInput[]> {
  const capability = await usableCapability(ctx, options.endpoint, options.dataset);
  if (capability === undefined) return [];
  const coverage = coverageByScope(await ctx.lake.readCoverage(options.dataset), capability.vendor, options.endpoint);
  if (recordedSince(coverage.get('*'), options.periodStartMs)) return [];
  return [
    fetchUnit({
      endpoint: options.endpoint,
      dataset: options.dataset,
      params: {},
      priority: unitPriority(ctx.config, options.dataset, 'reference'),
      origin: 'reference',
      tag: options.tag,
    }),
  ];
}
