import { nyDate } from '../../../calendar/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import { membersDuring } from '../../../universe/index.js';
import { eodWindow } from '../../producers.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext, TaskPlanner } from '../types.js';
import {
  badSymbolSet,
  byLiquidity,
  coverageByScope,
  dailyPicks,
  dayStartMs,
  daysBetween,
  deadSymbols,
  notServedSymbols,
  recordedMs,
  sinceTag,
  targetOf,
  usableCapability,
  weekStart,
} from './common.js';
import { periodicReferenceUnit } from './periodic.js';

const DEFAULT_FUNDAMENTALS_PER_DAY = 20;
const DEFAULT_STATEMENTS = ['income', 'balance', 'cashflow'] as const;
/** Annual statements change once a year; re-pull a symbol's statements after this many days (fmp.md §7: ~90). */
export const FUNDAMENTALS_REFRESH_DAYS = 90;
/** State bookmark: symbols FMP's plan refused (outside the free sample), never asked again. */
export const FMP_UNCOVERED_BOOKMARK = 'plan.fmp_fundamentals.uncovered';

/** fmp_delistings: the delisted-companies feed (page 0 = the ~100 newest on free keys; the client stops paging on the 402), once a day. */
export const fmpDelistingsPlanner: TaskPlanner = {
  task: 'fmp_delistings',
  async plan(ctx) {
    const day = nyDate(ctx.nowMs);
    return periodicReferenceUnit(ctx, { endpoint: 'fmp.delisted_companies', dataset: 'delistings', periodStartMs: dayStartMs(day), tag: `as-of=${day}` });
  },
};

/** fmp_symbols: the stock list (symbol + name, global, ~36k rows), once a week. */
export const fmpSymbolsPlanner: TaskPlanner = {
  task: 'fmp_symbols',
  async plan(ctx) {
    const week = weekStart(ctx.nowMs);
    return periodicReferenceUnit(ctx, { endpoint: 'fmp.stock_list', dataset: 'symbols', periodStartMs: dayStartMs(week), tag: `week=${week}` });
  },
};

type StatementTimes = Map<string, Map<string, number>>;

/**
 * fmp_fundamentals: annual income, balance and cash-flow statements, one request per (symbol,
 * statement), `symbols_per_day` symbols per budget day: never-fetched symbols first (most liquid
 * first), then those fetched longest ago, each refreshed at most every FUNDAMENTALS_REFRESH_DAYS.
 * Free keys serve only a sample of symbols and answer the others with a symbol 402 (NotFound with
 * the symbol: the executor marks it bad). So a symbol not yet known to be served is probed with
 * its first statement alone; the other statements follow once that answered. Refused symbols are
 * remembered in a bookmark for good (the audit calls them UNAVAILABLE).
 */
export const fmpFundamentalsPlanner: TaskPlanner = {
  task: 'fmp_fundamentals',
  async plan(ctx) {
    const capability = await usableCapability(ctx, 'fmp.statements', 'fundamentals');
    if (capability === undefined) return [];
    const target = targetOf(ctx, 'fundamentals');
    const statements: readonly string[] = target?.statements ?? DEFAULT_STATEMENTS;
    const period = target?.period ?? 'annual';
    const uncovered = await rememberUncovered(ctx);
    const times = await statementTimes(ctx);
    const last = (symbol: string, statement: string): number | undefined => times.get(symbol)?.get(statement) ?? times.get(symbol)?.get('*');
    const oldest = (symbol: string): number => Math.min(...statements.map((s) => last(symbol, s) ?? Number.NEGATIVE_INFINITY));
    const due = (symbol: string, statement: string): boolean => {
      const at = last(symbol, statement);
      return at === undefined || daysBetween(at, ctx.nowMs) >= FUNDAMENTALS_REFRESH_DAYS;
    };

    const picks = await dailyPicks<string>(ctx, 'plan.fmp_fundamentals', async () => {
      const candidates = fundamentalsSymbols(ctx, uncovered).filter((s) => statements.some((st) => due(s, st)));
      const ranked = await byLiquidity(ctx, candidates);
      return [...ranked].sort((a, b) => (oldest(a) === oldest(b) ? 0 : oldest(a) < oldest(b) ? -1 : 1)).slice(0, target?.symbols_per_day ?? DEFAULT_FUNDAMENTALS_PER_DAY);
    });

    const dayStart = dayStartMs(nyDate(ctx.nowMs));
    const units: QueueUnitInput[] = [];
    for (const symbol of picks) {
      if (uncovered.has(symbol)) continue;
      const served = times.has(symbol);
      const wanted = served ? statements : statements.slice(0, 1);
      for (const statement of wanted) {
        const at = last(symbol, statement);
        if (at !== undefined && (at >= dayStart || !due(symbol, statement))) continue;
        units.push(
          fetchUnit({
            endpoint: 'fmp.statements',
            dataset: 'fundamentals',
            params: { symbols: [symbol], statement, period },
            priority: unitPriority(ctx.config, 'fundamentals', 'backfill'),
            origin: 'backfill',
            tag: sinceTag(at),
          }),
        );
      }
    }
    return units;
  },
};

