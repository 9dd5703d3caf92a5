import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fmpFixture } from './test-support/fixtures.js';
import { KEY, LINEAGE_AT, byPath, sent, setup, stored } from './test-support/harness.js';

const RAW = '/stable/historical-price-eod/non-split-adjusted';

describe('FMP fetchHistoricalPrice, raw (equities_eod)', () => {
  it('asks non-split-adjusted (the as-traded series) and maps the captured AAPL 2025-04-01 bar exactly', async () => {
    // AAPL has not split since 2020-08-31, so its 2025 bar is the same on the split-adjusted `full`
    // capture and on the raw series: the fixture stands in for a raw answer in the open/high naming.
    const { client, fake } = setup(() => fmpFixture('stable_historical_price_eod_full_AAPL.json'));
    const rows = await client.fetchHistoricalPrice('AAPL', { from: '2025-04-01', to: '2025-04-01' });
    expect(fake.seen.map((s) => s.url)).toEqual([sent(`${RAW}?symbol=AAPL&from=2025-04-01&to=2025-04-01`)]);
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        date: '2025-04-01',
        open: 219.81,
        high: 223.68,
        low: 218.9,
        close: 223.19,
        volume: 36412740,
        vwap: null, // FMP's vwap (here (O+H+L+C)/4) is synthetic, not stored as VWAP
        trades: null,
        feed: null,
        adjusted: false,
        source_name: 'fmp',
        source_uri: stored(`${RAW}?symbol=AAPL&from=2025-04-01&to=2025-04-01`),
        ingested_at: LINEAGE_AT,
      },
    ]);
    expect(rows[0]?.source_uri).not.toContain(KEY);
  });

  it('reads the adjOpen…adjClose naming some versions of the raw endpoint use, oldest first', async () => {
    const { client } = setup(() =>
      jsonResponse([
        { symbol: 'NVDA', date: '2024-06-07', adjOpen: 1197.7, adjHigh: 1216.92, adjLow: 1180.22, adjClose: 1208.88, volume: 41238580 },
        { symbol: 'NVDA', date: '2024-06-06', adjOpen: 1240.48, adjHigh: 1255.87, adjLow: 1183.2, adjClose: 1209.98, volume: 66306816 },
      ]),
    );
    const rows = await client.fetchHistoricalPrice('NVDA', { from: '2024-06-06', to: '2024-06-07' });
    expect(rows.map((r) => [r.date, r.open, r.high, r.low, r.close, r.volume, r.adjusted])).toEqual([
      ['2024-06-06', 1240.48, 1255.87, 1183.2, 1209.98, 66306816, false],
      ['2024-06-07', 1197.7, 1216.92, 1180.22, 1208.88, 41238580, false],
    ]);
  });

  it('splits a long range into ≤ 15-year windows (the ~5,000-row cap) and asks today as the default end', async () => {
    const { client, fake } = setup(() => jsonResponse([]));
    await client.fetchHistoricalPrice('ATVI', { from: '1990-01-01', to: '2025-12-31' });
    expect(fake.seen.map((s) => new URL(s.url).search.replace(/&apikey=.*/, ''))).toEqual([
      '?symbol=ATVI&from=1990-01-01&to=2004-12-31',
      '?symbol=ATVI&from=2005-01-01&to=2019-12-31',
      '?symbol=ATVI&from=2020-01-01&to=2025-12-31',
    ]);
    const open = setup(() => jsonResponse([]));
    await open.client.fetchHistoricalPrice('AAPL', { from: '2026-02-27' });
    expect(new URL(open.fake.seen[0]?.url ?? '').search).toBe(`?symbol=AAPL&from=2026-02-27&to=2026-03-02&apikey=${KEY}`);
    const none = setup(() => jsonResponse([]));
    await none.client.fetchHistoricalPrice('AAPL');
    expect(none.fake.seen[0]?.url).toBe(sent(`${RAW}?symbol=AAPL`));
  });

  it('drops a flat-filled tail after the last trade (delisted ATVI) and reports it', async () => {
    const bar = (date: string, o: number, c: number, v: number) => ({ symbol: 'ATVI', date, open: o, high: Math.max(o, c), low: Math.min(o, c), close: c, volume: v });
    const { client, skipped } = setup(() =>
      jsonResponse([bar('2023-10-20', 94.41, 94.41, 0), bar('2023-10-19', 94.41, 94.41, 0), bar('2023-10-12', 94.2, 94.41, 18_000_000), bar('2023-10-11', 93.5, 94.2, 9_000_000)]),
    );
    const rows = await client.fetchHistoricalPrice('ATVI', { from: '2023-10-11', to: '2023-10-20' });
    expect(rows.map((r) => r.date)).toEqual(['2023-10-11', '2023-10-12']);
    expect(skipped.map((s) => s.value)).toEqual(['"ATVI 2023-10-19"', '"ATVI 2023-10-20"']);
  });

  it('is Malformed for a bar outside the window, a reply at the row cap, a retyped price, or the legacy object shape', async () => {
    const outside = setup(() => fmpFixture('stable_historical_price_eod_full_AAPL.json'));
    await expect(outside.client.fetchHistoricalPrice('AAPL', { from: '2025-04-02', to: '2025-04-03' })).rejects.toThrow(/bar dated 2025-04-01 lies outside 2025-04-02..2025-04-03/);
    const many = Array.from({ length: 5000 }, (_, i) => ({ symbol: 'AAPL', date: '2025-04-01', open: 1, high: 1, low: 1, close: 1, volume: i }));
    const capped = setup(() => jsonResponse(many));
    await expect(capped.client.fetchHistoricalPrice('AAPL', { from: '2025-04-01', to: '2025-04-01' })).rejects.toThrow(/reach the per-response cap/);
    const retyped = setup(() => jsonResponse([{ symbol: 'AAPL', date: '2025-04-01', open: 219.81, high: 223.68, low: 218.9, close: '223.19', volume: 1 }]));
    await expect(retyped.client.fetchHistoricalPrice('AAPL')).rejects.toThrow(Malformed);
    // Legacy v3 prices are split-adjusted: that shape at the raw path is drift, never raw rows.
    const legacy = setup(() => fmpFixture('legacy_v3_historical_price_full_AAPL.json'));
    const error = await legacy.client.fetchHistoricalPrice('AAPL').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^schema mismatch/);
  });

  it('never falls back to legacy for raw bars (v3 has no as-traded series)', async () => {
    const { client, fake } = setup(() => fmpFixture('errors/402_exclusive_endpoint.json', 402));
    await expect(client.fetchHistoricalPrice('AAPL')).rejects.toThrow(EntitlementDenied);
    expect(fake.seen).toHaveLength(1);
  });

  it('refuses bad dates and reversed ranges before sending', async () => {
    const { client, fake } = setup(() => jsonResponse([]));
    await expect(client.fetchHistoricalPrice('AAPL', { from: '2025-02-30' })).rejects.toThrow(BadRequest);
    await expect(client.fetchHistoricalPrice('AAPL', { from: '2025-03-02', to: '2025-03-01' })).rejects.toThrow(/after its end/);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('FMP fetchHistoricalPrice, adjusted bases (comparison only, adjusted: true)', () => {
  it('dividend_adjusted reads the dividend-adjusted capture', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_historical_price_eod_dividend_adjusted_AAPL.json'));
    const rows = await client.fetchHistoricalPrice('AAPL', { from: '2025-04-01', to: '2025-04-01', basis: 'dividend_adjusted' });
    expect(new URL(fake.seen[0]?.url ?? '').pathname).toBe('/fmp/stable/historical-price-eod/dividend-adjusted');
    expect(rows.map((r) => [r.date, r.open, r.high, r.low, r.close, r.volume, r.adjusted])).toEqual([['2025-04-01', 218.85, 222.71, 217.95, 222.22, 36412740, true]]);
  });

  it('split_adjusted asks `full`, and falls back to legacy historical-price-full when `full` is off the plan', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/historical-price-eod/full', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/historical-price-full/AAPL', () => fmpFixture('legacy_v3_historical_price_full_AAPL.json')],
      ]),
    );
    const rows = await client.fetchHistoricalPrice('AAPL', { from: '2023-10-05', to: '2023-10-06', basis: 'split_adjusted' });
    expect(fake.seen.map((s) => s.url)).toEqual([
      sent('/stable/historical-price-eod/full?symbol=AAPL&from=2023-10-05&to=2023-10-06'),
      sent('/api/v3/historical-price-full/AAPL?from=2023-10-05&to=2023-10-06'),
    ]);
    expect(rows.map((r) => [r.date, r.open, r.high, r.low, r.close, r.volume, r.adjusted, r.source_uri])).toEqual([
      ['2023-10-05', 173.79, 175.45, 172.68, 174.91, 48251046, true, stored('/api/v3/historical-price-full/AAPL?from=2023-10-05&to=2023-10-06')],
      ['2023-10-06', 173.8, 176.61, 173.18, 176.53, 21712747, true, stored('/api/v3/historical-price-full/AAPL?from=2023-10-05&to=2023-10-06')],
    ]);
  });

  it('reads legacy `{}` (unknown symbol) as no rows', async () => {
    const { client } = setup(
      byPath([
        ['/stable/historical-price-eod/full', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/historical-price-full/ZZZZ', () => jsonResponse({})],
      ]),
    );
    expect(await client.fetchHistoricalPrice('ZZZZ', { basis: 'split_adjusted' })).toEqual([]);
  });
});
