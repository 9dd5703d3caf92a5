import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

const LINEAGE_AT = '2026-03-02T21:30:00.000Z';

describe('Finnhub fetchSymbols', () => {
  it('maps the US sample: description, MIC and FIGI type, all active', async () => {
    const { client, fake } = setup(() => fixtureResponse('stock_symbol_US_sample.json'));
    const rows = await client.fetchSymbols();
    const url = `${BASE}/stock/symbol?exchange=US`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    expect(rows.map((r) => [r.symbol, r.name, r.exchange, r.asset_type, r.status])).toEqual([
      ['UPOW', 'UAN POWER CORP', 'OTCM', 'Common Stock', 'active'],
      ['AAPL', 'APPLE INC', 'XNGS', 'Common Stock', 'active'],
      ['EXCOF', 'EXCO TECHNOLOGIES LTD', 'OOTC', 'Common Stock', 'active'],
    ]);
    expect(rows[1]).toEqual({
      symbol: 'AAPL',
      name: 'APPLE INC',
      exchange: 'XNGS',
      asset_type: 'Common Stock',
      status: 'active',
      ipo_date: null,
      delisted_date: null,
      source_name: 'finnhub',
      source_uri: url,
      ingested_at: LINEAGE_AT,
    });
  });

  it('skips junk symbols (reported) and keeps the first of a symbol listed twice', async () => {
    const body = [
      { symbol: 'BRK.B', description: 'BERKSHIRE HATHAWAY INC-CL B', mic: 'XNYS', type: 'Common Stock' },
      { symbol: '../x', description: 'JUNK' },
      { symbol: '', description: '' },
      { symbol: 'BRK.B', description: 'DUPLICATE', mic: 'XNYS' },
      { symbol: 'ABR-PD', description: '', mic: null, type: 'Preference' },
    ];
    const { client, skipped } = setup(() => jsonResponse(body));
    const rows = await client.fetchSymbols();
    expect(rows.map((r) => [r.symbol, r.name, r.exchange])).toEqual([
      ['BRK.B', 'BERKSHIRE HATHAWAY INC-CL B', 'XNYS'],
      ['ABR-PD', null, null],
    ]);
    expect(skipped.map((s) => [s.endpoint, s.value])).toEqual([
      ['finnhub.symbols', '"../x"'],
      ['finnhub.symbols', '""'],
    ]);
  });

  it('rejects a list whose rows lost their symbol as Malformed', async () => {
    const { client } = setup(() => jsonResponse([{ ticker: 'AAPL' }]));
    await expect(client.fetchSymbols()).rejects.toThrow(Malformed);
  });
});

describe('Finnhub fetchSplits', () => {
  it('maps the AAPL fixture: 2014-06-09 1→7 is split_ratio 7 on that ex date', async () => {
    const { client, fake } = setup(() => fixtureResponse('stock_split_AAPL.json'));
    const rows = await client.fetchSplits('AAPL', '2010-01-01', '2021-03-09');
    const url = `${BASE}/stock/split?symbol=AAPL&from=2010-01-01&to=2021-03-09`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        action: 'split',
        ex_date: '2014-06-09',
        split_ratio: 7,
        cash_amount: null,
        currency: null,
        record_date: null,
        pay_date: null,
        declared_date: null,
        new_symbol: null,
        source_name: 'finnhub',
        source_uri: url,
        ingested_at: LINEAGE_AT,
      },
    ]);
  });

  it('reads toFactor/fromFactor as new shares per old: 4-for-1 → 4, 1-for-10 reverse → 0.1, duplicates dropped', async () => {
    const body = [
      { symbol: 'AAPL', date: '2020-08-31', fromFactor: 1, toFactor: 4 },
      { symbol: 'AAPL', date: '2020-08-31', fromFactor: 1, toFactor: 4 },
      { symbol: 'XYZ', date: '2023-05-01', fromFactor: 10, toFactor: 1 },
      { symbol: 'CIG', date: '2022-05-02', fromFactor: 3, toFactor: 4 },
    ];
    const { client } = setup(() => jsonResponse(body));
    const rows = await client.fetchSplits('AAPL', '2020-01-01', '2023-12-31');
    expect(rows.map((r) => [r.symbol, r.ex_date, r.split_ratio])).toEqual([
      ['AAPL', '2020-08-31', 4],
      ['XYZ', '2023-05-01', 0.1],
      ['CIG', '2022-05-02', 4 / 3],
    ]);
  });

  it('maps the free-key 403 to EntitlementDenied(capability) without retrying', async () => {
    const { client, fake } = setup(() => fixtureResponse('error_403_no_access.json', 403));
    const error = await client.fetchSplits('AAPL', '2020-01-01', '2020-12-31').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect(fake.seen).toHaveLength(1);
  });

  it('rejects a zero factor as Malformed and bad arguments before any request', async () => {
    const zero = setup(() => jsonResponse([{ symbol: 'AAPL', date: '2020-08-31', fromFactor: 0, toFactor: 4 }]));
    await expect(zero.client.fetchSplits('AAPL', '2020-01-01', '2020-12-31')).rejects.toThrow(/schema mismatch: 0\.fromFactor/);
    const { client, fake } = setup(() => jsonResponse([]));
    await expect(client.fetchSplits('AAPL', '2020-12-31', '2020-01-01')).rejects.toThrow(BadRequest);
    await expect(client.fetchSplits('AA PL', '2020-01-01', '2020-12-31')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
