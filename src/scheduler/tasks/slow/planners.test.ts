import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageEntry } from '../../../catalog/index.js';
import { avCorpActionsPlanner, avDelistingsPlanner, avOptionsHistPlanner } from './av.js';
import { FMP_UNCOVERED_BOOKMARK, fmpFundamentalsPlanner } from './fmp.js';
import { fredSeriesPlanner, fredTreasuryPlanner } from './fred.js';
import { SLOW_PLANNERS } from './index.js';
import { localContext, member, testConfig, type LocalContext } from './test-support/context.js';

/** Wednesday 2026-06-03, 18:00 New York. */
const NOW = Date.parse('2026-06-03T22:00:00Z');
const DAY = 86_400_000;
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH', 'III', 'JJJ'];

let local: LocalContext | undefined;
afterEach(async () => {
  await local?.close();
  local = undefined;
});

function cover(entry: Partial<CoverageEntry> & Pick<CoverageEntry, 'dataset' | 'vendor' | 'endpoint' | 'scope'>, atMs: number): CoverageEntry {
  return { start: '2026-06-03', end: '2026-06-03', rows: 1, recorded_at: new Date(atMs).toISOString(), ...entry };
}

describe('SLOW_PLANNERS', () => {
  it('has one planner per task it owns', () => {
    expect(SLOW_PLANNERS.map((p) => p.task).sort()).toEqual(
      ['av_corp_actions', 'av_delistings', 'av_options_hist', 'fmp_delistings', 'fmp_fundamentals', 'fmp_symbols', 'fred_series', 'fred_treasury'].sort(),
    );
  });

  it('plan nothing for vendors without keys', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['alpaca'], universe: SYMBOLS.map((s) => member(s)) });
    for (const planner of SLOW_PLANNERS) expect(await planner.plan(local.ctx)).toEqual([]);
  });
});

describe('av_corp_actions', () => {
  it('plans 8 symbols a day (16 requests), never-covered first, then the oldest covered, at the corp_actions backfill priority', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['av'], universe: SYMBOLS.map((s) => member(s)) });
    // AAA and BBB fetched long ago, CCC yesterday: the eight never-covered come first.
    await local.lake.recordCoverage([
      cover({ dataset: 'corp_actions', vendor: 'av', endpoint: 'av.splits', scope: 'AAA' }, NOW - 30 * DAY),
      cover({ dataset: 'corp_actions', vendor: 'av', endpoint: 'av.dividends', scope: 'AAA' }, NOW - 30 * DAY),
      cover({ dataset: 'corp_actions', vendor: 'av', endpoint: 'av.splits', scope: 'BBB' }, NOW - 20 * DAY),
      cover({ dataset: 'corp_actions', vendor: 'av', endpoint: 'av.dividends', scope: 'BBB' }, NOW - 20 * DAY),
      cover({ dataset: 'corp_actions', vendor: 'av', endpoint: 'av.splits', scope: 'CCC' }, NOW - DAY),
      cover({ dataset: 'corp_actions', vendor: 'av', endpoint: 'av.dividends', scope: 'CCC' }, NOW - DAY),
    ]);
    const units = await avCorpActionsPlanner.plan(local.ctx);
    expect(units).toHaveLength(16);
    const symbols = [...new Set(units.map((u) => (u.params.symbols as string[])[0]))];
    expect(symbols).toEqual(['DDD', 'EEE', 'FFF', 'GGG', 'HHH', 'III', 'JJJ', 'AAA']);
    expect(units.every((u) => u.vendor === 'av' && u.origin === 'backfill' && u.priority === 100)).toBe(true);
    expect(units.filter((u) => u.endpoint === 'av.splits')).toHaveLength(8);
    expect(units.find((u) => (u.params.symbols as string[])[0] === 'AAA')?.identity).toBe('av.splits|corp_actions|symbols=AAA|since=2026-05-04');
    // Same day: the same units (the queue dedupes them), never a second rotation.
    expect((await avCorpActionsPlanner.plan(local.ctx)).map((u) => u.identity)).toEqual(units.map((u) => u.identity));
    // Once fetched today, nothing more today.
    await local.lake.recordCoverage(units.map((u) => cover({ dataset: 'corp_actions', vendor: 'av', endpoint: u.endpoint, scope: (u.params.symbols as string[])[0] as string }, NOW + 60_000)));
    expect(await avCorpActionsPlanner.plan({ ...local.ctx, nowMs: NOW + 120_000 })).toEqual([]);
    // Next day the rotation moves on to the oldest covered.
    const next = await avCorpActionsPlanner.plan({ ...local.ctx, nowMs: NOW + DAY });
    expect([...new Set(next.map((u) => (u.params.symbols as string[])[0]))].slice(0, 2)).toEqual(['BBB', 'CCC']);
  });

  it('skips symbols whose units were dead-lettered or that the state marks bad', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['av'], universe: ['AAA', 'BBB'].map((s) => member(s)) });
    await local.state.markBadSymbol({ vendor: 'av', symbol: 'AAA', untilMs: NOW + DAY, reason: 'unknown' });
    const units = await avCorpActionsPlanner.plan(local.ctx);
    expect(new Set(units.map((u) => (u.params.symbols as string[])[0]))).toEqual(new Set(['BBB']));
  });
});

