import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed, NotFound } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

describe('Finnhub fetchProfile', () => {
  it('maps the AAPL profile fixture to a symbols row: name, exchange text, IPO date', async () => {
    const { client, fake, gateLog } = setup(() => fixtureResponse('stock_profile2_AAPL.json'));
    const row = await client.fetchProfile('AAPL');
    const url = `${BASE}/stock/profile2?symbol=AAPL`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    expect(gateLog.acquired).toBe(1);
    expect(row).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc',
      exchange: 'NASDAQ/NMS (GLOBAL MARKET)',
      asset_type: null,
      status: 'active',
      ipo_date: '1980-12-12',
      delisted_date: null,
      source_name: 'finnhub',
      source_uri: url,
      ingested_at: '2026-03-02T21:30:00.000Z',
    });
  });

  it('reads the empty object of an uncovered symbol as NotFound naming it', async () => {
    const { client } = setup(() => jsonResponse({}));
    const error = await client.fetchProfile('ZZZZ').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('ZZZZ');
    expect((error as NotFound).endpoint).toBe('finnhub.symbols');
  });

  it('rejects a profile of another ticker as Malformed, a blank IPO as null, a bad symbol before any request', async () => {
    const other = setup(() => jsonResponse({ ticker: 'MSFT', name: 'Microsoft Corp' }));
    await expect(other.client.fetchProfile('AAPL')).rejects.toThrow(Malformed);
    const blank = setup(() => jsonResponse({ ticker: 'NEWCO', name: 'New Co', exchange: '', ipo: '' }));
    expect(await blank.client.fetchProfile('NEWCO')).toMatchObject({ symbol: 'NEWCO', name: 'New Co', exchange: null, ipo_date: null });
    const { client, fake } = setup(() => jsonResponse({}));
    await expect(client.fetchProfile('../x')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
