import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed, NotFound } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureJson } from '../shared/test-support/fixtures.js';
import { BASE, LINEAGE_AT, expectAuthOnEveryRequest, fixture, setup } from './test-support/harness.js';

describe('Polygon fetchTickerDetails', () => {
  it('maps the AAPL details fixture to a symbols row with ipo_date from list_date', async () => {
    const { client, fake } = setup(() => fixture('ticker_details_AAPL.json'));
    const row = await client.fetchTickerDetails('AAPL');
    const url = `${BASE}/v3/reference/tickers/AAPL`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectAuthOnEveryRequest(fake);
    expect(row).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      exchange: 'XNAS',
      asset_type: 'CS',
      status: 'active',
      ipo_date: '1980-12-12',
      delisted_date: null,
      source_name: 'polygon',
      source_uri: url,
      ingested_at: LINEAGE_AT,
    });
  });

  it('asks as of a date; an inactive ticker is delisted on the date part of delisted_utc', async () => {
    const details = fixtureJson('polygon', 'ticker_details_AAPL.json') as { results: Record<string, unknown> };
    const gone = { ...details, results: { ...details.results, ticker: 'TWTR', name: 'Twitter, Inc.', primary_exchange: 'XNYS', list_date: '2013-11-07', active: false, delisted_utc: '2022-11-08T05:00:00Z' } };
    const { client, fake } = setup(() => jsonResponse(gone));
    const row = await client.fetchTickerDetails('TWTR', '2022-10-27');
    expect(fake.seen[0]?.url).toBe(`${BASE}/v3/reference/tickers/TWTR?date=2022-10-27`);
    expect([row.symbol, row.name, row.exchange, row.asset_type, row.status, row.ipo_date, row.delisted_date]).toEqual(['TWTR', 'Twitter, Inc.', 'XNYS', 'CS', 'delisted', '2013-11-07', '2022-11-08']);
  });

  it('maps the 404 of a ticker that did not exist then to NotFound; details of another ticker are Malformed', async () => {
    const missing = setup(() => jsonResponse({ status: 'NOT_FOUND', request_id: 'x', message: 'Ticker not found.' }, 404));
    await expect(missing.client.fetchTickerDetails('AAPL', '1970-01-02')).rejects.toThrow(NotFound);
    const other = setup(() => fixture('ticker_details_AAPL.json'));
    const error = await other.client.fetchTickerDetails('MSFT').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('asked for MSFT, got the details of "AAPL"');
  });

  it('refuses a junk ticker or date before any request', async () => {
    const { client, fake } = setup(() => jsonResponse({}));
    await expect(client.fetchTickerDetails('../x')).rejects.toThrow(BadRequest);
    await expect(client.fetchTickerDetails('AAPL', '2024-02-30')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
