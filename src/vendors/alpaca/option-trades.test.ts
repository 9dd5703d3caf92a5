import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureJson } from '../shared/test-support/fixtures.js';
import { parseOptionTrades } from './option-trades.js';
import { optionTradesPageSchema } from './schemas.js';
import { DATA, collect, expectHeaderAuth, expectNoKeys, fixture, setupAlpaca } from './test-support/setup.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const INGESTED = '2026-03-02T15:00:00.000Z';
const TOKEN = 'U1BZMjQwNDI2QzAwNTU1MDAwfDE3MTAyNTE1NDI1NTg0NDcxMDR8Qg==';
const SPY555 = { contract: 'SPY240426C00555000', underlying: 'SPY', expiration: '2024-04-26', strike: 555, right: 'C' };
const lastPage = { trades: { SPY240426C00550000: [{ t: '2024-03-12T14:05:00.5Z', x: 'C', p: 0.37, s: 3, c: ['f', 'I'] }] }, next_page_token: null };

describe('parseOptionTrades', () => {
  it('maps the fixture page: contract from the OCC key, nanosecond instants, one condition code, the next token', () => {
    const page = optionTradesPageSchema.parse(fixtureJson('alpaca', 'option_trades_page1_next_token.json'));
    expect(parseOptionTrades(page, (reason) => new Error(reason))).toEqual({
      trades: [
        { ...SPY555, ts: '2024-03-12T13:34:54.178322688Z', price: 0.24, size: 1, exchange: 'M', conditions: ['I'] },
        { ...SPY555, ts: '2024-03-12T13:52:22.558447104Z', price: 0.21, size: 20, exchange: 'B', conditions: ['j'] },
      ],
      next_page_token: TOKEN,
    });
  });

  it('reads a condition list, an absent exchange and an empty last page', () => {
    const page = optionTradesPageSchema.parse({ trades: { 'O:AAPL240419P00140000': [{ t: '2024-01-18T15:00:00Z', p: 1.25, s: 2, c: ['a', ''] }] }, next_page_token: null });
    expect(parseOptionTrades(page, (reason) => new Error(reason))).toEqual({
      trades: [{ contract: 'AAPL240419P00140000', underlying: 'AAPL', expiration: '2024-04-19', strike: 140, right: 'P', ts: '2024-01-18T15:00:00Z', price: 1.25, size: 2, exchange: null, conditions: ['a'] }],
      next_page_token: null,
    });
    expect(parseOptionTrades(optionTradesPageSchema.parse({ trades: {}, next_page_token: null }), (r) => new Error(r))).toEqual({ trades: [], next_page_token: null });
  });

  it('fails on a key that is not an OCC symbol or an unreadable instant', () => {
    const fail = (reason: string) => new Error(reason);
    expect(() => parseOptionTrades({ trades: { SPY: [{ t: '2024-03-12T13:34:54Z', p: 1, s: 1 }] } }, fail)).toThrow('trades keyed by "SPY", which is not an OCC option symbol');
    expect(() => parseOptionTrades({ trades: { SPY240426C00555000: [{ t: 'yesterday', p: 1, s: 1 }] } }, fail)).toThrow('trade of SPY240426C00555000 has an unparseable t "yesterday"');
  });
});

describe('Alpaca streamOptionTrades', () => {
  const twoPages = (url: URL) => (url.searchParams.get('page_token') === TOKEN ? jsonResponse(lastPage) : fixture('option_trades_page1_next_token.json'));

  it('follows next_page_token with identical parameters; rows carry feed labels and redacted lineage', async () => {
    const { client, fake } = setupAlpaca(twoPages, START);
    const pages = await collect(client.streamOptionTrades({ symbols: ['SPY240426C00555000', 'SPY240426C00550000'], start: '2024-03-12', end: '2024-03-12' }));
    const page1 = `${DATA}/v1beta1/options/trades?symbols=SPY240426C00555000,SPY240426C00550000&start=2024-03-12T04%3A00%3A00Z&end=2024-03-13T03%3A59%3A59Z&limit=10000&sort=asc`;
    const page2 = `${page1}&page_token=${encodeURIComponent(TOKEN)}`;
    expect(fake.seen.map((s) => s.url)).toEqual([page1, page2]);
    expectHeaderAuth(fake.seen);
    const labels = { quote_quality: 'indicative', indicative: true, source_name: 'alpaca', ingested_at: INGESTED };
    expect(pages.map((p) => [p.chain, p.page, p.nextPageToken])).toEqual([
      [1, 1, TOKEN],
      [1, 2, null],
    ]);
    expect(pages[0]?.rows).toEqual([
      { ...SPY555, ts: '2024-03-12T13:34:54.178322688Z', price: 0.24, size: 1, exchange: 'M', conditions: ['I'], ...labels, source_uri: page1 },
      { ...SPY555, ts: '2024-03-12T13:52:22.558447104Z', price: 0.21, size: 20, exchange: 'B', conditions: ['j'], ...labels, source_uri: page1 },
    ]);
    expect(pages[1]?.rows).toEqual([
      { ...SPY555, contract: 'SPY240426C00550000', strike: 550, ts: '2024-03-12T14:05:00.5Z', price: 0.37, size: 3, exchange: 'C', conditions: ['f', 'I'], ...labels, source_uri: page2 },
    ]);
    for (const row of pages.flatMap((p) => p.rows)) expectNoKeys(row.source_uri);
  });

  it('labels an OPRA account opra and rejects a trade outside the window as Malformed', async () => {
    const { client } = setupAlpaca(() => jsonResponse(lastPage), START);
    const [page] = await collect(client.streamOptionTrades({ symbols: ['SPY240426C00550000'], start: '2024-03-12', end: '2024-03-12', feed: 'opra' }));
    expect(page?.rows.map((r) => [r.contract, r.quote_quality, r.indicative])).toEqual([['SPY240426C00550000', 'opra', false]]);
    const { client: late } = setupAlpaca(() => fixture('option_trades_page1_next_token.json'), START);
    const error = await collect(late.streamOptionTrades({ symbols: ['SPY240426C00555000'], start: '2024-03-13', end: '2024-03-13' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('trade of SPY240426C00555000 at 2024-03-12T13:34:54.178322688Z lies outside the requested 2024-03-13T04:00:00Z..2024-03-14T03:59:59Z');
    expect((error as Malformed).rawText).toContain('SPY240426C00555000');
  });

  it('refuses bad symbols, feeds and limits before any request', async () => {
    const { client, fake } = setupAlpaca(() => jsonResponse({ trades: {} }), START);
    const base = { symbols: ['SPY240426C00555000'], start: '2024-03-12', end: '2024-03-12' };
    for (const params of [{ ...base, symbols: ['SPY'] }, { ...base, feed: 'sip' as unknown as 'opra' }, { ...base, limit: 0 }, { ...base, start: '2024-03-13' }]) {
      await expect(collect(client.streamOptionTrades(params))).rejects.toThrow(BadRequest);
    }
    expect(fake.seen).toHaveLength(0);
  });
});