describe('av_options_hist', () => {
  it('plans the newest session of the most liquid underlier, forward, one pair a day', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['av'], universe: ['AAA', 'BBB', 'CCC'].map((s) => member(s)) });
    const bar = (symbol: string, close: number) => ({ symbol, date: '2026-06-01', open: close, high: close, low: close, close, volume: 1000, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: 'alpaca', source_uri: 'x', ingested_at: new Date(NOW).toISOString() });
    await local.lake.writeRawPartition('equities_eod', 'alpaca', '2026-06-01', [bar('AAA', 5), bar('BBB', 50), bar('CCC', 10)]);
    const units = await avOptionsHistPlanner.plan(local.ctx);
    // available_after_close 1440 min: on Wednesday evening the newest served session is Tuesday.
    expect(units.map((u) => [u.identity, u.origin, u.priority])).toEqual([['av.historical_options|options_chain_hist|symbols=BBB|2026-06-02', 'forward', 170]]);
  });

  it('plans nothing once the capability is recorded denied', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['av'], universe: [member('AAA')] });
    await local.state.setCapabilityStatus({ vendor: 'av', endpoint: 'av.historical_options', status: 'denied', reason: 'premium', untilMs: null, updatedAtMs: NOW });
    expect(await avOptionsHistPlanner.plan(local.ctx)).toEqual([]);
  });
});

describe('av_delistings', () => {
  it('plans the delisted and the active listing once a week', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['av'] });
    const units = await avDelistingsPlanner.plan(local.ctx);
    expect(units.map((u) => [u.identity, u.dataset, u.origin])).toEqual([
      ['av.listing_status|delistings|week=2026-06-01', 'delistings', 'reference'],
      ['av.listing_status|symbols|week=2026-06-01', 'symbols', 'reference'],
    ]);
    await local.lake.recordCoverage([cover({ dataset: 'delistings', vendor: 'av', endpoint: 'av.listing_status', scope: '*' }, NOW)]);
    expect((await avDelistingsPlanner.plan({ ...local.ctx, nowMs: NOW + 2 * DAY })).map((u) => u.dataset)).toEqual(['symbols']);
    expect((await avDelistingsPlanner.plan({ ...local.ctx, nowMs: NOW + 6 * DAY })).map((u) => u.identity)).toContain('av.listing_status|delistings|week=2026-06-08');
  });
});

