import { addDays, lastCompletedSession, nyDate, sessionDatesBetween } from '../../../calendar/index.js';
import type { EndpointId } from '../../../catalog/index.js';
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
  deadSymbols,
  lastRecordedMs,
  sinceTag,
  targetOf,
  usableCapability,
  weekStart,
} from './common.js';
import { periodicReferenceUnit } from './periodic.js';

const MINUTE = 60_000;
const CORP_ENDPOINTS = ['av.splits', 'av.dividends'] as const satisfies readonly EndpointId[];
/** backfill.yml defaults when a target omits them (the shipped values). */
const DEFAULT_CORP_SYMBOLS_PER_DAY = 8;
const DEFAULT_OPTIONS_TOP_N = 25;
const DEFAULT_OPTIONS_PER_DAY = 1;

/**
 * av_corp_actions: the full split and dividend history of `symbols_per_day` symbols per budget day
 * (2 requests a symbol), rotating through the members of the equities_eod window: symbols never
 * fetched first (most liquid first), then the ones fetched longest ago. Backfill origin at the
 * corp_actions priority, the highest in backfill.yml (spec §5: corporate actions first).
 */
export const avCorpActionsPlanner: TaskPlanner = {
  task: 'av_corp_actions',
  async plan(ctx) {
    const endpoints: EndpointId[] = [];
    for (const endpoint of CORP_ENDPOINTS) if (await usableCapability(ctx, endpoint, 'corp_actions')) endpoints.push(endpoint);
    if (endpoints.length === 0) return [];
    const perDay = targetOf(ctx, 'corp_actions')?.symbols_per_day ?? DEFAULT_CORP_SYMBOLS_PER_DAY;
    const coverage = await ctx.lake.readCoverage('corp_actions');
    const byEndpoint = new Map(endpoints.map((e) => [e, coverageByScope(coverage, 'av', e)] as const));
    const lastFetch = (symbol: string, endpoint: EndpointId): number | undefined => lastRecordedMs(byEndpoint.get(endpoint)?.get(symbol));

    const picks = await dailyPicks<string>(ctx, 'plan.av_corp_actions', async () => {
      const excluded = new Set([...(await badSymbolSet(ctx, 'av')), ...(await deadSymbols(ctx, 'av', endpoints))]);
      const today = nyDate(ctx.nowMs);
      const candidates = membersDuring(ctx.universe, eodWindow(ctx.settings, ctx.nowMs).start, today)
        .map((m) => m.symbol)
        .filter((s) => !excluded.has(s));
      const ranked = await byLiquidity(ctx, candidates);
      // Oldest fetch of the two endpoints; never fetched sorts first. Ties keep liquidity order (stable sort).
      const age = (s: string): number => Math.min(...endpoints.map((e) => lastFetch(s, e) ?? Number.NEGATIVE_INFINITY));
      return [...ranked].sort((a, b) => (age(a) === age(b) ? 0 : age(a) < age(b) ? -1 : 1)).slice(0, perDay);
    });

    const dayStart = dayStartMs(nyDate(ctx.nowMs));
    const units: QueueUnitInput[] = [];
    for (const symbol of picks) {
      for (const endpoint of endpoints) {
        const last = lastFetch(symbol, endpoint);
        if (last !== undefined && last >= dayStart) continue;
        units.push(
          fetchUnit({
            endpoint,
            dataset: 'corp_actions',
            params: { symbols: [symbol] },
            priority: unitPriority(ctx.config, 'corp_actions', 'backfill'),
            origin: 'backfill',
            tag: sinceTag(last),
          }),
        );
      }
    }
    return units;
  },
};

/**
 * av_options_hist: HISTORICAL_OPTIONS, one (underlier, session) per request, for the `top_n` most
 * liquid underliers over the sessions from the target's start to the newest session AV serves;
 * `symbols_per_day` pairs per budget day, newest sessions first and, within a session, the most
 * liquid underlier first. The newest session is forward work, older ones backfill. Premium on
 * some free keys: the first refusal records the capability denied and planning stops.
 */
