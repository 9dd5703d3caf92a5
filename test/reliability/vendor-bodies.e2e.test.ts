import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { isVendorError } from '../../src/http/index.js';
import { createMarket, faultInjector, parseFaultSpec, SANDBOX_VENDORS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createAvClient, createFinnhubClient, createFmpClient } from '../../src/vendors/index.js';

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
