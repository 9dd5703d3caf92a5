import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

const FY2019 = {
  symbol: 'AAPL',
  period_end: '2019-09-28',
  fiscal_year: 2019,
  fiscal_period: 'FY',
  filing_date: '2019-10-31',
  // Accepted 18:12:36 New York (EDT) — after EDGAR's 17:30 cut-off, hence filed the next day.
  accepted_at: '2019-10-30T22:12:36.000Z',
};

describe('Finnhub fetchFinancialsReported', () => {
  it('turns the AAPL 10-K fixture (map-shaped sections) into long fundamentals rows', async () => {
    const { client, fake } = setup(() => fixtureResponse('stock_financials_reported_AAPL.json'));
    const rows = await client.fetchFinancialsReported('AAPL');
    const url = `${BASE}/stock/financials-reported?symbol=AAPL&freq=annual`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    const origin = { source_name: 'finnhub', source_uri: url, ingested_at: '2026-03-02T21:30:00.000Z' };
    const row = (statement: string, metric: string, value: number) => ({ ...FY2019, statement, currency: null, metric, value, ...origin });
    expect(rows).toEqual([
      row('balance', 'assets', 338_516_000_000),
      row('balance', 'liabilities', 248_028_000_000),
      row('balance', 'inventory_net', 4_106_000_000),
      row('income', 'gross_profit', 98_392_000_000),
      row('income', 'net_income_loss', 55_256_000_000),
      row('income', 'operating_expenses', 34_462_000_000),
      row('cashflow', 'net_income_loss', 55_256_000_000),
      row('cashflow', 'interest_paid_net', 3_423_000_000),
    ]);
  });

  it('reads the live array shape: us-gaap prefix dropped, currency from the unit, a 10-Q as its quarter', async () => {
    const filing = {
      symbol: 'CPRT',
      year: 2024,
      quarter: 1,
      form: '10-Q',
      endDate: '2023-10-31 00:00:00',
      filedDate: '2023-11-21 00:00:00',
      acceptedDate: '2023-11-21 16:05:09',
      report: {
        bs: [{ concept: 'us-gaap_Assets', label: 'Total assets', unit: 'usd', value: 7_000_000_000 }],
        ic: [
          { concept: 'us-gaap_EarningsPerShareDiluted', label: 'Diluted', unit: 'usd/shares', value: 0.34 },
          { concept: 'us-gaap_EarningsPerShareDiluted', label: 'again', unit: 'usd/shares', value: 0.35 },
          { concept: 'cprt_YardCount', label: 'Yards', unit: 'pure', value: 'N/A' },
          { concept: 'us-gaap_WeightedAverageNumberOfDilutedSharesOutstanding', label: 'Shares', unit: 'shares', value: 970_000_000 },
        ],
        cf: [],
      },
    };
    const { client, skipped } = setup(() => jsonResponse({ symbol: 'CPRT', data: [filing, { ...filing, symbol: 'OTHER' }] }));
    const rows = await client.fetchFinancialsReported('CPRT', { freq: 'quarterly', from: '2023-01-01', to: '2023-12-31' });
    expect(rows.map((r) => [r.statement, r.period_end, r.fiscal_year, r.fiscal_period, r.currency, r.metric, r.value, r.filing_date, r.accepted_at])).toEqual([
      ['balance', '2023-10-31', 2024, 'Q1', 'USD', 'assets', 7_000_000_000, '2023-11-21', '2023-11-21T21:05:09.000Z'],
      ['income', '2023-10-31', 2024, 'Q1', 'USD', 'earnings_per_share_diluted', 0.34, '2023-11-21', '2023-11-21T21:05:09.000Z'],
      ['income', '2023-10-31', 2024, 'Q1', null, 'weighted_average_number_of_diluted_shares_outstanding', 970_000_000, '2023-11-21', '2023-11-21T21:05:09.000Z'],
    ]);
    expect(skipped.map((s) => [s.value, s.reason])).toEqual([
      ['"us-gaap_EarningsPerShareDiluted"', 'income 2023-10-31 Q1 us-gaap_EarningsPerShareDiluted: second line for the same metric, the first kept'],
      ['"N/A"', 'income 2023-10-31 Q1 cprt_YardCount: not a number'],
      ['"OTHER"', 'filing of another symbol than the requested CPRT'],
    ]);
  });

  it('refuses a bad freq or window before any request', async () => {
    const { client, fake } = setup(() => jsonResponse({ data: [] }));
    await expect(client.fetchFinancialsReported('AAPL', { freq: 'monthly' as unknown as 'annual' })).rejects.toThrow(BadRequest);
    await expect(client.fetchFinancialsReported('AAPL', { from: '2020-01-01', to: '2019-01-01' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
