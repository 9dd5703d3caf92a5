import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { DATA, collect, expectHeaderAuth, expectNoKeys, fixture, renderError, setupAlpaca } from './test-support/setup.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const INGESTED = '2026-03-02T15:00:00.000Z';
const TOKEN = 'U1BZMjQwNDI2QzAwNTU1MDAwfE18MTcxMDI1NDM0MDAwMDAwMDAwMA==';
const lineageOf = (uri: string | undefined) => ({ source_name: 'alpaca', source_uri: uri, ingested_at: INGESTED });

describe('Alpaca streamOptionBars', () => {
  const twoPages = (url: URL) => (url.searchParams.get('page_token') === TOKEN ? fixture('option_bars_multi_last_page.json') : fixture('option_bars_page1_next_token.json'));

  it('follows next_page_token over the two fixtures, with exact canonical rows', async () => {
    const { client, fake } = setupAlpaca(twoPages, START);
    const pages = await collect(client.streamOptionBars({ symbols: ['SPY240426C00555000', 'O:SPY240426C00550000'], start: '2024-03-12', end: '2024-03-12', timeframe: '1Hour' }));
    const page1 = `${DATA}/v1beta1/options/bars?symbols=SPY240426C00555000,SPY240426C00550000&timeframe=1Hour&start=2024-03-12T04%3A00%3A00Z&end=2024-03-13T03%3A59%3A59Z&limit=10000&sort=asc`;
    expect(fake.seen.map((s) => s.url)).toEqual([page1, `${page1}&page_token=${encodeURIComponent(TOKEN)}`]);
    expectHeaderAuth(fake.seen);
    const spy555 = { contract: 'SPY240426C00555000', underlying: 'SPY', date: '2024-03-12', quote_quality: 'indicative', indicative: true };
    expect(pages.map((p) => [p.chain, p.page])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(pages[0]?.rows).toEqual([
      { ...spy555, ts: '2024-03-12T13:00:00.000Z', open: 0.24, high: 0.24, low: 0.21, close: 0.21, volume: 21, vwap: 0.211429, trades: 2, ...lineageOf(page1) },
      { ...spy555, ts: '2024-03-12T14:00:00.000Z', open: 0.25, high: 0.3, low: 0.25, close: 0.3, volume: 3, vwap: 0.273333, trades: 3, ...lineageOf(page1) },
    ]);
    const page2 = fake.seen[1]?.url;
    const spy550 = { ...spy555, contract: 'SPY240426C00550000' };
    expect(pages[1]?.rows).toEqual([
      { ...spy550, ts: '2024-03-12T13:00:00.000Z', open: 0.37, high: 0.37, low: 0.37, close: 0.37, volume: 1, vwap: 0.37, trades: 1, ...lineageOf(page2) },
      { ...spy550, ts: '2024-03-12T14:00:00.000Z', open: 0.41, high: 0.52, low: 0.41, close: 0.51, volume: 16, vwap: 0.496875, trades: 6, ...lineageOf(page2) },
      { ...spy555, ts: '2024-03-12T13:00:00.000Z', open: 0.24, high: 0.24, low: 0.21, close: 0.21, volume: 21, vwap: 0.211429, trades: 2, ...lineageOf(page2) },
    ]);
    for (const row of pages.flatMap((p) => p.rows)) expectNoKeys(row.source_uri);
  });

  it('defaults to 1Day bars and labels an OPRA account opra, not indicative', async () => {
    const daily = { bars: { AAPL240419P00140000: [{ t: '2024-01-18T05:00:00Z', o: 1.2, h: 1.3, l: 1.1, c: 1.25, v: 40 }] }, next_page_token: null };
    const { client, fake } = setupAlpaca(() => jsonResponse(daily), START);
    const [page] = await collect(client.streamOptionBars({ symbols: ['AAPL240419P00140000'], start: '2024-01-18', end: '2024-01-18', feed: 'opra' }));
    const sent = new URL(fake.seen[0]?.url ?? '');
    expect(sent.searchParams.get('timeframe')).toBe('1Day');
    expect(sent.searchParams.has('feed')).toBe(false); // the bars endpoint takes no feed
    expect(page?.rows).toEqual([
      {
        contract: 'AAPL240419P00140000',
        ts: '2024-01-18T05:00:00.000Z',
        underlying: 'AAPL',
        date: '2024-01-18', // 00:00 EST
        open: 1.2,
        high: 1.3,
        low: 1.1,
        close: 1.25,
        volume: 40,
        vwap: null,
        trades: null,
        quote_quality: 'opra',
        indicative: false,
        ...lineageOf(fake.seen[0]?.url),
      },
    ]);
  });

  it('splits more than 100 symbols into request chains of at most 100, each paginated on its own', async () => {
    const symbols = Array.from({ length: 230 }, (_, i) => `SPY240426C${String((300 + i) * 1000).padStart(8, '0')}`);
    const { client, fake } = setupAlpaca((url) => {
      const first = url.searchParams.get('symbols')?.split(',')[0];
      if (first === symbols[0] && !url.searchParams.has('page_token')) return jsonResponse({ bars: {}, next_page_token: 'chain1-more' });
      return jsonResponse({ bars: { [first ?? '']: [{ t: '2024-03-12T04:00:00Z', o: 1, h: 1, l: 1, c: 1, v: 1 }] }, next_page_token: null });
    }, START);
    const pages = await collect(client.streamOptionBars({ symbols, start: '2024-03-12', end: '2024-03-12' }));
    const sent = fake.seen.map((s) => new URL(s.url).searchParams);
    expect(sent.map((q) => q.get('symbols')?.split(',').length)).toEqual([100, 100, 100, 30]);
    expect(sent.map((q) => q.get('page_token'))).toEqual([null, 'chain1-more', null, null]);
    expect(sent[1]?.get('symbols')).toBe(sent[0]?.get('symbols'));
    expect(sent.flatMap((q, i) => (i === 1 ? [] : (q.get('symbols') ?? '').split(',')))).toEqual(symbols);
    expect(pages.map((p) => [p.chain, p.page, p.rows.map((r) => r.contract)])).toEqual([
      [1, 1, []],
      [1, 2, [symbols[0]]],
      [2, 1, [symbols[100]]],
      [3, 1, [symbols[200]]],
    ]);
  });

  it('rejects a bar keyed by a non-OCC symbol or outside the window', async () => {
    const junk = { bars: { AAPL: [{ t: '2024-03-12T14:00:00Z', o: 1, h: 1, l: 1, c: 1, v: 1 }] }, next_page_token: null };
    const { client } = setupAlpaca(() => jsonResponse(junk), START);
    await expect(collect(client.streamOptionBars({ symbols: ['SPY240426C00555000'], start: '2024-03-12', end: '2024-03-12' }))).rejects.toThrow(/not an OCC option symbol/);
    const { client: late } = setupAlpaca(() => fixture('option_bars_page1_next_token.json'), START);
    const error = await collect(late.streamOptionBars({ symbols: ['SPY240426C00555000'], start: '2024-03-13', end: '2024-03-13' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
  });

  it('refuses bad symbols, timeframes and feeds before any request', async () => {
    const { client, fake } = setupAlpaca(() => jsonResponse({ bars: {} }), START);
    const base = { symbols: ['SPY240426C00555000'], start: '2024-03-12', end: '2024-03-12' };
    for (const params of [
      { ...base, symbols: ['SPY'] },
      { ...base, symbols: [] },
      { ...base, timeframe: '1Sec' },
      { ...base, timeframe: '60Min' },
      { ...base, feed: 'sip' as unknown as 'opra' },
      { ...base, start: '2024-03-13' },
    ]) {
      await expect(collect(client.streamOptionBars(params))).rejects.toThrow(BadRequest);
    }
    expect(fake.seen).toHaveLength(0);
  });

  it('maps an OPRA subscription 403 to a capability EntitlementDenied, keys nowhere', async () => {
    const { client } = setupAlpaca(() => jsonResponse({ message: 'subscription does not permit querying OPRA data' }, 403), START);
    const error = await collect(client.streamOptionBars({ symbols: ['SPY240426C00555000'], start: '2024-03-12', end: '2024-03-12' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expectNoKeys(renderError(error));
  });
});
