import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINT_IDS, vendorOfEndpoint } from '../catalog/index.js';
import {
  backfillAllowance,
  capabilitiesFor,
  earliestAvailable,
  enabledTasks,
  loadConfig,
  providersFor,
  targetWindowStart,
  TASKS,
} from './index.js';
import { configCopy, problemsOf, replaceOnce, SHIPPED_CONFIG_DIR } from './test-support/config-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function copy(edits: Parameters<typeof configCopy>[0]): Promise<string> {
  const { dir, cleanup } = await configCopy(edits);
  cleanups.push(cleanup);
  return dir;
}

describe('the shipped configs', () => {
  it('load with the free-tier limits of the vendor notes', async () => {
    const config = await loadConfig(SHIPPED_CONFIG_DIR);
    const { alpaca, polygon, av, fmp, finnhub, fred } = config.endpoints.providers;
    expect(alpaca?.rpm).toBe(200);
    expect(alpaca?.key_env).toEqual(['ALPACA_API_KEY_ID', 'ALPACA_API_SECRET_KEY']);
    expect(polygon?.rpm).toBe(5);
    expect(polygon?.min_interval_ms).toBeGreaterThanOrEqual(12_000);
    expect(polygon?.burst).toBe(1);
    expect(av?.daily_budget).toBe(25);
    expect(fmp?.daily_budget).toBe(250);
    expect(finnhub?.rpm).toBe(60);
    expect(fred?.rpm).toBe(120);
    expect(config.edge.policy.daily_api_budget.av).toBe(25);
  });

  it('declare every endpoint id of DESIGN.md, each under its own vendor', async () => {
    const config = await loadConfig(SHIPPED_CONFIG_DIR);
    const declared = new Set(config.endpoints.capabilities.map((c) => c.endpoint));
    expect([...ENDPOINT_IDS].filter((id) => !declared.has(id))).toEqual([]);
    for (const cap of config.endpoints.capabilities) expect(vendorOfEndpoint(cap.endpoint)).toBe(cap.vendor);
  });

  it('make Alpaca bars the primary of equities_eod with Polygon grouped daily the bulk alternate', async () => {
    const { endpoints } = await loadConfig(SHIPPED_CONFIG_DIR);
    const eod = capabilitiesFor(endpoints, 'equities_eod');
    expect(eod.map((c) => c.endpoint)).toEqual([
      'alpaca.bars',
      'polygon.aggs.grouped_daily',
      'polygon.aggs.day',
      'finnhub.candle.daily',
      'av.time_series_daily',
      'fmp.historical_price',
    ]);
    const [alpacaBars, grouped, perTicker] = eod;
    expect(alpacaBars).toMatchObject({ role: 'primary', rows_per_page: 10_000, history_start: '2016-01-01' });
    expect(grouped).toMatchObject({ role: 'alternate', symbols_per_request: 'all', history_days: 730 });
    expect(perTicker?.symbols_per_request).toBe(1);
    expect(eod.find((c) => c.vendor === 'finnhub')?.entitlement).toBe('premium');
    expect(providersFor(endpoints, 'equities_eod')).toEqual(['alpaca', 'polygon', 'finnhub', 'av', 'fmp']);
    expect(grouped && earliestAvailable(grouped, '2026-06-01')).toBe('2024-06-01');
    expect(alpacaBars && earliestAvailable(alpacaBars, '2026-06-01')).toBe('2016-01-01');
  });

  it('declare every endpoint of every known task under that task\'s vendor and dataset', async () => {
    const { endpoints } = await loadConfig(SHIPPED_CONFIG_DIR);
    for (const [name, task] of Object.entries(TASKS)) {
      for (const endpoint of task.endpoints) {
        const declared = endpoints.capabilities.some((c) => c.endpoint === endpoint && c.vendor === task.vendor && c.dataset === task.dataset);
        expect(declared, `${name}: ${endpoint}`).toBe(true);
      }
    }
  });

  it('enable only known tasks, with Finnhub candles switched off', async () => {
    const { edge } = await loadConfig(SHIPPED_CONFIG_DIR);
    expect(edge.tasks.every((t) => t.name in TASKS)).toBe(true);
    expect(edge.tasks.find((t) => t.name === 'finnhub_daily')?.enabled).toBe(false);
    expect(enabledTasks(edge)).toContain('alpaca_corporate_actions');
    expect(edge.locks).toEqual({ lease_seconds: 120, renew_seconds: 45 });
    expect(edge.policy.forward_reserve_pct).toBe(20);
  });

  it('give backfill a two-year equities_eod window and the QC thresholds', async () => {
    const config = await loadConfig(SHIPPED_CONFIG_DIR);
    const eod = config.backfill.targets.equities_eod;
    expect(eod).toMatchObject({ earliest: '2016-01-01', lookback_days: 730, chunk_days: 30 });
    expect(eod && targetWindowStart(eod, '2026-06-01')).toBe('2024-06-01');
    expect(config.backfill.qc_thresholds).toEqual({ green_min_ratio: 0.98, rows_low_ratio: 0.9, rows_high_ratio: 1.2, allow_halfdays: true });
    expect(config.backfill.priorities.corp_actions).toBe(100);
    expect(backfillAllowance(config, 'av')).toBe(20);
    expect(backfillAllowance(config, 'fmp')).toBe(192);
  });

  it('curate equities_ohlcv_adj with the agreed precedences', async () => {
    const { curator } = await loadConfig(SHIPPED_CONFIG_DIR);
    expect(curator.jobs.equities_ohlcv_adj).toMatchObject({
      input: 'equities_eod',
      output: 'equities_ohlcv_adj',
      transform: 'adjust_ohlcv',
      vendor_precedence: ['alpaca', 'polygon', 'finnhub', 'fmp', 'av'],
      corp_actions_precedence: ['alpaca', 'polygon', 'av', 'fmp', 'finnhub'],
    });
    expect(curator.watermark.bookmark_key).toBe('manifests/curator_watermarks.json');
  });
});

