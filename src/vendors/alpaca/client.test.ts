import { describe, expect, it } from 'vitest';
import type { EquityBarRow } from '../../catalog/index.js';
import { VirtualClock } from '../../clock/index.js';
import { BadRequest, EntitlementDenied, Malformed, createSeededRandom } from '../../http/index.js';
import { fakeFetch, jsonResponse, type Responder } from '../../http/test-support/fake-fetch.js';
import { fixtureText } from '../shared/test-support/fixtures.js';
import { createAlpacaClient } from './client.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const KEY_ID = 'TESTKEY-ID-0123456789';
const SECRET = 'TESTKEY-SECRET-abcdef';
const DATA = 'http://127.0.0.1:9101';
const TRADING = 'http://127.0.0.1:9102';
const TOKEN1 = 'QUFQTHxEfDIwMjItMDItMDJUMDU6MDA6MDAuMDAwMDAwMDAwWg==';

function fixture(name: string, status = 200): Response {
  return new Response(fixtureText('alpaca', name), { status, headers: { 'content-type': 'application/json' } });
}

function setup(respond: Responder) {
  const clock = new VirtualClock({ start: START });
  const fake = fakeFetch(respond);
  const client = createAlpacaClient({
    keyId: KEY_ID,
    secretKey: SECRET,
    clock,
    dataBaseUrl: DATA,
    tradingBaseUrl: TRADING,
    http: { fetch: fake.fetch, random: createSeededRandom(1), maxRetries: 1 },
  });
  return { clock, fake, client };
}

async function collect(stream: AsyncGenerator<{ rows: EquityBarRow[]; page: number; redactedUrl: string }>) {
  const pages: { rows: EquityBarRow[]; page: number; redactedUrl: string }[] = [];
  for await (const page of stream) pages.push(page);
  return pages;
}

function expectNoKeys(text: string): void {
  expect(text).not.toContain(KEY_ID);
  expect(text).not.toContain(SECRET);
}

