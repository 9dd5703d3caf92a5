import { nyDate } from '../../../calendar/index.js';
import { sqlFileList } from '../../../lake/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import { membersDuring, type UniverseMember } from '../../../universe/index.js';
import { eodWindow, servableSessions } from '../../producers.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext, TaskPlanner } from '../types.js';
import { CoverageIndex, coverageSpans } from './coverage.js';
import { needsProbe, usableCapability } from './gate.js';

/** ISO-8601 week of a `YYYY-MM-DD` date, e.g. `2024-W18` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  // The Thursday of the date's week decides its year; weeks count from that year's first Thursday.
  day.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const year = day.getUTCFullYear();
  const week = 1 + Math.floor((day.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * finnhub_symbols → symbols: Finnhub's US listing (one request, no delisted names) at most once
 * per ISO week: a reference list changes slowly and Alpaca/Polygon refresh daily anyway.
 */
export const finnhubSymbolsPlanner: TaskPlanner = {
  task: 'finnhub_symbols',
  async plan(ctx: PlanContext): Promise<QueueUnitInput[]> {
    if ((await usableCapability(ctx, 'finnhub.symbols')) === undefined) return [];
    const week = isoWeek(nyDate(ctx.nowMs));
    const spans = await coverageSpans(ctx.lake, 'symbols', { vendors: ['finnhub'], endpoints: ['finnhub.symbols'] });
    if (spans.some((s) => isoWeek(s.start) === week)) return [];
    return [fetchUnit({ endpoint: 'finnhub.symbols', dataset: 'symbols', params: {}, priority: unitPriority(ctx.config, 'symbols', 'reference'), origin: 'reference', tag: `week=${week}` })];
  },
};

/** `${symbol}|${date}` of every equities_eod bar any vendor has in the lake inside [start, end]. */
async function barsPresent(ctx: PlanContext, symbols: readonly string[], start: string, end: string): Promise<Set<string>> {
  const files = await ctx.lake.rawGlob('equities_eod');
  if (files.length === 0 || symbols.length === 0) return new Set();
  const rows = await ctx.lake.query<{ symbol: string; date: string }>(
    `SELECT DISTINCT symbol, date FROM read_parquet(${sqlFileList(files)}, union_by_name = true, hive_partitioning = false)
     WHERE date BETWEEN ?::DATE AND ?::DATE AND list_contains(?::VARCHAR[], symbol)`,
    [start, end, [...symbols]],
  );
  return new Set(rows.map((r) => `${r.symbol}|${r.date}`));
}

function listedOn(member: UniverseMember, date: string): boolean {
  return (member.ipoDate === null || member.ipoDate <= date) && (member.delistedDate === null || member.delistedDate > date);
}

/**
 * finnhub_daily → equities_eod via finnhub.candle.daily, premium on free keys (edge.yml keeps it
 * off). When enabled: per-symbol repairs, one request per symbol spanning its first to last
 * session that no vendor has a bar for and Finnhub has not been asked about. A refusal recorded by
 * the executor (403 → capability denied) stops all planning.
 */
export const finnhubDailyPlanner: TaskPlanner = {
  task: 'finnhub_daily',
  async plan(ctx: PlanContext): Promise<QueueUnitInput[]> {
    const capability = await usableCapability(ctx, 'finnhub.candle.daily');
    if (capability === undefined) return [];
    const window = eodWindow(ctx.settings, ctx.nowMs);
    const sessions = servableSessions(capability, window, ctx.nowMs);
    if (sessions.length === 0) return [];
    const members = membersDuring(ctx.universe, window.start, window.end);
    const present = await barsPresent(ctx, members.map((m) => m.symbol), sessions[0] as string, sessions[sessions.length - 1] as string);
    const spans = await coverageSpans(ctx.lake, 'equities_eod', { vendors: ['finnhub'], endpoints: ['finnhub.candle.daily'] });
    const asked = new CoverageIndex(spans);
    const units: QueueUnitInput[] = [];
    for (const member of members) {
      const missing = sessions.filter((d) => listedOn(member, d) && !present.has(`${member.symbol}|${d}`) && !asked.has(member.symbol, d));
      if (missing.length === 0) continue;
      units.push(
        fetchUnit({
          endpoint: 'finnhub.candle.daily',
          dataset: 'equities_eod',
          params: { symbols: [member.symbol], start: missing[0] as string, end: missing[missing.length - 1] as string },
          priority: unitPriority(ctx.config, 'equities_eod', 'backfill'),
          origin: 'backfill',
        }),
      );
    }
    return needsProbe(ctx, 'finnhub.candle.daily') && spans.length === 0 ? units.slice(0, 1) : units;
  },
};
