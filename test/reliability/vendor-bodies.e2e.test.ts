import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { isVendorError } from '../../src/http/index.js';
import { createMarket, faultInjector, parseFaultSpec, SANDBOX_VENDORS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createAvClient, createFinnhubClient, createFmpClient } from '../../src/vendors/index.js';
import type { DemoSummary } from '../../src/cli/demo.js';
import { describeBackends, type ProvisionedBackend } from '../support/backends.js';
import { lastJson, removeDir, runCli, shortWindowConfigs, tempDir, type CliResult } from '../support/cli.js';

/**
 * The vendor-specific "HTTP 200 but not data" bodies, end to end through the sandbox and the real
 * connectors: Alpha Vantage's `Note`, FMP's error object, Finnhub's `no_data`. None may come back
 * as rows; the errors are typed, carry no key, and the empty answer is an empty result.
 */
const KEYS = { av: 'AVTESTSECRET0000111', fmp: 'FMPTESTSECRET000222', finnhub: 'FHTESTSECRET0000333' };
const clock = new VirtualClock({ start: Date.parse('2026-11-20T15:00:00Z') });
let sandbox: Sandbox;

beforeAll(async () => {
  const market = createMarket({ seed: 11, symbols: 10, start: '2026-06-01', end: '2026-11-20' });
  sandbox = await startSandbox({ clock, market, faults: faultInjector(parseFaultSpec('av=note,fmp=error200,finnhub=nodata', SANDBOX_VENDORS), 3) });
});
afterAll(async () => {
  await sandbox.close();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value).slice(0, 200)}`);
  return outcome.error as Error;
}

describe('HTTP 200 bodies that are not data', () => {
  it('Alpha Vantage `Note`: a typed rate limit, no rows, no key in the message', async () => {
    const av = createAvClient({ apiKey: KEYS.av, baseUrl: sandbox.baseUrls.av, clock });
    const error = await failure(av.fetchTimeSeriesDaily('AAA'));
    expect(isVendorError(error)).toBe(true);
    expect(error.name).toBe('RateLimited');
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(KEYS.av);
  });

  it('FMP error object in a 200: a typed vendor error, no rows, no key in the message', async () => {
    const fmp = createFmpClient({ apiKey: KEYS.fmp, baseUrl: sandbox.baseUrls.fmp, clock });
    const error = await failure(fmp.fetchHistoricalPrice('AAA', { from: '2026-11-01', to: '2026-11-19' }));
    expect(isVendorError(error)).toBe(true);
    expect(error.message).toMatch(/Limit Reach/);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(KEYS.fmp);
  });

  it('Finnhub `no_data`: an empty result, not an error and not a bad symbol', async () => {
    const finnhub = createFinnhubClient({ apiKey: KEYS.finnhub, baseUrl: sandbox.baseUrls.finnhub, clock });
    expect(await finnhub.fetchCandleDaily('AAA', '2026-11-02', '2026-11-19')).toEqual([]);
  });

  it('the sandbox served exactly these bodies', () => {
    const log = sandbox.requestLog();
    for (const vendor of ['av', 'fmp', 'finnhub'] as const) expect(log.filter((r) => r.vendor === vendor).length, vendor).toBeGreaterThan(0);
    expect(log.every((r) => r.status === 200)).toBe(true);
  });
});

/**
 * The same bodies on every request of those three vendors, through the whole pipeline on both
 * backends: no row from them may reach the lake, and nothing only they fill may be graded GREEN
 * (an audit expecting what the lake happens to hold would expect nothing there, and pass).
 */
describeBackends('demo where Alpha Vantage, FMP and Finnhub answer every request with a 200 that is not data', (backend) => {
  let storage: ProvisionedBackend;
  let configs: string;
  let dataDir: string;
  let run: CliResult;
  let summary: DemoSummary;

  beforeAll(async () => {
    storage = await backend.provision();
    configs = await shortWindowConfigs(20, { treasuries: 60, macro_series: 400 });
    dataDir = await tempDir('vendor-bodies');
    const args = ['demo', '--json', '--data-dir', dataDir, '--config-dir', configs, '--as-of', '2026-11-20', '--symbols', '20', '--faults', 'av=note,fmp=error200,finnhub=nodata'];
    run = await runCli(args, { env: storage.env });
    summary = lastJson<DemoSummary>(run.stdout);
  }, 600_000);
  afterAll(async () => {
    await Promise.all([removeDir(configs), removeDir(dataDir), storage?.dispose()]);
  });

  it('finishes, and the equities the other vendors serve are GREEN', () => {
    expect(run.code, run.stderr.slice(-500)).toBe(0);
    expect(summary.ledger.greenRatio).toBe(1);
    for (const vendor of ['av', 'fmp', 'finnhub']) {
      const served = summary.vendors.find((v) => v.vendor === vendor);
      expect(served?.requests, vendor).toBeGreaterThan(0);
      expect(served?.rawRows, vendor).toBe(0);
      expect(served?.unitsDone, vendor).toBe(0);
    }
  });

  it('grades what only those vendors fill RED, never GREEN', () => {
    for (const dataset of ['fundamentals', 'options_chain_hist', 'delistings'] as const) {
      const rollup = summary.datasets[dataset];
      expect(rollup, dataset).toBeDefined();
      expect(rollup?.green, dataset).toBe(0);
      expect(rollup?.red, dataset).toBeGreaterThan(0);
    }
  });

  it('writes no row of theirs to the lake, and quarantines the bodies that are not even the right shape', async () => {
    const keys = [...(await storage.listLake(dataDir, 'raw/')), ...(await storage.listLake(dataDir, 'reference/'))];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => /(^|\/)(vendor=)?(av|fmp|finnhub)\//.test(key))).toEqual([]);
    const quarantined = await storage.listLake(dataDir, 'quarantine/');
    expect(quarantined.length).toBe(summary.quarantined);
    expect(quarantined.every((key) => key.startsWith('quarantine/finnhub/'))).toBe(true);
  });
});