describe('Alpaca streamDailyBars', () => {
  const pagesByToken: Responder = (url) => (url.searchParams.get('page_token') === TOKEN1 ? fixture('stock_bars_multi_last_page.json') : fixture('stock_bars_page1_next_token.json'));

  it('walks page_token with every other parameter unchanged, auth in headers only', async () => {
    const { client, fake } = setup(pagesByToken);
    const pages = await collect(client.streamDailyBars({ symbols: ['AAPL', 'TSLA'], start: '2022-02-01', end: '2022-03-09', feed: 'sip' }));
    expect(pages.map((p) => p.page)).toEqual([1, 2]);
    expect(fake.seen[0]?.url).toBe(`${DATA}/v2/stocks/bars?symbols=AAPL,TSLA&timeframe=1Day&start=2022-02-01&end=2022-03-09&limit=10000&adjustment=raw&feed=sip&sort=asc`);
    expect(fake.seen[1]?.url).toBe(`${fake.seen[0]?.url}&page_token=${encodeURIComponent(TOKEN1)}`);
    expect(new URL(fake.seen[1]?.url ?? '').searchParams.get('page_token')).toBe(TOKEN1);
    for (const seen of fake.seen) {
      expect(seen.headers['apca-api-key-id']).toBe(KEY_ID);
      expect(seen.headers['apca-api-secret-key']).toBe(SECRET);
      expectNoKeys(seen.url);
    }
  });

  it('maps bars to canonical rows: NY session date, raw, feed, lineage', async () => {
    const { client, fake } = setup(pagesByToken);
    const pages = await collect(client.streamDailyBars({ symbols: ['AAPL', 'TSLA'], start: '2022-02-01', end: '2022-03-09', feed: 'sip' }));
    expect(pages[0]?.rows[0]).toEqual({
      symbol: 'AAPL',
      date: '2022-02-01', // t 2022-02-01T05:00:00Z = 00:00 EST
      open: 174,
      high: 174.84,
      low: 172.31,
      close: 174.61,
      volume: 85998033,
      vwap: 173.703516,
      trades: 732412,
      feed: 'sip',
      adjusted: false,
      source_name: 'alpaca',
      source_uri: fake.seen[0]?.url,
      ingested_at: '2026-03-02T15:00:00.000Z',
    });
    // AAPL straddles the two pages; TSLA only on page 2.
    const all = pages.flatMap((p) => p.rows);
    expect(all.filter((r) => r.symbol === 'AAPL').map((r) => r.date)).toEqual(['2022-02-01', '2022-02-02', '2022-03-09']);
    expect(all.find((r) => r.symbol === 'TSLA')).toMatchObject({ date: '2022-03-09', open: 839, close: 858.97, volume: 19227323, trades: 528531, vwap: 850.616587 });
    expect(pages[1]?.rows[0]?.source_uri).toBe(fake.seen[1]?.url);
    for (const row of all) expectNoKeys(row.source_uri);
  });

  it('converts EDT midnights (04:00Z) to the New York date (desc TSLA fixture)', async () => {
    const { client } = setup((url) => (url.searchParams.has('page_token') ? fixture('stock_bars_empty.json') : fixture('stock_bars_desc_TSLA_next_token.json')));
    const pages = await collect(client.streamDailyBars({ symbols: ['TSLA'], start: '2023-09-25', end: '2023-09-27', feed: 'iex' }));
    expect(pages).toHaveLength(2);
    expect(pages[0]?.rows.map((r) => [r.date, r.close, r.feed])).toEqual([
      ['2023-09-27', 240.5, 'iex'],
      ['2023-09-26', 244.12, 'iex'],
      ['2023-09-25', 246.99, 'iex'],
    ]);
    expect(pages[1]?.rows).toEqual([]);
  });

  it('yields one empty page for the empty fixture', async () => {
    const { client, fake } = setup(() => fixture('stock_bars_empty.json'));
    const pages = await collect(client.streamDailyBars({ symbols: ['AAPL'], start: '2022-02-05', end: '2022-02-06', feed: 'iex' }));
    expect(pages.map((p) => p.rows)).toEqual([[]]);
    expect(new URL(fake.seen[0]?.url ?? '').searchParams.get('feed')).toBe('iex');
  });

  it('stores a missing trade count or vwap as null', async () => {
    const { client } = setup(() => jsonResponse({ bars: { AAPL: [{ t: '2024-01-18T05:00:00Z', o: 1, h: 2, l: 0.5, c: 1.5, v: 10.5 }] }, next_page_token: null }));
    const [page] = await collect(client.streamDailyBars({ symbols: ['AAPL'], start: '2024-01-18', end: '2024-01-18', feed: 'iex' }));
    expect(page?.rows[0]).toMatchObject({ date: '2024-01-18', volume: 10.5, trades: null, vwap: null });
  });

  it('throws Malformed when the vendor repeats a page token', async () => {
    const { client, fake } = setup(() => fixture('stock_bars_page1_next_token.json'));
    await expect(collect(client.streamDailyBars({ symbols: ['AAPL'], start: '2022-02-01', end: '2022-02-02', feed: 'sip' }))).rejects.toThrow(Malformed);
    expect(fake.seen).toHaveLength(2);
  });

  it('throws Malformed on schema drift (a price retyped as a string)', async () => {
    const drifted = fixtureText('alpaca', 'stock_bars_multi_last_page.json').replace('"c": 162.95', '"c": "162.95"');
    const { client } = setup(() => new Response(drifted, { status: 200 }));
    const error = await collect(client.streamDailyBars({ symbols: ['AAPL'], start: '2022-03-09', end: '2022-03-09', feed: 'sip' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/bars\.AAPL\.0\.c/);
    expect((error as Malformed).rawText).toBe(drifted);
  });

  it('maps BRK-B to BRK.B and refuses a malformed symbol before any request', async () => {
    const { client, fake } = setup(() => fixture('stock_bars_empty.json'));
    await collect(client.streamDailyBars({ symbols: ['BRK-B', 'BRK.B', 'AAPL'], start: '2024-01-02', end: '2024-01-02', feed: 'iex' }));
    expect(new URL(fake.seen[0]?.url ?? '').searchParams.get('symbols')).toBe('BRK.B,AAPL');
    for (const bad of [['brk.b'], ['BF B'], ['BRK/B'], []]) {
      await expect(collect(client.streamDailyBars({ symbols: bad, start: '2024-01-02', end: '2024-01-02', feed: 'iex' }))).rejects.toThrow(BadRequest);
    }
    await expect(collect(client.streamDailyBars({ symbols: ['AAPL'], start: '2024-01-05', end: '2024-01-02', feed: 'iex' }))).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(1);
  });

  it('surfaces the recent-SIP 403 as a window-scoped EntitlementDenied without retrying', async () => {
    const { client, fake } = setup(() => fixture('error_403_sip_subscription.json', 403));
    const error = await collect(client.streamDailyBars({ symbols: ['AAPL'], start: '2026-03-02', end: '2026-03-02', feed: 'sip' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('window');
    expect(fake.seen).toHaveLength(1);
    expectNoKeys(JSON.stringify(error) + String(error) + ((error as Error).stack ?? ''));
  });
});

describe('Alpaca fetchCorporateActions', () => {
  const twoPages: Responder = (url) =>
    url.searchParams.has('page_token') ? fixture('corporate_actions_page2_last.json') : fixture('corporate_actions_page1.json');

  it('widens the process_date window, sends the mapped types, follows the token', async () => {
    const { client, fake } = setup(twoPages);
    await client.fetchCorporateActions({ start: '2023-01-01', end: '2024-12-31' });
    const first = new URL(fake.seen[0]?.url ?? '');
    expect(first.pathname).toBe('/v1/corporate-actions');
    expect(first.searchParams.get('start')).toBe('2022-12-02');
    expect(first.searchParams.get('end')).toBe('2025-01-30');
    expect(first.searchParams.get('limit')).toBe('1000');
    expect(first.searchParams.get('types')).toBe('forward_split,reverse_split,cash_dividend,stock_dividend,spin_off,cash_merger,stock_merger,stock_and_cash_merger,name_change,worthless_removal');
    expect(new URL(fake.seen[1]?.url ?? '').searchParams.get('page_token')).toBe('MDA3Q1ZSMDIwfDIwMjQtMDItMTV8NjBiZjkxYzItMDc0Ni00ZDliLThjOWUtYTgwYmIzMDhmZDkx');
    expect(fake.seen).toHaveLength(2);
  });

  it('maps every type of the fixtures to canonical rows', async () => {
    const { client, fake } = setup(twoPages);
    const rows = await client.fetchCorporateActions({ start: '2023-01-01', end: '2024-12-31' });
    const pick = (symbol: string) => {
      const row = rows.find((r) => r.symbol === symbol);
      if (!row) throw new Error(`no row for ${symbol}`);
      const { source_name, source_uri, ingested_at, ...rest } = row;
      expect([source_name, ingested_at]).toEqual(['alpaca', '2026-03-02T15:00:00.000Z']);
      expectNoKeys(source_uri);
      return rest;
    };
    const blank = { split_ratio: null, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };
    expect(pick('MNTS')).toEqual({ ...blank, symbol: 'MNTS', action: 'split', ex_date: '2023-08-24', split_ratio: 1 / 50, record_date: '2023-08-24' });
    expect(pick('SRE')).toEqual({ ...blank, symbol: 'SRE', action: 'split', ex_date: '2023-08-22', split_ratio: 2, record_date: '2023-08-14', pay_date: '2023-08-21' });
    expect(pick('MSBC')).toEqual({ ...blank, symbol: 'MSBC', action: 'stock_dividend', ex_date: '2023-05-19', split_ratio: 1.05, record_date: '2023-05-22', pay_date: '2023-05-05' });
    expect(pick('FCF')).toEqual({ ...blank, symbol: 'FCF', action: 'dividend', ex_date: '2023-05-04', cash_amount: 0.125, record_date: '2023-05-05', pay_date: '2023-05-19' });
    expect(pick('JUPW')).toEqual({ ...blank, symbol: 'JUPW', action: 'spinoff', ex_date: '2023-08-15', split_ratio: 1 / 19.35, new_symbol: 'SRM', record_date: '2023-08-15' });
    expect(pick('GLOP')).toEqual({ ...blank, symbol: 'GLOP', action: 'merger', ex_date: '2023-07-17', cash_amount: 5.37, pay_date: '2023-07-17' });
    expect(pick('LSI')).toEqual({ ...blank, symbol: 'LSI', action: 'merger', ex_date: '2023-07-20', split_ratio: 0.895, new_symbol: 'EXR', pay_date: '2023-07-20' });
    expect(pick('MLVF')).toEqual({ ...blank, symbol: 'MLVF', action: 'merger', ex_date: '2023-07-18', split_ratio: 0.7733, cash_amount: 7.8, new_symbol: 'FRBA', pay_date: '2023-07-18' });
    expect(pick('BSAQ')).toEqual({ ...blank, symbol: 'BSAQ', action: 'symbol_change', ex_date: '2023-08-15', new_symbol: 'VFS' });
    expect(pick('ATNXQ')).toEqual({ ...blank, symbol: 'ATNXQ', action: 'delisting', ex_date: '2023-10-11' });
    expect(pick('ZMTBY')).toEqual({ ...blank, symbol: 'ZMTBY', action: 'dividend', ex_date: '2024-08-07', cash_amount: 0.086928, record_date: '2024-08-07', pay_date: '2024-08-26' });
    // Unit splits, redemptions and rights distributions are not turned into rows.
    expect(rows.map((r) => r.symbol).sort()).toEqual(['ATNXQ', 'BSAQ', 'FCF', 'GLOP', 'JUPW', 'LSI', 'MLVF', 'MNTS', 'MSBC', 'SRE', 'ZMTBY']);
    expect(rows.find((r) => r.symbol === 'ZMTBY')?.source_uri).toBe(fake.seen[1]?.url);
  });

  it('keeps only records whose effective date lies in [start, end]', async () => {
    const { client } = setup(twoPages);
    const rows = await client.fetchCorporateActions({ start: '2023-08-15', end: '2023-08-24' });
    expect(rows.map((r) => `${r.symbol}:${r.ex_date}`).sort()).toEqual(['BSAQ:2023-08-15', 'JUPW:2023-08-15', 'MNTS:2023-08-24', 'SRE:2023-08-22']);
  });

  it('computes split_ratio as new per old (4-for-1 → 4, 1-for-10 → 0.1), reads currency, ignores unknown types', async () => {
    const body = {
      corporate_actions: {
        forward_splits: [{ id: 'f', symbol: 'NVDA', cusip: 'c', old_rate: 1, new_rate: 4, process_date: '2024-06-10', ex_date: '2024-06-10' }],
        reverse_splits: [{ id: 'r', symbol: 'XYZ', old_cusip: 'a', new_cusip: 'b', old_rate: 10, new_rate: 1, process_date: '2024-06-11', ex_date: '2024-06-11', new_symbol: 'XYZN' }],
        cash_dividends: [{ id: 'd', symbol: 'HON', cusip: 'c', rate: 1.13, special: false, foreign: false, process_date: '2024-06-12', ex_date: '2024-06-12', currency: 'USD' }],
        future_actions: [{ whatever: true }],
      },
      next_page_token: null,
    };
    const { client } = setup(() => jsonResponse(body));
    const rows = await client.fetchCorporateActions({ symbols: ['NVDA', 'XYZ', 'HON'], start: '2024-06-01', end: '2024-06-30' });
    expect(rows.map((r) => [r.symbol, r.split_ratio, r.new_symbol, r.cash_amount, r.currency])).toEqual([
      ['NVDA', 4, null, null, null],
      ['XYZ', 0.1, 'XYZN', null, null],
      ['HON', null, null, 1.13, 'USD'],
    ]);
  });

  it('refuses bad dates and symbols before any request', async () => {
    const { client, fake } = setup(twoPages);
    await expect(client.fetchCorporateActions({ start: '2024-02-30', end: '2024-03-01' })).rejects.toThrow(BadRequest);
    await expect(client.fetchCorporateActions({ start: '2024-03-02', end: '2024-03-01' })).rejects.toThrow(BadRequest);
    await expect(client.fetchCorporateActions({ symbols: ['BRK/B'], start: '2024-03-01', end: '2024-03-01' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('Alpaca fetchAssets', () => {
  it('parses the assets list despite placeholder strings in optional numeric fields', async () => {
    const { client, fake } = setup(() => fixture('assets_list.json'));
    const rows = await client.fetchAssets({ status: 'active' });
    expect(fake.seen[0]?.url).toBe(`${TRADING}/v2/assets?status=active&asset_class=us_equity`);
    expect(fake.seen[0]?.headers['apca-api-key-id']).toBe(KEY_ID);
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        name: 'Apple Inc. Common Stock',
        exchange: 'NASDAQ',
        asset_type: 'us_equity',
        status: 'active',
        ipo_date: null,
        delisted_date: null,
        source_name: 'alpaca',
        source_uri: `${TRADING}/v2/assets?status=active&asset_class=us_equity`,
        ingested_at: '2026-03-02T15:00:00.000Z',
      },
    ]);
  });

  it('marks inactive assets delisted without inventing a date', async () => {
    const { client } = setup(() => jsonResponse([{ id: 'x', symbol: 'OLD', name: 'Old Co', exchange: 'NYSE', status: 'inactive', class: 'us_equity' }]));
    const [row] = await client.fetchAssets();
    expect(row).toMatchObject({ symbol: 'OLD', status: 'delisted', delisted_date: null });
  });
});

describe('createAlpacaClient', () => {
  it('refuses to start without both keys', () => {
    expect(() => createAlpacaClient({ keyId: '', secretKey: 'x', clock: new VirtualClock({ start: START }) })).toThrow(/ALPACA_API_KEY_ID/);
  });
});
