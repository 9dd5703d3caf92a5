import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nyInstant, sessionDatesBetween } from '../../../calendar/index.js';
import type { EquityBarRow } from '../../../catalog/index.js';
import { pipelineSettings } from '../../../cli/runtime.js';
import { VirtualClock } from '../../../clock/index.js';
import { loadConfig, type TrademlConfig } from '../../../config/index.js';
import { Lake } from '../../../lake/index.js';
import { openStateStore, type StateStore } from '../../../state/index.js';
import type { UniverseMember } from '../../../universe/index.js';
import { liquidityRanking, topSymbolsByDollarVolume } from '../../../universe/liquidity.js';
import { snapshotSession } from './chains.js';
import { asOfGrid } from './contracts.js';
import { isoWeek } from './finnhub.js';
import { alpacaMinutePlanner, MAX_MINUTE_BARS_PER_SESSION } from './minute.js';
import { CONFIG_DIR, withTask } from './test-support/pipeline.js';
import type { PlanContext } from '../types.js';

const NOW = nyInstant('2026-06-03', '18:00');

interface Fixture {
  lake: Lake;
  state: StateStore;
  config: TrademlConfig;
  dir: string;
}

let fixture: Fixture | undefined;
afterEach(async () => {
  if (!fixture) return;
  await fixture.state.close();
  await fixture.lake.close();
  await rm(fixture.dir, { recursive: true, force: true });
  fixture = undefined;
});

async function open(): Promise<Fixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-planners-'));
  const lake = await Lake.open({ root: path.join(dir, 'lake'), clock: new VirtualClock({ start: NOW }) });
  const state = await openStateStore(`sqlite:${path.join(dir, 'state.sqlite')}`);
  fixture = { lake, state, config: await loadConfig(CONFIG_DIR), dir };
  return fixture;
}

function members(n: number): UniverseMember[] {
  return Array.from({ length: n }, (_, i) => ({ symbol: `S${String(i).padStart(3, '0')}`, status: 'active', delistedDate: null, ipoDate: null, sources: ['test'] }));
}

function context(f: Fixture, universe: UniverseMember[], config: TrademlConfig = f.config, maxRowsPerUnit?: number): PlanContext {
  const settings = pipelineSettings(config, ['alpaca', 'polygon', 'finnhub']);
  return { lake: f.lake, state: f.state, config, settings: maxRowsPerUnit ? { ...settings, maxRowsPerUnit } : settings, nowMs: NOW, universe };
}

function withMinuteLookback(config: TrademlConfig, days: number): TrademlConfig {
  const target = config.backfill.targets.equities_minute;
  if (!target) throw new Error('no equities_minute target');
  return { ...config, backfill: { ...config.backfill, targets: { ...config.backfill.targets, equities_minute: { ...target, lookback_days: days } } } };
}

function bar(symbol: string, date: string, close: number, volume: number): EquityBarRow {
  return { symbol, date, open: close, high: close, low: close, close, volume, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: 'alpaca', source_uri: 'test://', ingested_at: '2026-06-03T22:00:00.000Z' };
}

describe('liquidity ranking', () => {
  it('orders by median dollar volume over the last 20 sessions, ties by symbol, and falls back to the universe order without bars', async () => {
    const f = await open();
    expect(await topSymbolsByDollarVolume(f.lake, 2, '2026-06-03', ['ZZZ', 'AAA', 'MMM'])).toEqual(['ZZZ', 'AAA']);
    const sessions = sessionDatesBetween('2026-04-01', '2026-06-03');
    for (const date of sessions) {
      const old = date < sessions[sessions.length - 20]!;
      // BIG is only big before the lookback; TIE1/TIE2 tie exactly; ONE has one huge day (the median ignores it).
      const rows = [bar('BIG', date, 100, old ? 1e9 : 10), bar('TIE2', date, 10, 1000), bar('TIE1', date, 10, 1000), bar('ONE', date, 1, date === '2026-06-03' ? 1e12 : 5000)];
      await f.lake.writeRawPartition('equities_eod', 'alpaca', date, rows);
    }
    const ranked = await liquidityRanking(f.lake, '2026-06-03');
    expect(ranked.map((r) => [r.symbol, r.dollarVolume, r.sessions])).toEqual([
      ['TIE1', 10_000, 20],
      ['TIE2', 10_000, 20],
      ['ONE', 5000, 20],
      ['BIG', 1000, 20],
    ]);
    expect(await topSymbolsByDollarVolume(f.lake, 2, '2026-06-03', ['BIG', 'ONE', 'TIE2'])).toEqual(['TIE2', 'ONE']);
  });
});

