import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, createSeededRandom } from '../../http/index.js';
import { fakeFetch, jsonResponse, type Responder } from '../../http/test-support/fake-fetch.js';
import { fixtureJson, fixtureText } from '../shared/test-support/fixtures.js';
import { createPolygonClient } from './client.js';
import type { SkippedRow } from './context.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const KEY = 'TESTKEY-POLY-9f8e7d6c5b';
const BASE = 'http://127.0.0.1:9200/polygon';

function fixture(name: string, status = 200): Response {
  return new Response(fixtureText('polygon', name), { status, headers: { 'content-type': 'application/json' } });
}

/** The aggregate fixtures answer adjusted=true requests; a vendor answering ours echoes adjusted=false. */
function unadjusted(name: string, patch: Record<string, unknown> = {}): Response {
  return jsonResponse({ ...(fixtureJson('polygon', name) as Record<string, unknown>), adjusted: false, ...patch });
}

function setup(respond: Responder) {
  const clock = new VirtualClock({ start: START });
  const fake = fakeFetch(respond);
  const skipped: SkippedRow[] = [];
  const client = createPolygonClient({
    apiKey: KEY,
    clock,
    baseUrl: BASE,
    onSkip: (row) => skipped.push(row),
    http: { fetch: fake.fetch, random: createSeededRandom(3), maxRetries: 2 },
  });
  return { clock, fake, client, skipped };
}

function expectAuthOnEveryRequest(fake: ReturnType<typeof fakeFetch>): void {
  expect(fake.seen.length).toBeGreaterThan(0);
  for (const seen of fake.seen) {
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.url).not.toContain(KEY);
    expect(seen.url).not.toMatch(/apikey/i);
  }
}

const LINEAGE_AT = '2026-03-02T15:00:00.000Z';

