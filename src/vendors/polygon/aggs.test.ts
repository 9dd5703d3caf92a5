import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureJson } from '../shared/test-support/fixtures.js';
import { BASE, LINEAGE_AT, expectAuthOnEveryRequest, fixture, setup } from './test-support/harness.js';

const PREV = fixtureJson('polygon', 'prev_close_AAPL.json') as Record<string, unknown>;
const AAPL_2022_04_26 = { symbol: 'AAPL', date: '2022-04-26', open: 162.25, high: 162.34, low: 156.72, close: 156.8, volume: 95_595_226, vwap: 158.6074, trades: 899_965, feed: null };

describe('Polygon fetchPreviousClose', () => {
  it('asks for raw prices and maps the bar: t 2022-04-26T20:00Z (16:00 New York) is session 2022-04-26', async () => {
    const { client, fake } = setup(() => jsonResponse({ ...PREV, adjusted: false }));
    const row = await client.fetchPreviousClose('AAPL');
    const url = `${BASE}/v2/aggs/ticker/AAPL/prev?adjusted=false`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectAuthOnEveryRequest(fake);
    expect(row).toEqual({ ...AAPL_2022_04_26, adjusted: false, source_name: 'polygon', source_uri: url, ingested_at: LINEAGE_AT });
  });

  it('refuses the fixture as raw data: it says adjusted=true, like grouped daily', async () => {
    const { client } = setup(() => fixture('prev_close_AAPL.json'));
    const error = await client.fetchPreviousClose('AAPL').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('asked for adjusted=false but the payload says adjusted=true');
  });

  it('returns the fixture verbatim when split-adjusted prices are asked for, marked adjusted', async () => {
    const { client, fake } = setup(() => fixture('prev_close_AAPL.json'));
    const row = await client.fetchPreviousClose('AAPL', { adjusted: true });
    const url = `${BASE}/v2/aggs/ticker/AAPL/prev?adjusted=true`;
    expect(fake.seen[0]?.url).toBe(url);
    expect(row).toEqual({ ...AAPL_2022_04_26, adjusted: true, source_name: 'polygon', source_uri: url, ingested_at: LINEAGE_AT });
  });

  it('is null when nothing traded; two bars or another ticker’s bar are Malformed; a junk ticker is refused locally', async () => {
    const none = setup(() => jsonResponse({ ticker: 'AAPL', adjusted: false, queryCount: 0, resultsCount: 0, status: 'OK' }));
    expect(await none.client.fetchPreviousClose('AAPL')).toBeNull();
    const results = PREV.results as object[];
    const two = setup(() => jsonResponse({ ...PREV, adjusted: false, results: [...results, ...results] }));
    await expect(two.client.fetchPreviousClose('AAPL')).rejects.toThrow(/expected one previous-close bar, got 2/);
    const other = setup(() => jsonResponse({ ...PREV, adjusted: false }));
    await expect(other.client.fetchPreviousClose('MSFT')).rejects.toThrow(/asked for MSFT, got a bar of "AAPL"/);
    const { client, fake } = setup(() => jsonResponse({}));
    await expect(client.fetchPreviousClose('A B')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