/**
 * The symbols fmp_fundamentals fills: every member listed during the eod window that FMP's plan has
 * not refused. The audit expects exactly these (a symbol no statement was fetched for is RED).
 */
export function fundamentalsSymbols(ctx: PlanContext, uncovered: ReadonlySet<string>): string[] {
  return membersDuring(ctx.universe, eodWindow(ctx.settings, ctx.nowMs).start, nyDate(ctx.nowMs))
    .map((m) => m.symbol)
    .filter((s) => !uncovered.has(s));
}

/** Symbols FMP answered, and never with a statement: funds and shells have none to expect. */
export async function fmpSymbolsWithoutStatements(ctx: PlanContext): Promise<Set<string>> {
  const coverage = coverageByScope(await ctx.lake.readCoverage('fundamentals'), 'fmp', 'fmp.statements');
  return new Set([...coverage].filter(([, entries]) => entries.every((e) => Number(e.rows) === 0)).map(([symbol]) => symbol));
}

/**
 * Per symbol and statement, when FMP last answered with rows (the lake's fundamentals), plus '*'
 * for an empty answer (a fund or ETF has no statements: recorded as coverage with 0 rows).
 */
async function statementTimes(ctx: PlanContext): Promise<StatementTimes> {
  const times: StatementTimes = new Map();
  const put = (symbol: string, statement: string, at: number): void => {
    const map = times.get(symbol) ?? new Map<string, number>();
    map.set(statement, Math.max(at, map.get(statement) ?? Number.NEGATIVE_INFINITY));
    times.set(symbol, map);
  };
  const rows = await ctx.lake.query<{ symbol: string; statement: string; at: unknown }>(
    `SELECT symbol, statement, max(ingested_at) AS at FROM ref_fundamentals WHERE source_name = 'fmp' GROUP BY symbol, statement`,
  );
  for (const row of rows) put(row.symbol, row.statement, recordedMs({ recorded_at: row.at as string }));
  const coverage = coverageByScope(await ctx.lake.readCoverage('fundamentals'), 'fmp', 'fmp.statements');
  for (const [symbol, entries] of coverage) {
    for (const entry of entries) if (Number(entry.rows) === 0) put(symbol, '*', recordedMs(entry));
  }
  return times;
}

/**
 * Symbols FMP refused: the executor's bad-symbol marks (7 days) and dead statement units, kept in a
 * bookmark so the refusal outlives the mark. Written only when the set grows (idempotent).
 */
async function rememberUncovered(ctx: PlanContext): Promise<Set<string>> {
  const { known, stored } = await uncovered(ctx);
  if (known.size !== stored) await ctx.state.setBookmark(FMP_UNCOVERED_BOOKMARK, JSON.stringify([...known].sort()), ctx.nowMs);
  return known;
}

/** Symbols FMP refused, as the planner knows them, without remembering them (the audit reads this). */
export async function fmpUncoveredSymbols(ctx: PlanContext): Promise<Set<string>> {
  return (await uncovered(ctx)).known;
}

async function uncovered(ctx: PlanContext): Promise<{ known: Set<string>; stored: number }> {
  const bookmark = await ctx.state.getBookmark(FMP_UNCOVERED_BOOKMARK);
  const known = new Set<string>(bookmark === undefined ? [] : (JSON.parse(bookmark) as string[]));
  const stored = known.size;
  for (const symbol of await badSymbolSet(ctx, 'fmp')) known.add(symbol);
  for (const symbol of await deadSymbols(ctx, 'fmp', ['fmp.statements'])) known.add(symbol);
  for (const symbol of await notServedSymbols(ctx, 'fmp', ['fmp.statements'], 'fundamentals')) known.add(symbol);
  return { known, stored };
}
