import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addDays, lastCompletedSession, nyInstant, sessionDatesBetween } from '../src/calendar/index.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadConfig, loadEnvironment, type TrademlConfig } from '../src/config/index.js';
import { ALPACA_FREE_PLAN, createMarket, startSandbox, type Market, type Sandbox } from '../src/sandbox/index.js';
import { minuteBars } from '../src/sandbox/market/index.js';
import { EOD_PLANNERS, REFERENCE_PLANNERS, runPipelineOnce, type EodWindow, type TaskPlanner } from '../src/scheduler/index.js';
import { alpacaMinutePlanner } from '../src/scheduler/tasks/market/index.js';
import { DEMO_CREDENTIALS } from '../src/cli/demo.js';
import { defaultStateUrl, openRuntime } from '../src/cli/runtime.js';
import { figure, type Benchmark, type BenchContext, type Figure } from './support.js';

/** A fixed as-of date keeps runs comparable (a Friday; the window ends on the session before). */
const AS_OF = '2026-11-20';
const POLYGON_RPM = 5;
const CONFIG_DIR = path.resolve(import.meta.dirname, '..', 'configs');

export interface Scenario {
  symbols: number;
  lookbackDays: number;
}

export interface PipelineOutcome {
  window: EodWindow;
  universe: string[];
  requests: number;
  rateLimited: number;
  greenRatio: number;
  virtualMsToGreen: number;
  wallMs: number;
}

export const requestsToGreen: Benchmark = {
  name: 'requests-to-green',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const scenarios: Scenario[] = ctx.quick ? [{ symbols: 60, lookbackDays: 90 }] : [{ symbols: 500, lookbackDays: 730 }, { symbols: 5000, lookbackDays: 730 }];
    const figures: Figure[] = [];
    for (const scenario of scenarios) {
      ctx.log(`requests-to-green: ${scenario.symbols} symbols × ${scenario.lookbackDays} days, Alpaca only, virtual clock`);
      const { outcome, market } = await runAlpacaOnly(scenario);
      ctx.log(`  ${outcome.requests} requests, ${(outcome.greenRatio * 100).toFixed(2)}% GREEN, wall ${(outcome.wallMs / 1000).toFixed(1)} s`);
      figures.push(...figuresFor(scenario, outcome, market));
    }
    const minute: MinuteScenario = ctx.quick ? { symbols: 60, topN: 10, sessions: 5 } : { symbols: 500, topN: 100, sessions: 20 };
    ctx.log(`requests-to-green: minute bars, top ${minute.topN} of ${minute.symbols} × ${minute.sessions} sessions, Alpaca only, virtual clock`);
    const outcome = await runMinuteBars(minute);
    ctx.log(`  ${outcome.requests} minute requests, ${outcome.rowsStored}/${outcome.barsExpected} bars stored, wall ${(outcome.wallMs / 1000).toFixed(1)} s`);
    figures.push(...minuteFigures(minute, outcome));
    return figures;
  },
};

/** The equities_eod task and the reference lists it needs (symbols, corporate actions), nothing else. */
const EOD_ONLY: readonly TaskPlanner[] = [...REFERENCE_PLANNERS, ...EOD_PLANNERS];