describe('Polygon fetchGroupedDaily', () => {
  it('maps the grouped fixture: t 20:00Z (16:00 New York) is session 2020-10-14', async () => {
    const { client, fake } = setup(() => unadjusted('grouped_daily_stocks_sdk_mock.json'));
    const rows = await client.fetchGroupedDaily('2020-10-14');
    const url = `${BASE}/v2/aggs/grouped/locale/us/market/stocks/2020-10-14?adjusted=false`;
    expect(fake.seen[0]?.url).toBe(url);
    expectAuthOnEveryRequest(fake);
    expect(rows).toEqual([
      {
        symbol: 'GIK',
        date: '2020-10-14',
        open: 9.99,
        high: 10.02,
        low: 9.9,
        close: 10.02,
        volume: 895345,
        vwap: 9.9979,
        trades: 96,
        feed: null,
        adjusted: false,
        source_name: 'polygon',
        source_uri: url,
        ingested_at: LINEAGE_AT,
      },
    ]);
  });

  it('reads the previous-close row shape the same way (t 2022-04-26T20:00Z, fractional volume)', async () => {
    const { client } = setup(() => unadjusted('prev_close_AAPL.json'));
    const [row] = await client.fetchGroupedDaily('2022-04-26');
    expect(row).toMatchObject({ symbol: 'AAPL', date: '2022-04-26', open: 162.25, close: 156.8, volume: 95595226, vwap: 158.6074, trades: 899965 });
  });

  it('rejects the whole payload when a row belongs to another session', async () => {
    const { client } = setup(() => unadjusted('grouped_daily_stocks_sdk_mock.json'));
    const error = await client.fetchGroupedDaily('2020-10-15').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('row GIK is dated 2020-10-14 (t=1602705600000), not the requested session 2020-10-15');
    expect((error as Malformed).rawText).toContain('"GIK"');
  });

  it('refuses split-adjusted data when raw was asked for', async () => {
    const { client } = setup(() => fixture('grouped_daily_stocks_sdk_mock.json'));
    await expect(client.fetchGroupedDaily('2020-10-14')).rejects.toThrow(/adjusted=true/);
  });

  it('skips junk tickers, counting them, and keeps the rest', async () => {
    const bar = { o: 1, h: 1, l: 1, c: 1, v: 100, t: 1602705600000 };
    const body = { status: 'OK', adjusted: false, results: [{ T: 'KIMpL', ...bar }, { T: '\u0000\u0001', ...bar }, { T: 'BRK.B', ...bar, v: 25933.6 }, { T: '', ...bar }, { ...bar }] };
    const { client, skipped } = setup(() => jsonResponse(body));
    const result = await client.fetchGroupedDailyDetailed('2020-10-14');
    expect(result.rows.map((r) => [r.symbol, r.volume, r.trades, r.vwap])).toEqual([
      ['KIMpL', 100, null, null],
      ['BRK.B', 25933.6, null, null],
    ]);
    expect(result.skipped.map((s) => s.value)).toEqual(['"\\u0000\\u0001"', '""', '""']);
    expect(skipped).toEqual(result.skipped);
  });

  it('returns no rows for a non-trading day (results absent)', async () => {
    const { client } = setup(() => jsonResponse({ adjusted: false, queryCount: 0, resultsCount: 0, status: 'OK', request_id: 'x' }));
    expect(await client.fetchGroupedDaily('2020-10-17')).toEqual([]);
  });

  it('refuses a malformed date before any request', async () => {
    const { client, fake } = setup(() => jsonResponse({}));
    await expect(client.fetchGroupedDaily('2020-13-01')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('Polygon fetchDailyRange', () => {
  it('maps the 2005 AAPL fixture across the DST switch (05:00Z then 04:00Z)', async () => {
    const { client, fake } = setup(() => unadjusted('aggs_range_AAPL_1day_2005-04-01_2005-04-04.json'));
    const rows = await client.fetchDailyRange('AAPL', '2005-04-01', '2005-04-04');
    expect(fake.seen[0]?.url).toBe(`${BASE}/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04?adjusted=false&sort=asc&limit=50000`);
    expect(rows.map((r) => [r.symbol, r.date, r.open, r.high, r.low, r.close, r.volume, r.vwap, r.trades])).toEqual([
      ['AAPL', '2005-04-01', 1.5032, 1.5064, 1.4489, 1.4604, 642646396, 1.469, 82132],
      ['AAPL', '2005-04-04', 1.4639, 1.4754, 1.4343, 1.4675, 578172308, 1.4589, 65543],
    ]);
  });

  it('follows next_url on the configured host, re-appending adjusted=false and the auth header', async () => {
    const { client, fake } = setup((url) =>
      url.searchParams.has('cursor') ? unadjusted('aggs_empty_results_null_legacy.json') : unadjusted('aggs_range_AAPL_page_with_next_url.json'),
    );
    const rows = await client.fetchDailyRange('AAPL', '2020-01-02', '2020-01-10');
    expect(fake.seen.map((s) => s.url)).toEqual([
      `${BASE}/v2/aggs/ticker/AAPL/range/1/day/2020-01-02/2020-01-10?adjusted=false&sort=asc&limit=50000`,
      `${BASE}/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw&adjusted=false`,
    ]);
    expectAuthOnEveryRequest(fake);
    expect(rows.map((r) => [r.date, r.close, r.volume])).toEqual([
      ['2020-01-02', 75.0875, 135647456],
      ['2020-01-03', 74.3575, 146535512],
    ]);
  });

  it('rejects a page whose bars fall outside the requested range', async () => {
    const { client } = setup(() => unadjusted('aggs_range_AAPL_1day_2005-04-01_2005-04-04.json'));
    await expect(client.fetchDailyRange('AAPL', '2005-04-02', '2005-04-10')).rejects.toThrow(Malformed);
  });

  it('stops a next_url chain that loops', async () => {
    const { client, fake } = setup(() => jsonResponse({ status: 'OK', adjusted: false, results: [], next_url: 'https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/2020-01-02/2020-01-10?cursor=same' }));
    await expect(client.fetchDailyRange('AAPL', '2020-01-02', '2020-01-10')).rejects.toThrow(/loops after 2 page/);
    expect(fake.seen).toHaveLength(2);
  });
});

describe('Polygon fetchSplits', () => {
  it('maps the v1 example: AAPL 2005-02-28 1→2', async () => {
    const { client, fake } = setup(() => fixture('stocks_v1_splits_example.json'));
    const rows = await client.fetchSplits({ ticker: 'AAPL', from: '2000-01-01', to: '2026-01-01' });
    expect(fake.seen[0]?.url).toBe(`${BASE}/stocks/v1/splits?ticker=AAPL&execution_date.gte=2000-01-01&execution_date.lte=2026-01-01&limit=5000`);
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        action: 'split',
        ex_date: '2005-02-28',
        split_ratio: 2,
        cash_amount: null,
        currency: null,
        record_date: null,
        pay_date: null,
        declared_date: null,
        new_symbol: null,
        source_name: 'polygon',
        source_uri: fake.seen[0]?.url,
        ingested_at: LINEAGE_AT,
      },
    ]);
  });

  it('maps the v3 page: reverse, fractional and the SHOP double listing', async () => {
    const { client } = setup(() => fixture('splits_v3_page.json'));
    const rows = await client.fetchSplits({});
    const ratio = (symbol: string) => rows.filter((r) => r.symbol === symbol).map((r) => [r.ex_date, r.split_ratio]);
    expect(ratio('BRW')).toEqual([['2022-05-20', 0.5]]);
    expect(ratio('CIG.C')).toEqual([['2022-05-02', 4 / 3]]);
    expect(ratio('SHOP')).toEqual([
      ['2022-06-29', 10],
      ['2022-06-22', 10],
    ]);
    expect(ratio('GOOGL')).toEqual([['2022-07-18', 20]]);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.action === 'split')).toBe(true);
  });

  it('drops exact duplicates and maps stock-dividend adjustments', async () => {
    const shop = { ticker: 'SHOP', execution_date: '2022-06-29', split_from: 1, split_to: 10 };
    const { client } = setup(() =>
      jsonResponse({ status: 'OK', results: [shop, { ...shop }, { ticker: 'XYZ', execution_date: '2024-01-05', split_from: 1, split_to: 1.05, adjustment_type: 'stock_dividend' }] }),
    );
    const rows = await client.fetchSplits({ from: '2022-01-01' });
    expect(rows.map((r) => [r.symbol, r.action, r.ex_date, r.split_ratio])).toEqual([
      ['SHOP', 'split', '2022-06-29', 10],
      ['XYZ', 'stock_dividend', '2024-01-05', 1.05],
    ]);
  });

  it('treats a retyped ratio as schema drift', async () => {
    const { client } = setup(() => jsonResponse({ status: 'OK', results: [{ ticker: 'SHOP', execution_date: '2022-06-29', split_from: '1', split_to: 10 }] }));
    await expect(client.fetchSplits({})).rejects.toThrow(Malformed);
  });
});