describe('alpaca_minute planning (synthetic)', () => {
  it('plans the top 100 × 20 sessions as one unit a session, newest first, at the analytic minimum of units', async () => {
    const f = await open();
    const config = withTask(withMinuteLookback(f.config, 28), { name: 'alpaca_minute', enabled: true, top_n: 100 });
    const units = await alpacaMinutePlanner.plan(context(f, members(150), config));
    // 150 members, top 100: the ranking needs bars, and there are none yet: nothing is spent on a guess.
    expect(units).toEqual([]);
    const all = await alpacaMinutePlanner.plan(context(f, members(100), config));
    const sessions = sessionDatesBetween('2026-05-06', '2026-06-03').reverse();
    expect(sessions).toHaveLength(20);
    expect(all.map((u) => u.params.start)).toEqual(sessions);
    expect(all.every((u) => (u.params.symbols as string[]).length === 100 && u.params.start === u.params.end)).toBe(true);
    expect(all.map((u) => u.origin)).toEqual(['forward', ...Array(19).fill('backfill')]);
    expect(all[0]?.priority).toBeGreaterThan(all[1]?.priority as number);
    // A tighter row cap splits each session's symbols into equal contiguous batches.
    const capped = await alpacaMinutePlanner.plan(context(f, members(100), config, 50 * MAX_MINUTE_BARS_PER_SESSION));
    expect(capped).toHaveLength(40);
    expect(capped.slice(0, 2).map((u) => (u.params.symbols as string[]).length)).toEqual([50, 50]);
  });

  it('skips (symbol, session) pairs coverage records as fetched, even when the answer was empty', async () => {
    const f = await open();
    const config = withMinuteLookback(f.config, 3);
    const universe = members(3);
    await f.lake.recordCoverage([
      { dataset: 'equities_minute', vendor: 'alpaca', endpoint: 'alpaca.minute', scope: 'S000', start: '2026-06-01', end: '2026-06-02', rows: 0, recorded_at: '2026-06-03T00:00:00.000Z' },
      { dataset: 'equities_minute', vendor: 'alpaca', endpoint: 'alpaca.minute', scope: 'S001', start: '2026-06-02', end: '2026-06-02', rows: 700, recorded_at: '2026-06-03T00:00:00.000Z' },
    ]);
    const units = await alpacaMinutePlanner.plan(context(f, universe, config));
    expect(units.map((u) => [u.params.start, u.params.symbols])).toEqual([
      ['2026-06-03', ['S000', 'S001', 'S002']],
      ['2026-06-02', ['S002']],
      ['2026-06-01', ['S001', 'S002']],
    ]);
  });
});

describe('calendar helpers of the planners', () => {
  it('keeps the contracts as-of grid fixed as time passes', () => {
    expect(asOfGrid('2026-03-20', '2026-06-03', 30)).toEqual(['2026-05-07', '2026-04-07']);
    expect(asOfGrid('2026-03-20', '2026-06-05', 30)).toEqual(['2026-05-07', '2026-04-07']);
    expect(asOfGrid('2026-03-20', '2026-06-06', 30)).toEqual(['2026-06-06', '2026-05-07', '2026-04-07']);
  });

  it('names ISO weeks (Monday starts a week; week 1 holds the first Thursday)', () => {
    expect(['2026-06-03', '2026-06-07', '2026-06-08', '2021-01-03', '2024-12-30'].map(isoWeek)).toEqual(['2026-W23', '2026-W23', '2026-W24', '2020-W53', '2025-W01']);
  });

  it('dates a chain snapshot to the settled session, and none while a session is in progress', () => {
    const capability = { availableAfterCloseMinutes: 30 } as Parameters<typeof snapshotSession>[1];
    expect(snapshotSession(nyInstant('2026-06-03', '16:10'), capability)).toBeUndefined();
    expect(snapshotSession(nyInstant('2026-06-03', '16:40'), capability)).toBe('2026-06-03');
    expect(snapshotSession(nyInstant('2026-06-04', '08:00'), capability)).toBe('2026-06-03');
    expect(snapshotSession(nyInstant('2026-06-04', '11:00'), capability)).toBeUndefined();
    expect(snapshotSession(nyInstant('2026-06-06', '11:00'), capability)).toBe('2026-06-05'); // Saturday
  });
});
