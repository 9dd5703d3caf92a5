import { addDays, lastCompletedSession, nyDate } from '../../../calendar/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { TaskPlanner } from '../types.js';
import { windowStart } from './av.js';
import { coverageByScope, dateChunks, dayStartMs, rangeCovered, recordedMs, targetOf, usableCapability, weekStart } from './common.js';

const MINUTE = 60_000;
/** The forward unit re-reads this many calendar days before the newest session: late fills and corrections (fred.md §5). */
export const TREASURY_REFETCH_DAYS = 10;
const DEFAULT_CHUNK_DAYS = 365;

/**
 * fred_treasury: the constant-maturity curve (one request per series per unit). Forward: when the
 * newest H.15 session is not covered, the last TREASURY_REFETCH_DAYS up to it. Backfill: the
 * target window in `chunk_days` chunks up to the day before the forward window, each planned until
 * coverage records (of any unit) contain it; a chunk's identity is fixed by the grid, so only the
 * newest chunk grows, and it stays covered while the daily forward units keep running.
 */
export const fredTreasuryPlanner: TaskPlanner = {
  task: 'fred_treasury',
  async plan(ctx) {
    const capability = await usableCapability(ctx, 'fred.treasury_curve', 'treasuries');
    const target = targetOf(ctx, 'treasuries');
    if (capability === undefined || target === undefined) return [];
    const newest = lastCompletedSession(ctx.nowMs, capability.availableAfterCloseMinutes * MINUTE);
    const coverage = coverageByScope(await ctx.lake.readCoverage('treasuries'), 'fred', 'fred.treasury_curve');
    const series = target.series;
    const scopes = series ?? ['*'];
    const covered = (start: string, end: string): boolean => scopes.every((s) => rangeCovered(coverage.get(s), { start, end }));
    const unit = (start: string, end: string, origin: 'forward' | 'backfill'): QueueUnitInput =>
      fetchUnit({
        endpoint: 'fred.treasury_curve',
        dataset: 'treasuries',
        params: { start, end, ...(series ? { series: [...series] } : {}) },
        priority: unitPriority(ctx.config, 'treasuries', origin),
        origin,
      });

    const units: QueueUnitInput[] = [];
    const forwardStart = addDays(newest, -TREASURY_REFETCH_DAYS);
    if (!covered(newest, newest)) units.push(unit(forwardStart, newest, 'forward'));
    const start = windowStart(target.earliest, target.lookback_days, nyDate(ctx.nowMs));
    for (const chunk of dateChunks(start, addDays(forwardStart, -1), target.chunk_days ?? DEFAULT_CHUNK_DAYS)) {
      if (!covered(chunk.start, chunk.end)) units.push(unit(chunk.start, chunk.end, 'backfill'));
    }
    return units;
  },
};

/**
 * fred_series: the target's macro series, with every ALFRED vintage when `vintages: true`
 * (fred.vintages, else fred.series), one series per unit. Backfill: the observation window in
 * `chunk_days` chunks (every vintage of the chunk's observations), all but the newest chunk,
 * each until coverage contains it. Forward: the newest chunk re-polled once a week, which picks
 * up new releases and revisions (a release is at most monthly for these series).
 */
export const fredSeriesPlanner: TaskPlanner = {
  task: 'fred_series',
  async plan(ctx) {
    const target = targetOf(ctx, 'macro_series');
    if (target?.series === undefined) return [];
    const endpoint = target.vintages === true ? 'fred.vintages' : 'fred.series';
    const capability = await usableCapability(ctx, endpoint, 'macro_series');
    if (capability === undefined) return [];
    const today = nyDate(ctx.nowMs);
    const weekStartMs = dayStartMs(weekStart(ctx.nowMs));
    const coverage = coverageByScope(await ctx.lake.readCoverage('macro_series'), 'fred', endpoint);
    const chunks = dateChunks(windowStart(target.earliest, target.lookback_days, today), today, target.chunk_days ?? DEFAULT_CHUNK_DAYS);
    const newest = chunks[chunks.length - 1];
    const units: QueueUnitInput[] = [];
    for (const id of target.series) {
      const entries = coverage.get(id);
      const unit = (start: string, end: string, origin: 'forward' | 'backfill'): QueueUnitInput =>
        fetchUnit({ endpoint, dataset: 'macro_series', params: { series: [id], start, end }, priority: unitPriority(ctx.config, 'macro_series', origin), origin });
      for (const chunk of chunks.slice(0, -1)) if (!rangeCovered(entries, chunk)) units.push(unit(chunk.start, chunk.end, 'backfill'));
      if (newest === undefined) continue;
      const polledThisWeek = (entries ?? []).some((e) => e.start <= newest.start && e.end >= newest.start && recordedMs(e) >= weekStartMs);
      if (!polledThisWeek) units.push(unit(newest.start, newest.end, 'forward'));
    }
    return units;
  },
};
