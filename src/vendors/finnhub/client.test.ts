import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { AuthFailed, BadRequest, Malformed, RateLimited, Transient, type VendorError } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { createFinnhubClient, FINNHUB_RATE_LIMIT_DEFAULT_MS } from './client.js';
import { finnhubFetchers } from './fetchers.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, KEY, START, setup } from './test-support/harness.js';

function expectNoKey(error: unknown): void {
  const vendorError = error as VendorError;
  for (const text of [vendorError.message, String(error), JSON.stringify(error), vendorError.url ?? '', vendorError.bodyExcerpt ?? '', String(vendorError.cause ?? '')]) {
    expect(text).not.toContain(KEY);
  }
}

describe('Finnhub client: the key', () => {
  it('refuses an empty key before any request', () => {
    expect(() => createFinnhubClient({ apiKey: ' ', clock: new VirtualClock({ start: START }) })).toThrow(/FINNHUB_API_KEY must be set/);
  });

  it('keeps a key the vendor echoes out of the message, String(err), JSON.stringify(err) and the body excerpt', async () => {
    const { client } = setup(() => jsonResponse({ error: `Invalid API key: ${KEY}` }, 401));
    const error = await client.fetchSymbols().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailed);
    expect((error as AuthFailed).message).toBe('finnhub.symbols HTTP 401: Invalid API key: ***');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ error: 'AuthFailed', vendor: 'finnhub', status: 401, message: 'finnhub.symbols HTTP 401: Invalid API key: ***' });
    expect((error as AuthFailed).url).toBe(`${BASE}/stock/symbol?exchange=US`);
    expectNoKey(error);
  });

  it('keeps the key out of a network error that quotes a tokenised URL', async () => {
    const { client } = setup(
      () => {
        throw new Error(`connect ECONNREFUSED https://finnhub.io/api/v1/quote?symbol=AAPL&token=${KEY}`);
      },
      { maxRetries: 0 },
    );
    const error = await client.fetchSplits('AAPL', '2020-01-01', '2020-12-31').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Transient);
    expect(String(error)).toContain('network error');
    expectNoKey(error);
  });

  it('redacts the key from a drifted body kept for quarantine', async () => {
    const { client } = setup(() => jsonResponse({ s: 'ok', echo: KEY }));
    const error = await client.fetchCandleDaily('AAPL', '2024-01-02', '2024-01-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).rawText).toBe('{"s":"ok","echo":"***"}');
    expectNoKey(error);
  });
});

describe('Finnhub client: rate limits on the virtual clock', () => {
  it('waits until X-Ratelimit-Reset after a 429, then retries and maps the answer', async () => {
    const resetSeconds = START / 1000 + 30;
    let calls = 0;
    const { client, clock, gateLog } = setup(() =>
      ++calls === 1 ? fixtureResponse('error_429_rate_limit.json', 429, { 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': String(resetSeconds) }) : fixtureResponse('stock_split_AAPL.json'),
    );
    const rows = await client.fetchSplits('AAPL', '2014-01-01', '2014-12-31');
    expect(rows.map((r) => r.split_ratio)).toEqual([7]);
    expect(clock.now()).toBe(START + 30_000);
    expect(gateLog.outcomes[0]).toMatchObject({ status: 429, error: 'RateLimited', resetAtMs: START + 30_000, retryAfterMs: 30_000, remaining: 0 });
    expect(rows[0]?.ingested_at).toBe(new Date(START + 30_000).toISOString());
  });

  it('waits one whole minute after a 429 that names no time', async () => {
    let calls = 0;
    const { client, clock } = setup(() => (++calls === 1 ? fixtureResponse('error_429_rate_limit.json', 429) : fixtureResponse('stock_candle_no_data.json')));
    expect(await client.fetchCandleDaily('AAPL', '2024-01-02', '2024-01-02')).toEqual([]);
    expect(clock.now()).toBe(START + FINNHUB_RATE_LIMIT_DEFAULT_MS);
  });

  it('hands the 429 to the caller, with its reset, once retries are spent', async () => {
    const resetSeconds = START / 1000 + 45;
    const { client, fake } = setup(() => fixtureResponse('error_429_rate_limit.json', 429, { 'X-Ratelimit-Reset': String(resetSeconds) }), { maxRetries: 0 });
    const error = await client.fetchOptionChain('SPY').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).resetAtMs).toBe(START + 45_000);
    expect(String(error)).toBe('RateLimited: finnhub.option_chain HTTP 429: API limit reached. Please try again later. Remaining Limit: 0');
    expect(fake.seen).toHaveLength(1);
  });
});

