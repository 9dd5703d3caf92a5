import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addDays, nyInstant, sessionDatesBetween } from '../src/calendar/index.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadConfig, loadEnvironment, type TrademlConfig } from '../src/config/index.js';
import { createMarket, startSandbox, type Market } from '../src/sandbox/index.js';
import { runPipelineOnce, type EodWindow } from '../src/scheduler/index.js';
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
    return figures;
  },
};

export async function runAlpacaOnly(scenario: Scenario): Promise<{ outcome: PipelineOutcome; market: Market }> {
  const wallStart = performance.now();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trademl-bench-green-'));
  const configDir = path.join(dataDir, 'configs');
  await cp(CONFIG_DIR, configDir, { recursive: true });
  const clock = new VirtualClock({ start: nyInstant(AS_OF, '07:00') });
  const market = createMarket({ seed: 7, symbols: scenario.symbols, start: addDays(AS_OF, -scenario.lookbackDays - 30), end: AS_OF });
  const sandbox = await startSandbox({ clock, market, credentials: { alpaca: DEMO_CREDENTIALS.alpaca } });
  try {
    const env = loadEnvironment({
      ...sandbox.env(),
      ALPACA_API_KEY_ID: DEMO_CREDENTIALS.alpaca.keyId,
      ALPACA_API_SECRET_KEY: DEMO_CREDENTIALS.alpaca.secretKey,
      TRADEML_STATE_URL: defaultStateUrl(dataDir),
    });
    const config = withLookback(await loadConfig(configDir), scenario.lookbackDays);
    const runtime = await openRuntime({ configDir, config, dataDir: path.join(dataDir, 'lake'), env, clock, owner: 'bench', vendors: ['alpaca'] });
    try {
      const start = clock.now();
      let fetchedAt = start;
      const report = await runPipelineOnce(runtime, {
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
