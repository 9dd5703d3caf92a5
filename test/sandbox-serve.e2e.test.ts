import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { addDays, sessionDatesBetween } from '../src/calendar/index.js';
import { ENDPOINT_IDS, type DatasetName, type VendorId } from '../src/catalog/index.js';
import { rawDatasetPrefix, referencePrefix } from '../src/lake/layout.js';
import { createMarket, fmpMarketSample, optionContracts, optionUnderlyings, type Market } from '../src/sandbox/index.js';
import { describeBackends, type ProvisionedBackend } from './support/backends.js';
import { removeDir, runCli, shortWindowConfigs, startCli, tempDir } from './support/cli.js';

/** Keys shaped like the real ones (FRED insists on 32 lower-case characters). */
const KEYS = {
  ALPACA_API_KEY_ID: 'PKSERVETEST000000001',
  ALPACA_API_SECRET_KEY: 'serve-test-secret-0000000000000000000001',
  POLYGON_API_KEY: 'servetestpolygonkey0000001',
  FINNHUB_API_KEY: 'servetestfinnhubkey00001',
  ALPHAVANTAGE_API_KEY: 'SERVETESTAVKEY01',
  FMP_API_KEY: 'servetestfmpkey000000000000000001',
  FRED_API_KEY: 'abcdef0123456789abcdef0123456789',
};

interface Served {
  env: Record<string, string>;
  seed: number;
  symbols: number;
  start: string;
  end: string;
}

let server: { child: ChildProcess; done: Promise<unknown> };
let served: Served;
let market: Market;
let configs: string;
const dirs: string[] = [];

beforeAll(async () => {
  server = startCli(['sandbox', 'serve', '--json', '--seed', '5', '--symbols', '80', '--relax-limits']);
  served = await new Promise<Served>((resolve, reject) => {
    let buffer = '';
    server.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Served);
    });
    void server.done.then(() => reject(new Error('sandbox serve exited early')));
  });
  market = createMarket({ seed: served.seed, symbols: served.symbols, start: served.start, end: served.end });
  // The client still paces itself by configs/endpoints.yml; lift that too so the test does not wait in real time.
  configs = await shortWindowConfigs(30);
  const file = path.join(configs, 'endpoints.yml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/min_interval_ms: \d+/g, 'min_interval_ms: 0').replace(/rpm: [0-9.]+/g, 'rpm: 6000'));
}, 60_000);

afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.done;
  await Promise.all([removeDir(configs), ...dirs.map(removeDir)]);
});

function scenario(): Record<string, { vendor: string; dataset: string; args: string[]; premium?: boolean }> {
  const sessions = sessionDatesBetween(addDays(served.end, -60), addDays(served.end, -10));
  const day = sessions[sessions.length - 1] as string;
  const first = sessions[0] as string;
  const listed = market.symbols.filter((s) => s.delistDate === null && s.listDate <= first).map((s) => s.symbol);
  const withSplit = market.splits[market.splits.length - 1]?.symbol as string;
  const withDividend = market.dividends[market.dividends.length - 1]?.symbol as string;
  const underlying = optionUnderlyings(market)[0] as string;
  const contracts = optionContracts(market, underlying, day).slice(0, 3).map((c) => c.contract);
  const fmpSymbol = fmpMarketSample(market).find((s) => listed.includes(s)) as string;
  const window = ['--start', first, '--end', day];
  return {
    'alpaca.bars': { vendor: 'alpaca', dataset: 'equities_eod', args: ['--symbols', listed.slice(0, 5).join(','), ...window] },
    'alpaca.minute': { vendor: 'alpaca', dataset: 'equities_minute', args: ['--symbols', listed.slice(0, 2).join(','), '--date', day] },
    'alpaca.options.bars': { vendor: 'alpaca', dataset: 'options_bars', args: ['--symbols', contracts.join(','), '--start', addDays(day, -5), '--end', day] },
    'alpaca.options.chain': { vendor: 'alpaca', dataset: 'options_chain', args: ['--symbols', underlying] },
    'alpaca.corporate_actions': { vendor: 'alpaca', dataset: 'corp_actions', args: ['--start', addDays(served.end, -700), '--end', day] },
    'alpaca.assets': { vendor: 'alpaca', dataset: 'symbols', args: [] },
    'polygon.aggs.day': { vendor: 'polygon', dataset: 'equities_eod', args: ['--symbols', listed[0] as string, ...window] },
    'polygon.aggs.grouped_daily': { vendor: 'polygon', dataset: 'equities_eod', args: ['--date', day] },
    'polygon.reference.tickers': { vendor: 'polygon', dataset: 'symbols', args: [] },
    'polygon.reference.splits': { vendor: 'polygon', dataset: 'corp_actions', args: ['--start', addDays(served.end, -700)] },
    'polygon.reference.dividends': { vendor: 'polygon', dataset: 'corp_actions', args: ['--start', addDays(served.end, -700)] },
    'polygon.options.contracts': { vendor: 'polygon', dataset: 'options_contracts', args: ['--symbols', underlying] },
    'finnhub.candle.daily': { vendor: 'finnhub', dataset: 'equities_eod', args: ['--symbols', listed[0] as string, ...window], premium: true },
    'finnhub.option_chain': { vendor: 'finnhub', dataset: 'options_chain', args: ['--symbols', underlying] },
    'finnhub.symbols': { vendor: 'finnhub', dataset: 'symbols', args: [] },
    'finnhub.splits': { vendor: 'finnhub', dataset: 'corp_actions', args: ['--symbols', withSplit, '--start', addDays(served.end, -700), '--end', day], premium: true },
    'av.time_series_daily': { vendor: 'av', dataset: 'equities_eod', args: ['--symbols', listed[0] as string] },
    'av.listing_status': { vendor: 'av', dataset: 'delistings', args: [] },
    'av.splits': { vendor: 'av', dataset: 'corp_actions', args: ['--symbols', withSplit] },
    'av.dividends': { vendor: 'av', dataset: 'corp_actions', args: ['--symbols', withDividend] },
    'av.historical_options': { vendor: 'av', dataset: 'options_chain_hist', args: ['--symbols', underlying, '--date', day] },
    'fmp.stock_list': { vendor: 'fmp', dataset: 'symbols', args: [] },
    'fmp.delisted_companies': { vendor: 'fmp', dataset: 'delistings', args: [] },
    'fmp.historical_price': { vendor: 'fmp', dataset: 'equities_eod', args: ['--symbols', fmpSymbol, ...window] },
    'fmp.statements': { vendor: 'fmp', dataset: 'fundamentals', args: ['--symbols', fmpSymbol, '--statement', 'income', '--period', 'annual'] },
    'fmp.profile': { vendor: 'fmp', dataset: 'symbols', args: ['--symbols', fmpSymbol] },
    'fred.series': { vendor: 'fred', dataset: 'macro_series', args: ['--series', 'CPIAUCSL', '--start', addDays(served.end, -400), '--end', day] },
    'fred.treasury_curve': { vendor: 'fred', dataset: 'treasuries', args: ['--start', first, '--end', day] },
    'fred.vintages': { vendor: 'fred', dataset: 'macro_series', args: ['--series', 'CPIAUCSL', '--start', addDays(served.end, -400), '--end', day] },
  };
}