describe('finnhubFetchers', () => {
  const byEndpoint = (id: string) => {
    const fetcher = finnhubFetchers.find((f) => f.endpoint === id);
    if (!fetcher) throw new Error(`no fetcher ${id}`);
    return fetcher;
  };

  it('serves the four endpoint ids of DESIGN.md with their datasets', () => {
    expect(finnhubFetchers.map((f) => [f.endpoint, f.dataset, f.needs])).toEqual([
      ['finnhub.candle.daily', 'equities_eod', ['symbols', 'start']],
      ['finnhub.option_chain', 'options_chain', ['symbols']],
      ['finnhub.symbols', 'symbols', []],
      ['finnhub.splits', 'corp_actions', ['symbols', 'start']],
    ]);
  });

  it('throws BadRequest naming the missing argument, before any request', async () => {
    const { client, fake } = setup(() => jsonResponse([]));
    await expect(byEndpoint('finnhub.candle.daily').fetch(client, { start: '2024-01-02' })).rejects.toThrow(/needs --symbols/);
    await expect(byEndpoint('finnhub.candle.daily').fetch(client, { symbols: ['AAPL'] })).rejects.toThrow(/needs --date D or --start D/);
    await expect(byEndpoint('finnhub.option_chain').fetch(client, {})).rejects.toThrow(BadRequest);
    await expect(byEndpoint('finnhub.splits').fetch(client, { symbols: ['AAPL'] })).rejects.toThrow(/needs --date D or --start D/);
    expect(fake.seen).toHaveLength(0);
  });

  it('calls the client once per symbol and returns canonical rows', async () => {
    const { client, fake } = setup((url) => {
      if (url.pathname.endsWith('/stock/candle')) return fixtureResponse(url.searchParams.get('symbol') === 'AAPL' ? 'stock_candle_ok_AAPL_D.json' : 'stock_candle_no_data.json');
      if (url.pathname.endsWith('/stock/option-chain')) return fixtureResponse('option_chain_AAPL_RECONSTRUCTED.json');
      if (url.pathname.endsWith('/stock/symbol')) return fixtureResponse('stock_symbol_US_sample.json');
      return fixtureResponse('stock_split_AAPL.json');
    });
    const bars = await byEndpoint('finnhub.candle.daily').fetch(client, { symbols: ['AAPL', 'ZZZZ'], start: '2019-09-24', end: '2019-09-26' });
    expect(bars.map((r) => ('date' in r ? r.date : null))).toEqual(['2019-09-24', '2019-09-25', '2019-09-26']);
    expect(await byEndpoint('finnhub.option_chain').fetch(client, { symbols: ['AAPL'] })).toHaveLength(1);
    expect(await byEndpoint('finnhub.symbols').fetch(client, {})).toHaveLength(3);
    const splits = await byEndpoint('finnhub.splits').fetch(client, { symbols: ['AAPL'], date: '2014-06-09' });
    expect(splits.map((r) => ('split_ratio' in r ? r.split_ratio : null))).toEqual([7]);
    expect(fake.seen.map((s) => new URL(s.url).pathname.replace('/finnhub/api/v1', '') + new URL(s.url).search)).toEqual([
      `/stock/candle?symbol=AAPL&resolution=D&from=1569283200&to=1569542399`,
      `/stock/candle?symbol=ZZZZ&resolution=D&from=1569283200&to=1569542399`,
      '/stock/option-chain?symbol=AAPL',
      '/stock/symbol?exchange=US',
      '/stock/split?symbol=AAPL&from=2014-06-09&to=2014-06-09',
    ]);
  });
});
