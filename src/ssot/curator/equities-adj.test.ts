import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AdjustedBarRow, EquityBarRow } from '../../catalog/index.js';
import { adjustedClosesOf, createMarket } from '../../sandbox/index.js';
import { readCurated } from '../curate.js';
import { curateAdjusted } from './equities-adj.js';
import { runCuratorJobs } from './jobs.js';
import { bucketOf, curatedPath, manifestPath } from './layout.js';
import { readManifest } from './parts.js';
import { curatorConfig, dividendRow, job, origin, splitRow, tempLake } from './test-support.js';

const START = '2023-06-01';
const END = '2024-12-31';

describe('equities_ohlcv_adj job', () => {
  it('equals the sandbox ground truth exactly, and a late split rewrites only the files of that symbol', async () => {
    const { lake, dir, clock, done } = await tempLake();
    try {
      const market = createMarket({ seed: 11, symbols: 40, start: START, end: END });
      for (const date of market.sessions) {
        const rows: EquityBarRow[] = market.barsOn(date).map(({ symbol, bar }) => ({
          symbol, date, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume,
          vwap: bar.vwap, trades: bar.trades, feed: 'sip', adjusted: false, ...origin('alpaca'),
        }));
        if (rows.length > 0) await lake.writeRawPartition('equities_eod', 'alpaca', date, rows);
      }
      const late = market.splits.find((s) => s.exDate.slice(0, 4) === '2024' && s.exDate > '2024-03-01' && s.exDate < '2024-12-01');
      expect(late, 'the market has a 2024 split').toBeDefined();
      const lateSplit = late as NonNullable<typeof late>;
      const early = market.splits.filter((s) => s !== lateSplit);
      await lake.writeReference('corp_actions', 'alpaca', [...early.map((s) => splitRow(s)), ...market.dividends.map((d) => dividendRow(d))]);
      const config = curatorConfig([job('equities_ohlcv_adj', { input: 'equities_eod', transform: 'adjust_ohlcv', corp_actions_precedence: ['alpaca'] })]);

      const [first] = await runCuratorJobs({ lake, config, clock });
      expect(first?.status).toBe('ran');
      expectGroundTruth(await readCurated(lake), market, lateSplit);

      const manifestBefore = await readManifest(lake, manifestPath('equities_ohlcv_adj'));
      const mtimes = await mtimesOf(dir, [...manifestBefore.keys()]);

      // A second run with nothing new reads inputs but rewrites nothing.
      const [idle] = await runCuratorJobs({ lake, config, clock });
      expect(idle?.filesWritten).toBe(0);
      expect(idle?.contentHash).toBe(first?.contentHash);

      await lake.writeReference('corp_actions', 'polygon', [splitRow(lateSplit, 'polygon')]);
      const [second] = await runCuratorJobs({ lake, config: { ...config, jobs: { equities_ohlcv_adj: { ...config.jobs.equities_ohlcv_adj!, corp_actions_precedence: ['alpaca', 'polygon'] } } }, clock });
      expectGroundTruth(await readCurated(lake), market, undefined);

      // The settings changed (a new precedence list), so every file was recomputed, yet only the
      // late-split symbol's bucket, in the years up to its ex-date, changed and was written.
      const bucket = bucketOf(lateSplit.symbol);
      const expected = [...manifestBefore.keys()].filter((p) => p.includes(`/bucket=${bucket}/`) && p <= curatedPath(lateSplit.exDate.slice(0, 4), bucket));
      expect(second?.written.sort()).toEqual(expected.sort());
      const manifestAfter = await readManifest(lake, manifestPath('equities_ohlcv_adj'));
      const after = await mtimesOf(dir, [...manifestAfter.keys()]);
      for (const [file, before] of mtimes) {
        if (expected.includes(file)) expect(manifestAfter.get(file)?.hash).not.toBe(manifestBefore.get(file)?.hash);
        else {
          expect(after.get(file), file).toBe(before);
          expect(manifestAfter.get(file)?.hash, file).toBe(manifestBefore.get(file)?.hash);
        }
      }
    } finally {
      await done();
    }
  }, 120_000);

  it('with unchanged settings, a late split is found by its factor signature and only that symbol is recomputed', async () => {
    const { lake, clock, done } = await tempLake();
    try {
      const days = ['2023-12-28', '2023-12-29', '2024-01-02', '2024-01-03', '2024-06-03', '2024-06-04'];
      for (const [i, date] of days.entries()) {
        await lake.writeRawPartition('equities_eod', 'alpaca', date, [
          { ...bar('AAA', date, 100 + i) },
          { ...bar('BBB', date, 50 + i) },
        ]);
      }
      const config = curatorConfig([job('adj', { input: 'equities_eod', output: 'equities_ohlcv_adj', transform: 'adjust_ohlcv', corp_actions_precedence: ['alpaca'] })], 1);
      const [first] = await runCuratorJobs({ lake, config, clock });
      expect(first?.filesWritten).toBe(bucketOf('AAA') === bucketOf('BBB') ? 2 : 4);

      // BBB splits 2-for-1 on 2024-06-04: only BBB's files of 2023 and 2024 may change.
      await lake.writeReference('corp_actions', 'alpaca', [{
        symbol: 'BBB', action: 'split', ex_date: '2024-06-04', split_ratio: 2, cash_amount: null, currency: null, record_date: null,
        pay_date: null, declared_date: null, new_symbol: null, ...origin('alpaca'),
      }]);
      const [second] = await runCuratorJobs({ lake, config, clock });
      expect(second?.written.sort()).toEqual([curatedPath('2023', bucketOf('BBB')), curatedPath('2024', bucketOf('BBB'))]);
      const rows = await readCurated(lake);
      expect(rows.filter((r) => r.symbol === 'BBB').map((r) => [r.date, r.adj_close, r.adj_volume])).toEqual([
        ['2023-12-28', 25, 2000], ['2023-12-29', 25.5, 2000], ['2024-01-02', 26, 2000], ['2024-01-03', 26.5, 2000], ['2024-06-03', 27, 2000], ['2024-06-04', 55, 1000],
      ]);
      expect(rows.filter((r) => r.symbol === 'AAA').every((r) => r.adj_close === r.close)).toBe(true);
    } finally {
      await done();
    }
  }, 60_000);
});