describe('Polygon fetchDividends', () => {
  it('maps the v1 example with its dates and raw cash amount', async () => {
    const { client, fake } = setup(() => fixture('stocks_v1_dividends_example.json'));
    const rows = await client.fetchDividends({ ticker: 'AAPL', from: '2025-01-01' });
    expect(fake.seen[0]?.url).toBe(`${BASE}/stocks/v1/dividends?ticker=AAPL&ex_dividend_date.gte=2025-01-01&limit=5000`);
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        action: 'dividend',
        ex_date: '2025-08-11',
        split_ratio: null,
        cash_amount: 0.26,
        currency: 'USD',
        record_date: '2025-08-11',
        pay_date: '2025-08-14',
        declared_date: '2025-07-31',
        new_symbol: null,
        source_name: 'polygon',
        source_uri: fake.seen[0]?.url,
        ingested_at: LINEAGE_AT,
      },
    ]);
  });

  it('maps the v3 page (declaration years before the ex date)', async () => {
    const { client } = setup(() => fixture('dividends_v3_page.json'));
    const rows = await client.fetchDividends({});
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ symbol: 'CSSEN', ex_date: '2025-06-12', cash_amount: 0.59375, declared_date: '2020-09-09', record_date: '2025-06-15', pay_date: '2025-06-30', currency: null });
    expect(rows.filter((r) => r.symbol === 'AIRTP').map((r) => [r.ex_date, r.cash_amount])).toEqual([
      ['2023-11-13', 0.5],
      ['2023-08-11', 0.5],
    ]);
  });
});