export async function runAlpacaOnly(scenario: Scenario): Promise<{ outcome: PipelineOutcome; market: Market }> {
  const wallStart = performance.now();
  const clock = new VirtualClock({ start: nyInstant(AS_OF, '07:00') });
  const market = createMarket({ seed: 7, symbols: scenario.symbols, start: addDays(AS_OF, -scenario.lookbackDays - 30), end: AS_OF });
  return withAlpacaSandbox(clock, market, (config) => withLookback(config, scenario.lookbackDays), async (runtime, sandbox) => {
    const start = clock.now();
    let fetchedAt = start;
    const report = await runPipelineOnce(runtime, {
      planners: EOD_ONLY,
      onEvent: (event) => {
        // The curator starts once every fetch (first pass and repairs) is done: that is when the ledger reached its final grade.
        if (event.kind === 'phase' && event.phase === 'curate') fetchedAt = clock.now();
      },
    });
    const universe = (await runtime.lake.query<{ symbol: string }>(`SELECT DISTINCT symbol FROM read_parquet(${fileList(await runtime.lake.rawGlob('equities_eod'))})`)).map((r) => r.symbol);
    return {
      market,
      outcome: {
        window: report.window,
        universe,
        requests: sandbox.stats().alpaca.requests,
        rateLimited: sandbox.stats().alpaca.rateLimited,
        greenRatio: report.ledger.greenRatio,
        virtualMsToGreen: fetchedAt - start,
        wallMs: performance.now() - wallStart,
      },
    };
  });
}

type Runtime = Awaited<ReturnType<typeof openRuntime>>;

