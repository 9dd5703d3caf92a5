import { describe, expect, it } from 'vitest';
import { EntitlementDenied, NotFound } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { delistingsAsSymbols } from './symbols.js';
import { fmpFixture } from './test-support/fixtures.js';
import { LINEAGE_AT, byPath, sent, setup, stored } from './test-support/harness.js';

describe('FMP fetchStockList', () => {
  it('maps the stable list (symbol and name only) to active symbols', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_stock_list.json'));
    const rows = await client.fetchStockList();
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/stock-list')]);
    expect(rows).toEqual([
      {
        symbol: '6898.HK',
        name: 'China Aluminum Cans Holdings Limited',
        exchange: null,
        asset_type: null,
        status: 'active',
        ipo_date: null,
        delisted_date: null,
        source_name: 'fmp',
        source_uri: stored('/stable/stock-list'),
        ingested_at: LINEAGE_AT,
      },
    ]);
  });

  it('falls back to legacy stock/list, whose rows carry the exchange code and type', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/stock-list', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/stock/list', () => fmpFixture('legacy_v3_stock_list.json')],
      ]),
    );
    const rows = await client.fetchStockList();
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/stock-list'), sent('/api/v3/stock/list')]);
    expect(rows.map((r) => [r.symbol, r.name, r.exchange, r.asset_type, r.status, r.source_uri])).toEqual([['AAPL', 'Apple Inc.', 'NASDAQ', 'stock', 'active', stored('/api/v3/stock/list')]]);
  });

  it('skips junk symbols and exact duplicates', async () => {
    const { client, skipped } = setup(() =>
      jsonResponse([{ symbol: 'BRK.B', companyName: 'Berkshire' }, { symbol: '../x', companyName: 'x' }, { symbol: 'A B', companyName: '' }, { symbol: 'BRK.B', companyName: 'Berkshire' }]),
    );
    const rows = await client.fetchStockList();
    expect(rows.map((r) => r.symbol)).toEqual(['BRK.B']);
    expect(skipped.map((s) => s.value)).toEqual(['"../x"', '"A B"']);
  });
});

describe('FMP fetchDelistedCompanies', () => {
  it('maps page 0 of the fixture (US and OTC rows alike) and stops at the short page', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_delisted_companies_page0.json'));
    const result = await client.fetchDelistedCompanies();
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/delisted-companies?page=0&limit=100')]);
    expect(result.pages).toBe(1);
    expect(result.truncated).toBe(false);
    expect(result.rows).toEqual([
      {
        symbol: 'SKBL',
        delisted_date: '2026-06-17',
        name: 'Skyline Builders Group Holding Limited',
        exchange: 'NASDAQ',
        ipo_date: '2025-01-23',
        source_name: 'fmp',
        source_uri: stored('/stable/delisted-companies?page=0&limit=100'),
        ingested_at: LINEAGE_AT,
      },
      {
        symbol: 'BRQSF',
        delisted_date: '2025-02-03',
        name: 'Borqs Technologies, Inc.',
        exchange: 'PNK',
        ipo_date: '2017-08-24',
        source_name: 'fmp',
        source_uri: stored('/stable/delisted-companies?page=0&limit=100'),
        ingested_at: LINEAGE_AT,
      },
    ]);
    expect(delistingsAsSymbols(result.rows).map((r) => [r.symbol, r.status, r.delisted_date, r.ipo_date, r.exchange])).toEqual([
      ['SKBL', 'delisted', '2026-06-17', '2025-01-23', 'NASDAQ'],
      ['BRQSF', 'delisted', '2025-02-03', '2017-08-24', 'PNK'],
    ]);
  });

  it('pages until a short page on a plan that allows it, dropping rows repeated across pages', async () => {
    const row = (symbol: string, delistedDate: string | null) => ({ symbol, companyName: symbol, exchange: 'NYSE', ipoDate: '', delistedDate });
    const { client, fake, skipped } = setup((url) =>
      url.searchParams.get('page') === '0' ? jsonResponse([row('AAA', '2026-06-01'), row('BBB', null)]) : jsonResponse([row('AAA', '2026-06-01')]),
    );
    const result = await client.fetchDelistedCompanies({ limit: 2 });
    expect(fake.seen.map((s) => new URL(s.url).searchParams.get('page'))).toEqual(['0', '1']);
    expect(result).toMatchObject({ pages: 2, truncated: false });
    expect(result.rows.map((r) => [r.symbol, r.delisted_date, r.ipo_date])).toEqual([['AAA', '2026-06-01', null]]);
    expect(skipped).toEqual([{ endpoint: 'fmp.delisted_companies', value: '"BBB"', reason: 'no delisting date' }]);
  });

  it('stops at a page-1 refusal (free plan: page 0 only), reports truncation and does not ask page 1 again', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ symbol: `X${i}`, companyName: null, exchange: 'NASDAQ', ipoDate: null, delistedDate: '2026-06-01' }));
    const refusal = `{"Error Message":"Premium Query Parameter: 'Special Endpoint : This value set for 'page' is not available under your current subscription'"}`;
    const { client, fake } = setup((url) => (url.searchParams.get('page') === '0' ? jsonResponse(full) : jsonResponse(refusal, 402)));
    const first = await client.fetchDelistedCompanies();
    expect(first).toMatchObject({ pages: 1, truncated: true });
    expect(first.rows).toHaveLength(100);
    const second = await client.fetchDelistedCompanies();
    expect(second).toMatchObject({ pages: 1, truncated: true });
    expect(fake.seen.map((s) => new URL(s.url).searchParams.get('page'))).toEqual(['0', '1', '0']);
  });

  it('a capability-worded page-1 refusal is not a reason to try legacy; a legacy page 0 keeps paging on legacy', async () => {
    const full = [{ symbol: 'A1', delistedDate: '2026-01-02' }];
    const restricted = 'Restricted Endpoint: This endpoint is not available under your current subscription';
    const stable = setup((url) => (url.searchParams.get('page') === '0' ? jsonResponse(full) : new Response(restricted, { status: 402 })));
    expect(await stable.client.fetchDelistedCompanies({ limit: 1 })).toMatchObject({ pages: 1, truncated: true });
    expect(stable.fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/fmp/stable/delisted-companies', '/fmp/stable/delisted-companies']);
    const legacy = setup((url) => (url.pathname.startsWith('/fmp/stable') ? fmpFixture('errors/402_exclusive_endpoint.json', 402) : jsonResponse(url.searchParams.get('page') === '0' ? full : [])));
    expect(await legacy.client.fetchDelistedCompanies({ limit: 1 })).toMatchObject({ pages: 2, truncated: false });
    expect(legacy.fake.seen.map((s) => `${new URL(s.url).pathname} ${new URL(s.url).searchParams.get('page')}`)).toEqual([
      '/fmp/stable/delisted-companies 0',
      '/fmp/api/v3/delisted-companies 0',
      '/fmp/api/v3/delisted-companies 1',
    ]);
  });

  it('reports the page cap as truncation, and a page-0 denial as the error it is', async () => {
    const full = [{ symbol: 'A1', delistedDate: '2026-01-02' }];
    const capped = setup(() => jsonResponse(full));
    expect(await capped.client.fetchDelistedCompanies({ limit: 1, maxPages: 3 })).toMatchObject({ pages: 3, truncated: true });
    const denied = setup(() => fmpFixture('errors/402_exclusive_endpoint.json', 402), { legacyFallback: false });
    await expect(denied.client.fetchDelistedCompanies()).rejects.toThrow(EntitlementDenied);
  });
});