describe('Polygon fetchTickers', () => {
  it('follows page 1 → page 2 via next_url re-based onto the configured host, auth re-attached', async () => {
    const { client, fake } = setup((url) => (url.searchParams.has('cursor') ? fixture('tickers_page2_last.json') : fixture('tickers_page1_next_url.json')));
    const rows = await client.fetchTickers({ active: true, market: 'stocks' });
    const page1 = `${BASE}/v3/reference/tickers?market=stocks&active=true&limit=1000`;
    const cursor = new URL((fixtureJson('polygon', 'tickers_page1_next_url.json') as { next_url: string }).next_url).search;
    const page2 = `${BASE}/v3/reference/tickers${cursor}`;
    expect(fake.seen.map((s) => s.url)).toEqual([page1, page2]);
    expectAuthOnEveryRequest(fake);
    expect(rows.map((r) => [r.symbol, r.name, r.exchange, r.asset_type, r.status, r.delisted_date, r.source_uri])).toEqual([
      ['A', 'Agilent Technologies Inc.', 'XNYS', 'CS', 'active', null, page1],
      ['AA', 'Alcoa Corporation', 'XNYS', 'CS', 'active', null, page1],
      ['AAA', 'AAF First Priority CLO Bond ETF', 'ARCX', 'ETF', 'active', null, page2],
      ['AAAU', 'Goldman Sachs Physical Gold ETF Shares', 'BATS', 'ETF', 'active', null, page2],
    ]);
    for (const row of rows) expect(row.source_uri).not.toContain(KEY);
  });

  it('marks delisted tickers with the date part of delisted_utc, drops exact duplicates and a key smuggled into next_url', async () => {
    const delisted = { ticker: 'LEHMQ', name: 'Lehman Brothers', market: 'stocks', type: 'CS', active: false, primary_exchange: 'XNYS', delisted_utc: '2008-09-17T00:00:00Z' };
    const { client, fake } = setup((url) =>
      url.searchParams.has('cursor')
        ? jsonResponse({ status: 'OK', results: [{ ...delisted, cik: '1' }, { ...delisted, cik: '2' }] })
        : jsonResponse({ status: 'OK', results: [{ ...delisted, ticker: 'WAMUQ', delisted_utc: '2012-03-19T04:00:00Z' }], next_url: `https://api.polygon.io:443/v3/reference/tickers?cursor=abc&apiKey=${KEY}` }),
    );
    const rows = await client.fetchTickers({ active: false });
    expect(fake.seen[1]?.url).toBe(`${BASE}/v3/reference/tickers?cursor=abc`);
    expect(rows.map((r) => [r.symbol, r.status, r.delisted_date])).toEqual([
      ['WAMUQ', 'delisted', '2012-03-19'],
      ['LEHMQ', 'delisted', '2008-09-17'],
    ]);
  });
});

describe('Polygon errors through the client', () => {
  it('waits the 65 s vendor default after a 429 (no headers), then succeeds', async () => {
    let calls = 0;
    const { client, clock } = setup(() => (calls++ === 0 ? fixture('error_429_rate_limit.json', 429) : unadjusted('grouped_daily_stocks_sdk_mock.json')));
    const rows = await client.fetchGroupedDaily('2020-10-14');
    expect(rows).toHaveLength(1);
    expect(clock.now() - START).toBe(65_000);
  });

  it('surfaces a too-old date as a window-scoped EntitlementDenied without retrying', async () => {
    const { client, fake } = setup(() => fixture('error_403_not_authorized_timeframe.json', 403));
    const error = await client.fetchGroupedDaily('2019-01-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('window');
    expect((error as EntitlementDenied).url).toBe(`${BASE}/v2/aggs/grouped/locale/us/market/stocks/2019-01-02?adjusted=false`);
    expect(fake.seen).toHaveLength(1);
  });

  it('never lets the key into an auth error, however it is printed', async () => {
    const { client } = setup(() => jsonResponse({ status: 'ERROR', error: `Unknown API Key ${KEY}` }, 401));
    const error = await client.fetchTickers({ active: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailed);
    for (const text of [(error as Error).message, String(error), JSON.stringify(error), (error as Error).stack ?? '', (error as AuthFailed).bodyExcerpt ?? '']) {
      expect(text).not.toContain(KEY);
    }
  });
});