export const avOptionsHistPlanner: TaskPlanner = {
  task: 'av_options_hist',
  async plan(ctx) {
    const capability = await usableCapability(ctx, 'av.historical_options', 'options_chain_hist');
    const target = targetOf(ctx, 'options_chain_hist');
    if (capability === undefined || target === undefined) return [];
    const newest = lastCompletedSession(ctx.nowMs, capability.availableAfterCloseMinutes * MINUTE);
    const coverage = coverageByScope(await ctx.lake.readCoverage('options_chain_hist'), 'av', 'av.historical_options');
    const covered = (symbol: string, date: string): boolean => (coverage.get(symbol) ?? []).some((e) => e.start <= date && e.end >= date);

    const picks = await dailyPicks<{ symbol: string; date: string }>(ctx, 'plan.av_options_hist', async () => {
      const dead = await deadPairs(ctx);
      const underliers = await optionsHistUnderliers(ctx, newest);
      const perDay = target.symbols_per_day ?? DEFAULT_OPTIONS_PER_DAY;
      const start = windowStart(target.earliest, target.lookback_days, nyDate(ctx.nowMs));
      const chosen: { symbol: string; date: string }[] = [];
      const sessions = start <= newest ? sessionDatesBetween(start, newest).reverse() : [];
      for (const date of sessions) {
        for (const symbol of underliers) {
          if (chosen.length >= perDay) return chosen;
          if (!covered(symbol, date) && !dead.has(`${symbol}|${date}`)) chosen.push({ symbol, date });
        }
      }
      return chosen;
    });

    return picks
      .filter((p) => !covered(p.symbol, p.date))
      .map((p) => {
        const origin = p.date === newest ? 'forward' : 'backfill';
        return fetchUnit({
          endpoint: 'av.historical_options',
          dataset: 'options_chain_hist',
          params: { symbols: [p.symbol], date: p.date },
          priority: unitPriority(ctx.config, 'options_chain_hist', origin),
          origin,
        });
      });
  },
};

/**
 * The underliers av_options_hist fills: the `top_n` most liquid names listed on `newest`, less those
 * AV marks bad. The audit expects exactly these, so a dataset nothing was fetched for yet is RED,
 * not GREEN for want of names.
 */
export async function optionsHistUnderliers(ctx: PlanContext, newest: string): Promise<string[]> {
  const bad = await badSymbolSet(ctx, 'av');
  const active = membersDuring(ctx.universe, newest, newest).map((m) => m.symbol).filter((s) => !bad.has(s));
  return (await byLiquidity(ctx, active)).slice(0, targetOf(ctx, 'options_chain_hist')?.top_n ?? DEFAULT_OPTIONS_TOP_N);
}

/** The effective start of a target: the later of `earliest` and today − lookback_days. */
export function windowStart(earliest: string, lookbackDays: number | undefined, today: string): string {
  if (lookbackDays === undefined) return earliest;
  const rolling = addDays(today, -lookbackDays);
  return rolling > earliest ? rolling : earliest;
}

async function deadPairs(ctx: PlanContext): Promise<Set<string>> {
  const pairs = new Set<string>();
  for (const unit of await ctx.state.listQueue({ status: 'dead', vendor: 'av' })) {
    if (unit.endpoint !== 'av.historical_options') continue;
    const symbols = unit.params.symbols;
    const date = unit.params.date;
    if (Array.isArray(symbols) && typeof date === 'string') for (const s of symbols) pairs.add(`${String(s)}|${date}`);
  }
  return pairs;
}

/**
 * av_delistings: LISTING_STATUS once a week — `state=delisted` (every delisting since 2010 with its
 * date, in one request: the list as of today already reaches back to `targets.delistings.earliest`,
 * so no dated snapshots are needed) → delistings, and the active list → symbols. 2 requests a week.
 */
export const avDelistingsPlanner: TaskPlanner = {
  task: 'av_delistings',
  async plan(ctx) {
    const week = weekStart(ctx.nowMs);
    const periodStartMs = dayStartMs(week);
    return [
      ...(await periodicReferenceUnit(ctx, { endpoint: 'av.listing_status', dataset: 'delistings', periodStartMs, tag: `week=${week}` })),
      ...(await periodicReferenceUnit(ctx, { endpoint: 'av.listing_status', dataset: 'symbols', periodStartMs, tag: `week=${week}` })),
    ];
  },
};