/** A runtime on a fresh lake and state store, Alpaca only, against a sandbox on `clock` with the free plan's limits. */
async function withAlpacaSandbox<T>(
  clock: VirtualClock,
  market: Market,
  configure: (config: TrademlConfig) => TrademlConfig,
  work: (runtime: Runtime, sandbox: Sandbox) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trademl-bench-green-'));
  const configDir = path.join(dataDir, 'configs');
  await cp(CONFIG_DIR, configDir, { recursive: true });
  const sandbox = await startSandbox({ clock, market, credentials: { alpaca: DEMO_CREDENTIALS.alpaca } });
  try {
    const env = loadEnvironment({
      ...sandbox.env(),
      ALPACA_API_KEY_ID: DEMO_CREDENTIALS.alpaca.keyId,
      ALPACA_API_SECRET_KEY: DEMO_CREDENTIALS.alpaca.secretKey,
      TRADEML_STATE_URL: defaultStateUrl(dataDir),
    });
    const config = configure(await loadConfig(configDir));
    const runtime = await openRuntime({ configDir, config, dataDir: path.join(dataDir, 'lake'), env, clock, owner: 'bench', vendors: ['alpaca'] });
    try {
      return await work(runtime, sandbox);
    } finally {
      await runtime.close();
    }
  } finally {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function withLookback(config: TrademlConfig, lookbackDays: number): TrademlConfig {
  const eod = config.backfill.targets.equities_eod;
  if (!eod) throw new Error('configs/backfill.yml has no equities_eod target');
  return { ...config, backfill: { ...config.backfill, targets: { ...config.backfill.targets, equities_eod: { ...eod, lookback_days: lookbackDays } } } };
}

function fileList(files: readonly string[]): string {
  return `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(',')}]`;
}

interface Capability {
  symbolsPerRequest: number;
  rowsPerPage: number;
}

/**
 * The fewest Alpaca requests that can fetch the window, from endpoints.yml's batching facts:
 * one assets call, the corporate-action pages, and per batch of `symbols_per_request` symbols
 * ceil(bars / rows_per_page) pages.
 */
function analyticMinimum(market: Market, window: EodWindow, symbols: readonly string[], bars: Capability, corpActionsPerPage: number): number {
  const inWindow = (date: string): boolean => date >= window.start && date <= window.end;
  const actions = market.splits.filter((s) => inWindow(s.exDate)).length + market.dividends.filter((d) => inWindow(d.exDate)).length;
  let pages = 1 + Math.max(1, Math.ceil(actions / corpActionsPerPage));
  for (let i = 0; i < symbols.length; i += bars.symbolsPerRequest) {
    const batch = symbols.slice(i, i + bars.symbolsPerRequest);
    const count = batch.reduce((n, s) => n + market.barsOf(s).filter((b) => inWindow(b.date)).length, 0);
    pages += Math.max(1, Math.ceil(count / bars.rowsPerPage));
  }
  return pages;
}

function figuresFor(scenario: Scenario, outcome: PipelineOutcome, market: Market): Figure[] {
  const label = `${scenario.symbols} sym × ${scenario.lookbackDays} d`;
  const symbols = [...outcome.universe].sort();
  const minimum = analyticMinimum(market, outcome.window, symbols, { symbolsPerRequest: 500, rowsPerPage: 10_000 }, 1000);
  const inWindow = (date: string): boolean => date >= outcome.window.start && date <= outcome.window.end;
  const tickerDays = symbols.reduce((n, s) => n + market.barsOf(s).filter((b) => inWindow(b.date)).length, 0);
  const sessions = sessionDatesBetween(outcome.window.start, outcome.window.end).length;
  const minutes = (ms: number): number => ms / 60_000;
  const green = `${(outcome.greenRatio * 100).toFixed(2)}% GREEN, ${outcome.rateLimited} × 429`;
  return [
    figure({ benchmark: 'requests-to-green', metric: `requests, Alpaca only (${label})`, unit: 'req', value: outcome.requests, baseline: { name: 'analytic minimum (endpoints.yml batching)', value: minimum }, target: '≤ 1.05', note: green }),
    figure({ benchmark: 'requests-to-green', metric: `requests vs original per-ticker-day (${label})`, unit: 'req', value: outcome.requests, baseline: { name: 'Polygon aggs per ticker-day', value: tickerDays } }),
    figure({
      benchmark: 'requests-to-green',
      metric: `virtual time to GREEN (${label})`,
      unit: 'min',
      value: minutes(outcome.virtualMsToGreen),
      baseline: { name: 'original: ticker-days at 5/min', value: tickerDays / POLYGON_RPM },
      note: `wall ${(outcome.wallMs / 1000).toFixed(1)} s`,
    }),
    figure({ benchmark: 'requests-to-green', metric: `Polygon grouped-daily alternate (${label})`, unit: 'req', value: sessions, baseline: { name: 'Polygon aggs per ticker-day', value: tickerDays }, note: `${(sessions / POLYGON_RPM).toFixed(0)} min at 5/min` }),
  ];
}

export interface MinuteScenario {
  /** Symbols in the market; the planner ranks them by dollar volume and takes the top `topN`. */
  symbols: number;
  topN: number;
  sessions: number;
}

export interface MinuteOutcome {
  window: { start: string; end: string };
  symbols: string[];
  /** Requests to the minute-bar endpoint (timeframe=1Min) only; the daily bars for the ranking are not counted. */
  requests: number;
  rateLimited: number;
  barsExpected: number;
  rowsStored: number;
  /** First to last minute request on the virtual clock, plus one request interval. */
  virtualMs: number;
  wallMs: number;
}

/** Days of daily bars the liquidity ranking reads (it takes the median over the last 20 sessions). */
const RANKING_LOOKBACK_DAYS = 45;
const ALPACA_RPM = 200;

/**
 * equities_minute through the real minute planner and executor: equities_eod first (the planner
 * ranks by dollar volume from it), then the top N symbols × the last `sessions` sessions of
 * minute bars, paced at Alpaca's free 200 requests/min on the virtual clock.
 */
export async function runMinuteBars(scenario: MinuteScenario): Promise<MinuteOutcome> {
  const wallStart = performance.now();
  const clock = new VirtualClock({ start: nyInstant(AS_OF, '07:00') });
  const end = lastCompletedSession(clock.now());
  const sessions = sessionDatesBetween(addDays(end, -3 * scenario.sessions - 10), end).slice(-scenario.sessions);
  const window = { start: sessions[0] as string, end };
  const market = createMarket({ seed: 7, symbols: scenario.symbols, start: addDays(AS_OF, -RANKING_LOOKBACK_DAYS - 30), end: AS_OF });
  const configure = (config: TrademlConfig): TrademlConfig => withMinuteTarget(withLookback(config, RANKING_LOOKBACK_DAYS), daysBetween(window.start, AS_OF), scenario.topN);
  return withAlpacaSandbox(clock, market, configure, async (runtime, sandbox) => {
    await runPipelineOnce(runtime, { planners: [...EOD_ONLY, alpacaMinutePlanner] });
    const stored = await runtime.lake.query<{ symbol: string; n: number }>(
      `SELECT symbol, count(*)::INTEGER AS n FROM raw_equities_minute WHERE ts >= $1::TIMESTAMPTZ GROUP BY symbol ORDER BY symbol`,
      [new Date(nyInstant(window.start, '00:00')).toISOString()],
    );
    const symbols = stored.map((r) => r.symbol);
    const barsExpected = symbols.reduce((n, symbol) => n + sessions.reduce((m, date) => m + minuteBars(market, symbol, date, { extendedHours: true }).length, 0), 0);
    const minute = sandbox.requestLog().filter((r) => r.vendor === 'alpaca' && r.path.includes('timeframe=1Min'));
    const first = minute[0]?.atMs ?? clock.now();
    const last = minute.at(-1)?.atMs ?? first;
    return {
      window,
      symbols,
      requests: minute.length,
      rateLimited: minute.filter((r) => r.status === 429).length,
      barsExpected,
      rowsStored: stored.reduce((n, r) => n + r.n, 0),
      virtualMs: minute.length === 0 ? 0 : last - first + 60_000 / ALPACA_RPM,
      wallMs: performance.now() - wallStart,
    };
  });
}

function withMinuteTarget(config: TrademlConfig, lookbackDays: number, topN: number): TrademlConfig {
  const minute = config.backfill.targets.equities_minute;
  if (!minute) throw new Error('configs/backfill.yml has no equities_minute target');
  const targets = { ...config.backfill.targets, equities_minute: { ...minute, enabled: true, lookback_days: lookbackDays, top_n: topN, chunk_days: 1 } };
  return { ...config, backfill: { ...config.backfill, targets } };
}

function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

function minuteFigures(scenario: MinuteScenario, outcome: MinuteOutcome): Figure[] {
  const label = `top ${scenario.topN} × ${scenario.sessions} sessions, minute`;
  const { min, max } = ALPACA_FREE_PLAN.intradayPageCap;
  // The served page, not endpoints.yml's rows_per_page (200, a planning figure): the sandbox, like
  // the live API, fills each intraday page to a cap spread over min..max, (min+max)/2 on average.
  const servedPage = (min + max) / 2;
  const minimum = Math.ceil(outcome.barsExpected / servedPage);
  const tickerDays = outcome.symbols.length * scenario.sessions;
  const minutes = (ms: number): number => ms / 60_000;
  const stored = `${outcome.rowsStored.toLocaleString('en-US')}/${outcome.barsExpected.toLocaleString('en-US')} bars stored, ${outcome.rateLimited} × 429`;
  return [
    figure({
      benchmark: 'requests-to-green',
      metric: `requests, Alpaca only (${label})`,
      unit: 'req',
      value: outcome.requests,
      baseline: { name: `analytic minimum: bars / served page (${servedPage} avg of ${min}–${max})`, value: minimum },
      target: '≤ 1.1',
      note: `${stored}; ⌈bars/200⌉ (endpoints.yml rows_per_page) = ${Math.ceil(outcome.barsExpected / 200)}`,
    }),
    figure({ benchmark: 'requests-to-green', metric: `requests vs original per-ticker-day (${label})`, unit: 'req', value: outcome.requests, baseline: { name: 'one request per ticker-day', value: tickerDays } }),
    figure({
      benchmark: 'requests-to-green',
      metric: `virtual time to complete (${label})`,
      unit: 'min',
      value: minutes(outcome.virtualMs),
      baseline: { name: 'original: ticker-days at 5/min', value: tickerDays / POLYGON_RPM },
      note: `minimum at ${ALPACA_RPM}/min: ${(minimum / ALPACA_RPM).toFixed(2)} min; wall ${(outcome.wallMs / 1000).toFixed(1)} s`,
    }),
  ];
}
