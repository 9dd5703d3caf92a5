import { addDays, nyDate } from '../../../calendar/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import type { CapabilitySettings } from '../../settings.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext, TaskPlanner } from '../types.js';
import { CoverageIndex, coverageSpans } from './coverage.js';
import { needsProbe, usableCapability } from './gate.js';
import { targetUnderliers } from './targets.js';

const DAY_MS = 86_400_000;
/** Underliers when neither edge.yml nor backfill.yml's options_contracts target names a top_n. */
const DEFAULT_CONTRACT_UNDERLIERS = 50;
const DEFAULT_SPACING_DAYS = 30;

/**
 * The as-of dates contract listings are taken on: every `spacing`-th calendar day counted from
 * 1970-01-01, so the grid stays fixed as time passes (the same dates are owed every cycle, and a
 * new one appears every `spacing` days), newest first, inside [start, end].
 */
export function asOfGrid(start: string, end: string, spacing: number): string[] {
  const day = (d: string): number => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
  const dates: string[] = [];
  for (let n = day(end) - (((day(end) % spacing) + spacing) % spacing); n >= day(start); n -= spacing) {
    dates.push(new Date(n * DAY_MS).toISOString().slice(0, 10));
  }
  return dates;
}

function contractsWindow(ctx: PlanContext, capability: CapabilitySettings): { start: string; end: string; spacing: number } {
  const end = nyDate(ctx.nowMs);
  const target = ctx.config.backfill.targets.options_contracts;
  const spacing = target?.chunk_days ?? DEFAULT_SPACING_DAYS;
  if (target === undefined || !target.enabled) return { start: addDays(end, -spacing + 1), end, spacing };
  const floors = [target.earliest];
  if (target.lookback_days !== undefined) floors.push(addDays(end, -target.lookback_days));
  if (capability.historyDays !== null) floors.push(addDays(end, -capability.historyDays + 1));
  return { start: floors.reduce((a, b) => (a > b ? a : b)), end, spacing };
}

/**
 * polygon_options_contracts → options_contracts: for each target underlier (edge.yml underliers /
 * top_n, else backfill.yml options_contracts.top_n), the contracts live on each as-of date of a
 * fixed grid (chunk_days apart) inside the lookback and Polygon's 2-year reach, newest first.
 * Its free-tier entitlement is uncertain: until one unit has completed only that one is planned,
 * and once the executor has recorded a refusal nothing is.
 */
export const polygonOptionsContractsPlanner: TaskPlanner = {
  task: 'polygon_options_contracts',
  async plan(ctx: PlanContext): Promise<QueueUnitInput[]> {
    const capability = await usableCapability(ctx, 'polygon.options.contracts');
    if (capability === undefined) return [];
    const window = contractsWindow(ctx, capability);
    const grid = asOfGrid(window.start, window.end, window.spacing);
    const topN = ctx.config.backfill.targets.options_contracts?.top_n ?? DEFAULT_CONTRACT_UNDERLIERS;
    const underliers = await targetUnderliers(ctx, 'polygon_options_contracts', window.end, topN);
    const spans = await coverageSpans(ctx.lake, 'options_contracts', { vendors: ['polygon'], endpoints: ['polygon.options.contracts'] });
    const covered = new CoverageIndex(spans);
    const units: QueueUnitInput[] = [];
    for (const asOf of grid) {
      const origin = asOf === grid[0] ? 'forward' : 'backfill';
      for (const underlier of underliers) {
        if (covered.has(underlier, asOf)) continue;
        units.push(
          fetchUnit({
            endpoint: 'polygon.options.contracts',
            dataset: 'options_contracts',
            params: { symbols: [underlier], date: asOf },
            priority: unitPriority(ctx.config, 'options_contracts', origin),
            origin,
          }),
        );
      }
    }
    const entitled = !needsProbe(ctx, 'polygon.options.contracts') || spans.length > 0;
    return entitled ? units : units.slice(0, 1);
  },
};
