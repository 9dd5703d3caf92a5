import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

const dividend = (ex: string, cash: number, record: string, pay: string, declared: string) => ({
  symbol: 'AAPL',
  action: 'dividend',
  ex_date: ex,
  split_ratio: null,
  cash_amount: cash,
  currency: 'USD',
  record_date: record,
  pay_date: pay,
  declared_date: declared,
  new_symbol: null,
});

describe('Finnhub fetchDividends', () => {
  it('maps the AAPL fixture to corp_actions rows: raw amount (0.73, not the adjusted 0.77) and all four dates', async () => {
    const { client, fake } = setup(() => fixtureResponse('stock_dividend_AAPL.json'));
    const rows = await client.fetchDividends('AAPL', '2019-01-01', '2019-12-31');
    const url = `${BASE}/stock/dividend?symbol=AAPL&from=2019-01-01&to=2019-12-31`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    const origin = { source_name: 'finnhub', source_uri: url, ingested_at: '2026-03-02T21:30:00.000Z' };
    expect(rows).toEqual([
      { ...dividend('2019-11-07', 0.77, '2019-11-11', '2019-11-14', '2019-10-30'), ...origin },
      { ...dividend('2019-08-09', 0.77, '2019-08-12', '2019-08-15', '2019-07-30'), ...origin },
      { ...dividend('2019-05-10', 0.77, '2019-05-13', '2019-05-16', '2019-05-01'), ...origin },
      { ...dividend('2019-02-08', 0.73, '2019-02-11', '2019-02-14', '2019-01-29'), ...origin },
    ]);
  });

  it('is premium: the free-key 403 is EntitlementDenied(capability), not retried', async () => {
    const { client, fake } = setup(() => fixtureResponse('error_403_no_access.json', 403));
    const error = await client.fetchDividends('AAPL', '2019-01-01', '2019-12-31').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect(fake.seen).toHaveLength(1);
  });

  it('drops exact duplicates, reads blank dates as null, refuses bad arguments before any request', async () => {
    const row = { symbol: 'KO', date: '2024-03-14', amount: 0.485, payDate: '', recordDate: null, declarationDate: '2024-02-15', currency: 'usd' };
    const dup = setup(() => jsonResponse([row, row]));
    const rows = await dup.client.fetchDividends('KO', '2024-01-01', '2024-12-31');
    expect(rows.map((r) => [r.symbol, r.ex_date, r.cash_amount, r.currency, r.record_date, r.pay_date, r.declared_date])).toEqual([['KO', '2024-03-14', 0.485, 'USD', null, null, '2024-02-15']]);
    const { client, fake } = setup(() => jsonResponse([]));
    await expect(client.fetchDividends('KO', '2024-12-31', '2024-01-01')).rejects.toThrow(BadRequest);
    await expect(client.fetchDividends('K O', '2024-01-01', '2024-12-31')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
