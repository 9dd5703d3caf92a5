import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed, NotFound, RateLimited } from '../../http/index.js';
import { TEST_BASE, TEST_KEY, avResponse, setupAv, textResponse } from './test-support/harness.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);

describe('AV fetchOverview', () => {
  it('maps the IBM overview fixture to a symbols row, counted against av.listing_status, key redacted', async () => {
    const { client, fake, gate } = setupAv(() => avResponse('overview_IBM_2020.json'), START);
    const row = await client.fetchOverview('ibm');
    expect(fake.seen.map((s) => s.url)).toEqual([`${TEST_BASE}/query?function=OVERVIEW&symbol=IBM&apikey=${TEST_KEY}`]);
    expect(gate.acquired).toEqual(['av.listing_status']);
    expect(row).toEqual({
      symbol: 'IBM',
      name: 'International Business Machines Corporation',
      exchange: 'NYSE',
      asset_type: 'Common Stock',
      status: 'active',
      ipo_date: null,
      delisted_date: null,
      source_name: 'av',
      source_uri: `${TEST_BASE}/query?function=OVERVIEW&symbol=IBM&apikey=***`,
      ingested_at: '2026-03-02T15:00:00.000Z',
    });
  });

  it('reads {} as NotFound naming the symbol, and "None" fields as null', async () => {
    const empty = setupAv(() => avResponse('empty_object.json'), START);
    const error = await empty.client.fetchOverview('SPY').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('SPY');
    const sparse = setupAv(() => textResponse(JSON.stringify({ Symbol: 'BRK-B', AssetType: 'None', Name: 'Berkshire Hathaway Inc', Exchange: 'None' })), START);
    expect(await sparse.client.fetchOverview('BRK-B')).toMatchObject({ symbol: 'BRK-B', name: 'Berkshire Hathaway Inc', exchange: null, asset_type: null });
  });

  it('rejects an overview of another symbol or without Symbol as Malformed', async () => {
    const other = setupAv(() => avResponse('overview_IBM_2020.json'), START);
    const error = await other.client.fetchOverview('MSFT').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('payload is for "IBM", not MSFT');
    const drift = setupAv(() => textResponse(JSON.stringify({ Ticker: 'IBM', Name: 'IBM' })), START);
    await expect(drift.client.fetchOverview('IBM')).rejects.toThrow(/overview without a Symbol/);
  });

  it('classifies AV refusals (burst limit, premium) before reading, and refuses a bad symbol locally', async () => {
    const burst = setupAv(() => avResponse('info_burst_limit.json'), START, { maxRetries: 0 });
    await expect(burst.client.fetchOverview('IBM')).rejects.toThrow(RateLimited);
    const premium = setupAv(() => avResponse('info_premium_endpoint.json'), START);
    await expect(premium.client.fetchOverview('IBM')).rejects.toThrow(EntitlementDenied);
    const { client, fake } = setupAv(() => avResponse('overview_IBM_2020.json'), START);
    await expect(client.fetchOverview('../x')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