describe('alias normalisation', () => {
  it('turns every vendor and dataset alias into its canonical name', async () => {
    const dir = await copy({
      'endpoints.yml': (t) =>
        t.replace(/^  av: .*$/m, '  alpha_vantage:').replace(/^  polygon: .*$/m, '  massive:'),
      'edge.yml': (t) => replaceOnce(replaceOnce(t, '    av: 25 ', '    alpha_vantage: { requests: 20 } '), '    polygon: 7000 ', '    massive: 7000 '),
      'backfill.yml': (t) =>
        replaceOnce(
          replaceOnce(replaceOnce(t, '  fundamentals:\n    earliest', '  statements:\n    earliest'), '  treasuries:\n    earliest', '  macro_treasury:\n    earliest'),
          '    av: 20\n',
          '    alphavantage: 20\n',
        ),
      'curator.yml': (t) => replaceOnce(t, '[alpaca, polygon, av, fmp, finnhub]', '[alpaca, massive, alpha_vantage, fmp, finnhub]'),
    });
    const config = await loadConfig(dir);
    expect(Object.keys(config.endpoints.providers)).toEqual(['alpaca', 'polygon', 'finnhub', 'av', 'fmp', 'fred']);
    expect(config.endpoints.providers.av?.daily_budget).toBe(25);
    expect(config.endpoints.capabilities.filter((c) => c.vendor === 'av')).toHaveLength(6);
    expect(config.edge.policy.daily_api_budget).toMatchObject({ av: 20, polygon: 7000 });
    expect(config.backfill.policy.daily_api_budget.av).toBe(20);
    expect(config.backfill.targets.fundamentals?.dataset).toBe('fundamentals');
    expect(config.backfill.targets.treasuries?.series).toContain('DGS10');
    expect(config.curator.jobs.equities_ohlcv_adj?.corp_actions_precedence).toEqual(['alpaca', 'polygon', 'av', 'fmp', 'finnhub']);
  });

  it("accepts the spec's list forms and resolves equities_eod_fn to equities_eod from finnhub", async () => {
    const dir = await copy({
      'edge.yml': (t) => t.replace(/tasks:\n[\s\S]*?\npolicy:/, 'tasks:\n  - alpaca_bars\n  - polygon_bars\n  - av_corp_actions\npolicy:'),
      'backfill.yml': (t) =>
        replaceOnce(
          t.replace(/priorities:\n[\s\S]*?\n\n/, 'priorities:\n  - { table: options_chains, weight: 70 }\n  - { table: statements, weight: 60 }\n\n'),
          '  equities_eod:\n    earliest',
          '  equities_eod_fn:\n    earliest',
        ),
    });
    const config = await loadConfig(dir);
    expect(config.edge.tasks).toEqual([
      { name: 'alpaca_bars', enabled: true },
      { name: 'polygon_bars', enabled: true },
      { name: 'av_corp_actions', enabled: true },
    ]);
    expect(config.backfill.priorities).toEqual({ options_chain: 70, fundamentals: 60 });
    expect(config.backfill.targets.equities_eod).toMatchObject({ dataset: 'equities_eod', vendors: ['finnhub'], lookback_days: 730 });
  });

  it('rejects an alias next to its canonical name', async () => {
    const dir = await copy({
      'edge.yml': (t) => replaceOnce(t, '    av: 25 ', '    av: 25\n    alpha_vantage: 20 '),
      'backfill.yml': (t) => replaceOnce(t, '  treasuries:\n    earliest', "  macro_treasury:\n    earliest: '2010-01-01'\n  treasuries:\n    earliest"),
    });
    const problems = await problemsOf(loadConfig(dir));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('edge.yml: policy.daily_api_budget.alpha_vantage: expected only one of "av", "alpha_vantage" (both name av), got 20 (number)');
    expect(problems[1]).toMatch(/^backfill\.yml: targets\.treasuries: expected only one of "macro_treasury", "treasuries" \(both name treasuries\), got \{"earliest":"2000-01-01",.*\(mapping\)$/);
  });
});