describe('fmp_fundamentals', () => {
  it('probes an unknown symbol with one statement, asks the rest once it answered, and never asks a refused symbol again', async () => {
    local = await localContext({ nowMs: NOW, vendors: ['fmp'], universe: ['AAA', 'BBB'].map((s) => member(s)) });
    const first = await fmpFundamentalsPlanner.plan(local.ctx);
    expect(first.map((u) => u.identity)).toEqual([
      'fmp.statements|fundamentals|symbols=AAA|statement=income|period=annual|since=never',
      'fmp.statements|fundamentals|symbols=BBB|statement=income|period=annual|since=never',
    ]);
    expect(first.every((u) => u.origin === 'backfill' && u.priority === 60)).toBe(true);
    // AAA answered with an income statement; BBB was refused (the executor marks it bad).
    await local.lake.writeReference('fundamentals', 'fmp', [
      { symbol: 'AAA', statement: 'income', fiscal_year: 2025, fiscal_period: 'FY', period_end: '2025-12-31', currency: 'USD', filing_date: null, accepted_at: null, metric: 'revenue', value: 1, source_name: 'fmp', source_uri: 'x', ingested_at: new Date(NOW).toISOString() } as never,
    ]);
    await local.state.markBadSymbol({ vendor: 'fmp', symbol: 'BBB', untilMs: NOW + 7 * DAY, reason: 'not in the free sample' });
    const second = await fmpFundamentalsPlanner.plan(local.ctx);
    expect(second.map((u) => u.params.statement)).toEqual(['balance', 'cashflow']);
    expect(second.every((u) => (u.params.symbols as string[])[0] === 'AAA')).toBe(true);
    expect(JSON.parse((await local.state.getBookmark(FMP_UNCOVERED_BOOKMARK)) ?? '[]')).toEqual(['BBB']);
    // Weeks later the bad-symbol mark has expired: BBB is still never asked again.
    const later = await fmpFundamentalsPlanner.plan({ ...local.ctx, nowMs: NOW + 30 * DAY });
    expect(later.some((u) => (u.params.symbols as string[])[0] === 'BBB')).toBe(false);
  });
});

describe('fred', () => {
  it('treasuries: a forward unit for the newest H.15 session and the backfill window in chunks; nothing once covered', async () => {
    const config = await testConfig({ treasuries: { earliest: '2026-03-01', chunk_days: 30 } });
    local = await localContext({ nowMs: NOW, vendors: ['fred'], config });
    const units = await fredTreasuryPlanner.plan(local.ctx);
    const windows = units.map((u) => [u.origin, u.params.start, u.params.end]);
    expect(windows[0]).toEqual(['forward', '2026-05-23', '2026-06-02']);
    expect(windows.slice(1)).toEqual([
      ['backfill', '2026-03-01', '2026-03-30'],
      ['backfill', '2026-03-31', '2026-04-29'],
      ['backfill', '2026-04-30', '2026-05-22'],
    ]);
    expect((units[0]?.params.series as string[]).length).toBe(11);
    await local.lake.recordCoverage(
      units.flatMap((u) => (u.params.series as string[]).map((s) => cover({ dataset: 'treasuries', vendor: 'fred', endpoint: 'fred.treasury_curve', scope: s, start: u.params.start as string, end: u.params.end as string }, NOW))),
    );
    expect(await fredTreasuryPlanner.plan(local.ctx)).toEqual([]);
    // The next day only the new forward window; the grown last chunk stays covered.
    expect((await fredTreasuryPlanner.plan({ ...local.ctx, nowMs: NOW + DAY })).map((u) => [u.origin, u.params.start, u.params.end])).toEqual([['forward', '2026-05-24', '2026-06-03']]);
  });

  it('macro series: every vintage, chunked, one series per unit, the newest chunk re-polled weekly', async () => {
    const config = await testConfig({ macro_series: { earliest: '2010-01-01', chunk_days: 3650, series: ['GDP', 'UNRATE'], vintages: true } });
    local = await localContext({ nowMs: NOW, vendors: ['fred'], config });
    const units = await fredSeriesPlanner.plan(local.ctx);
    expect(units.map((u) => [u.endpoint, (u.params.series as string[])[0], u.origin, u.params.start, u.params.end])).toEqual([
      ['fred.vintages', 'GDP', 'backfill', '2010-01-01', '2019-12-29'],
      ['fred.vintages', 'GDP', 'forward', '2019-12-30', '2026-06-03'],
      ['fred.vintages', 'UNRATE', 'backfill', '2010-01-01', '2019-12-29'],
      ['fred.vintages', 'UNRATE', 'forward', '2019-12-30', '2026-06-03'],
    ]);
    await local.lake.recordCoverage(units.map((u) => cover({ dataset: 'macro_series', vendor: 'fred', endpoint: 'fred.vintages', scope: (u.params.series as string[])[0] as string, start: u.params.start as string, end: u.params.end as string }, NOW)));
    expect(await fredSeriesPlanner.plan({ ...local.ctx, nowMs: NOW + 2 * DAY })).toEqual([]);
    expect((await fredSeriesPlanner.plan({ ...local.ctx, nowMs: NOW + 7 * DAY })).map((u) => u.origin)).toEqual(['forward', 'forward']);
  });
});