describe('equities_ohlcv_adj slices', () => {
  it('built a year and a group of buckets at a time, writes the same files as in one pass, reading each year once per slice', async () => {
    const hashes: string[] = [];
    const slices: number[] = [];
    for (const maxRowsPerSlice of [undefined, 500]) {
      const { lake, done } = await tempLake();
      try {
        const market = createMarket({ seed: 5, symbols: 24, start: '2023-10-02', end: '2024-03-28' });
        for (const date of market.sessions) {
          const rows = market.barsOn(date).map(({ symbol, bar: b }) => ({ ...bar(symbol, date, b.close), open: b.open, high: b.high, low: b.low }));
          if (rows.length > 0) await lake.writeRawPartition('equities_eod', 'alpaca', date, rows);
        }
        await lake.writeReference('corp_actions', 'alpaca', [...market.splits.map((s) => splitRow(s)), ...market.dividends.map((d) => dividendRow(d))]);
        const query = vi.spyOn(lake, 'query');
        const { result } = await curateAdjusted({ lake, vendorPrecedence: ['alpaca'], corpActionsPrecedence: ['alpaca'], maxRowsPerSlice });
        slices.push(query.mock.calls.filter(([sql]) => /CREATE OR REPLACE TEMP TABLE __curator_eod_bars/.test(String(sql))).length);
        expect(result.rows).toBe(market.sessions.reduce((n, d) => n + market.barsOn(d).length, 0));
        expectGroundTruth(await readCurated(lake), market, undefined);
        hashes.push(result.contentHash);
      } finally {
        await done();
      }
    }
    expect(slices[0]).toBe(2); // 2023 and 2024, each in one slice
    expect(slices[1]).toBeGreaterThanOrEqual(6); // each year (about 1,500 rows) in slices of at most 500
    expect(hashes[1]).toBe(hashes[0]);
  }, 60_000);
});

function bar(symbol: string, date: string, close: number): EquityBarRow {
  return { symbol, date, open: close, high: close + 1, low: close - 1, close, volume: 1000, vwap: null, trades: null, feed: null, adjusted: false, ...origin('alpaca') };
}

function expectGroundTruth(curated: readonly AdjustedBarRow[], market: ReturnType<typeof createMarket>, withheld: { symbol: string; exDate: string } | undefined): void {
  const bySymbol = new Map<string, Map<string, number>>();
  for (const row of curated) {
    const dates = bySymbol.get(row.symbol) ?? new Map<string, number>();
    dates.set(row.date, row.adj_close);
    bySymbol.set(row.symbol, dates);
  }
  let compared = 0;
  for (const [symbol, dates] of bySymbol) {
    const bars = market.barsOf(symbol);
    const first = bars[0]?.date ?? '';
    const last = bars[bars.length - 1]?.date ?? '';
    const effective = (ex: string): boolean => ex > first && ex <= last;
    const splits = market.splitsOf(symbol).filter((s) => effective(s.exDate) && !(withheld && s.symbol === withheld.symbol && s.exDate === withheld.exDate));
    const dividends = market.dividendsOf(symbol).filter((d) => effective(d.exDate));
    for (const { date, adjClose } of adjustedClosesOf(bars, splits, dividends)) {
      expect(dates.get(date), `${symbol} ${date}`).toBe(adjClose);
      compared += 1;
    }
  }
  expect(compared).toBe(curated.length);
}

async function mtimesOf(dir: string, keys: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const key of keys) out.set(key, (await stat(path.join(dir, key))).mtimeMs);
  return out;
}