describe('FMP fetchCompanyProfile', () => {
  it('maps the stable profile: short exchange code, IPO date, asset type', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_profile_AAPL.json'));
    const row = await client.fetchCompanyProfile('AAPL');
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/profile?symbol=AAPL')]);
    expect(row).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      exchange: 'NASDAQ',
      asset_type: 'stock',
      status: 'active',
      ipo_date: '1980-12-12',
      delisted_date: null,
      source_name: 'fmp',
      source_uri: stored('/stable/profile?symbol=AAPL'),
      ingested_at: LINEAGE_AT,
    });
  });

  it('falls back to legacy profile/{SYM}, reading the code from exchangeShortName', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/profile', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/profile/AAPL', () => fmpFixture('legacy_v3_profile_AAPL.json')],
      ]),
    );
    const row = await client.fetchCompanyProfile('AAPL');
    expect(fake.seen[1]?.url).toBe(sent('/api/v3/profile/AAPL'));
    expect(row).toMatchObject({ symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', ipo_date: '1980-12-12', status: 'active', source_uri: stored('/api/v3/profile/AAPL') });
  });

  it('returns null for [] and for another symbol\'s profile; inactive means delisted', async () => {
    const empty = setup(() => fmpFixture('errors/CONSTRUCTED_200_empty_array.json'));
    expect(await empty.client.fetchCompanyProfile('AAPL')).toBeNull();
    const other = setup(() => fmpFixture('stable_profile_AAPL.json'));
    expect(await other.client.fetchCompanyProfile('MSFT')).toBeNull();
    const gone = setup(() => jsonResponse([{ symbol: 'ATVI', companyName: 'Activision Blizzard', exchange: 'NASDAQ', ipoDate: '1993-10-29', isEtf: false, isFund: true, isActivelyTrading: false }]));
    expect(await gone.client.fetchCompanyProfile('ATVI')).toMatchObject({ status: 'delisted', asset_type: 'fund', ipo_date: '1993-10-29' });
  });

  it('a premium-symbol 402 is NotFound for that symbol and is not retried on legacy', async () => {
    const { client, fake } = setup(() => fmpFixture('errors/402_premium_symbol.txt', 402));
    const error = await client.fetchCompanyProfile('GOOG').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('GOOG');
    expect(fake.seen).toHaveLength(1);
  });
});
