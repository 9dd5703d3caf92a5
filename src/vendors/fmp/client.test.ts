import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, NotFound, RateLimited } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { createFmpClient } from './client.js';
import { FmpLegacyEndpointClosed } from './errors.js';
import { fmpFixture } from './test-support/fixtures.js';
import { KEY, START, byPath, sent, setup } from './test-support/harness.js';

function everyText(error: unknown): string[] {
  const e = error as Error & { url?: string; bodyExcerpt?: string; rawText?: string };
  return [e.message, String(e), JSON.stringify(e), e.stack ?? '', e.url ?? '', e.bodyExcerpt ?? '', e.rawText ?? ''];
}

describe('FMP client: the key', () => {
  it('travels as the apikey query parameter, once, and is masked in lineage', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_profile_AAPL.json'), { baseUrl: `http://127.0.0.1:9400/fmp?apikey=${KEY}` });
    const row = await client.fetchCompanyProfile('AAPL');
    expect(fake.seen[0]?.url).toBe(sent('/stable/profile?symbol=AAPL'));
    expect(fake.seen[0]?.url.match(/apikey=/g)).toHaveLength(1);
    expect(row?.source_uri).toBe('http://127.0.0.1:9400/fmp/stable/profile?symbol=AAPL&apikey=***');
  });

  it('never appears in an error, however it is printed', async () => {
    const bodies: [number, string][] = [
      [401, JSON.stringify({ 'Error Message': `Invalid API KEY ${KEY}. Feel free to create a Free API Key` })],
      [502, `<html>upstream https://financialmodelingprep.com/stable/profile?symbol=AAPL&apikey=${KEY} failed</html>`],
      [200, `<html>cdn page for apikey=${KEY}</html>`],
    ];
    for (const [status, body] of bodies) {
      const { client } = setup(() => new Response(body, { status }), { http: { maxRetries: 0 } });
      const error = await client.fetchCompanyProfile('AAPL').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      for (const text of everyText(error)) expect(text).not.toContain(KEY);
    }
  });

  it('is required', () => {
    expect(() => createFmpClient({ apiKey: ' ', clock: new VirtualClock({ start: START }) })).toThrow(AuthFailed);
  });
});

describe('FMP client: error fixtures through the client', () => {
  it('401 → AuthFailed, not retried', async () => {
    const { client, fake } = setup(() => fmpFixture('errors/401_invalid_api_key.json', 401));
    await expect(client.fetchStockList()).rejects.toThrow(AuthFailed);
    expect(fake.seen).toHaveLength(1);
  });

  it('429 Limit Reach → RateLimited until New York midnight, thrown at once (not waited out here)', async () => {
    const { client, fake, clock, gateCalls } = setup(() => fmpFixture('errors/429_limit_reach.json', 429));
    const error = await client.fetchHistoricalPrice('AAPL').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).resetAtMs).toBe(Date.UTC(2026, 2, 3, 5, 0, 0));
    expect(fake.seen).toHaveLength(1);
    expect(clock.now()).toBe(START);
    expect(gateCalls).toEqual(['acquire fmp.historical_price', 'settle fmp.historical_price 429 RateLimited']);
  });

  it('a 200 {"Error Message"} body is classified, never parsed as rows', async () => {
    const { client } = setup(() => fmpFixture('errors/429_limit_reach.json', 200));
    await expect(client.fetchStatements('AAPL', 'income', 'annual')).rejects.toThrow(RateLimited);
    const other = setup(() => jsonResponse({ 'Error Message': 'Something new went wrong' }));
    await expect(other.client.fetchStockList()).rejects.toThrow(BadRequest);
  });

  it('a 200 object without an error field where an array belongs is schema drift', async () => {
    const { client } = setup(() => jsonResponse({ symbol: 'AAPL', companyName: 'Apple Inc.' }));
    const error = await client.fetchCompanyProfile('AAPL').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^schema mismatch/);
  });

  it('a 503 is retried on the virtual clock, then the answer is used', async () => {
    let calls = 0;
    const { client, clock } = setup(() => (calls++ === 0 ? new Response('busy', { status: 503, headers: { 'Retry-After': '2' } }) : fmpFixture('stable_stock_list.json')));
    const rows = await client.fetchStockList();
    expect(rows.map((r) => r.symbol)).toEqual(['6898.HK']);
    expect(clock.now() - START).toBeGreaterThanOrEqual(2_000);
  });
});

describe('FMP client: stable first, legacy where it means something', () => {
  it('after one successful fallback, later calls to that endpoint go straight to legacy', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/profile', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/profile/AAPL', () => fmpFixture('legacy_v3_profile_AAPL.json')],
        ['/stable/stock-list', () => fmpFixture('stable_stock_list.json')],
      ]),
    );
    await client.fetchCompanyProfile('AAPL');
    await client.fetchCompanyProfile('AAPL');
    await client.fetchStockList();
    expect(fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/fmp/stable/profile', '/fmp/api/v3/profile/AAPL', '/fmp/api/v3/profile/AAPL', '/fmp/stable/stock-list']);
  });

  it('a preferred legacy route that closes (403 Legacy Endpoint) is dropped for the whole client', async () => {
    let legacyOpen = true;
    const { client, fake } = setup(
      byPath([
        ['/stable/profile', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/profile/AAPL', () => (legacyOpen ? fmpFixture('legacy_v3_profile_AAPL.json') : fmpFixture('errors/403_legacy_endpoint.json', 403))],
      ]),
    );
    await client.fetchCompanyProfile('AAPL');
    legacyOpen = false;
    await expect(client.fetchCompanyProfile('AAPL')).rejects.toThrow(FmpLegacyEndpointClosed);
    await expect(client.fetchCompanyProfile('AAPL')).rejects.toThrow(EntitlementDenied);
    expect(fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/fmp/stable/profile', '/fmp/api/v3/profile/AAPL', '/fmp/api/v3/profile/AAPL', '/fmp/stable/profile']);
  });

  it('does not fall back on symbol, auth or quota errors, nor when fallback is switched off', async () => {
    for (const [name, status, type] of [
      ['errors/402_premium_symbol.txt', 402, NotFound],
      ['errors/401_invalid_api_key.json', 401, AuthFailed],
      ['errors/429_limit_reach.json', 429, RateLimited],
    ] as const) {
      const { client, fake } = setup(() => fmpFixture(name, status));
      await expect(client.fetchStatements('TSLA', 'income', 'annual')).rejects.toThrow(type);
      expect(fake.seen).toHaveLength(1);
    }
    const off = setup(() => fmpFixture('errors/402_exclusive_endpoint.json', 402), { legacyFallback: false });
    await expect(off.client.fetchStatements('TSLA', 'income', 'annual')).rejects.toThrow(EntitlementDenied);
    expect(off.fake.seen).toHaveLength(1);
  });

  it('keeps a configurable stable prefix for a proxy or emulator', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_stock_list.json'), { stablePath: '/v1/stable' });
    await client.fetchStockList();
    expect(new URL(fake.seen[0]?.url ?? '').pathname).toBe('/fmp/v1/stable/stock-list');
  });
});