describe('the endpoint scenario', () => {
  it('covers every endpoint id of DESIGN.md', () => {
    expect(Object.keys(scenario()).sort()).toEqual([...ENDPOINT_IDS].sort());
  });
});

/** A lake key holding this vendor's rows of this dataset (raw or reference). */
function holds(key: string, vendor: string, dataset: string): boolean {
  const [v, d] = [vendor as VendorId, dataset as DatasetName];
  return key.startsWith(rawDatasetPrefix(v, d)) || key.startsWith(referencePrefix(d, v));
}

describeBackends('trademl fetch --write for every endpoint against `trademl sandbox serve`', (backend) => {
  let storage: ProvisionedBackend;
  beforeAll(async () => {
    storage = await backend.provision();
  });
  afterAll(async () => {
    await storage?.dispose();
  });

  for (const endpoint of ENDPOINT_IDS) {
    it(`${endpoint}`, async () => {
      const { vendor, dataset, args, premium } = scenario()[endpoint] as { vendor: string; dataset: string; args: string[]; premium?: boolean };
      const dataDir = await tempDir('serve-fetch');
      dirs.push(dataDir);
      const result = await runCli(['fetch', vendor, dataset, '--endpoint', endpoint, ...args, '--write', '--json', '--config-dir', configs, '--data-dir', dataDir], {
        env: { ...served.env, ...KEYS, ...storage.env },
      });
      for (const secret of Object.values(KEYS)) expect(result.stdout + result.stderr).not.toContain(secret);
      if (premium) {
        // Free keys are refused these: a capability-wide entitlement denial, not retried, nothing written.
        expect(result.code).toBe(1);
        expect(JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}')).toMatchObject({ error: 'EntitlementDenied', vendor });
        expect((await storage.listLake(dataDir, '')).filter((key) => holds(key, vendor, dataset))).toEqual([]);
        return;
      }
      expect(result.code, result.stderr).toBe(0);
      const rows = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.length, `${endpoint} returned no rows`).toBeGreaterThan(0);
      expect(rows.every((r) => r.source_name === vendor)).toBe(true);
      // Committed to this backend's lake (a part shared with an earlier endpoint of the same dataset counts as identical).
      const written = /wrote (\d+) new part\(s\), (\d+) identical part\(s\) skipped/.exec(result.stderr);
      expect(written, result.stderr.slice(-300)).not.toBeNull();
      expect(Number(written?.[1]) + Number(written?.[2])).toBeGreaterThan(0);
      expect((await storage.listLake(dataDir, '')).some((key) => holds(key, vendor, dataset)), `${vendor}/${dataset} in the lake`).toBe(true);
    });
  }
});
