import { describe, expect, it } from 'vitest';
import { EntitlementDenied } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fmpFixture } from './test-support/fixtures.js';
import { LINEAGE_AT, sent, setup, stored } from './test-support/harness.js';

describe('FMP fetchStatementSymbols', () => {
  it('maps the fixture: symbol, company name, trading and reporting currency, counted against fmp.statements', async () => {
    const { client, fake, gateCalls } = setup(() => fmpFixture('stable_financial_statement_symbol_list.json'));
    const rows = await client.fetchStatementSymbols();
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/financial-statement-symbol-list')]);
    expect(gateCalls).toEqual(['acquire fmp.statements', 'settle fmp.statements 200']);
    expect(rows).toEqual([
      {
        symbol: '6898.HK',
        company_name: 'China Aluminum Cans Holdings Limited',
        trading_currency: 'HKD',
        reporting_currency: 'HKD',
        source_name: 'fmp',
        source_uri: stored('/stable/financial-statement-symbol-list'),
        ingested_at: LINEAGE_AT,
      },
    ]);
  });

  it('skips junk symbols (reported), keeps the first of a duplicate, and reads blank fields as null', async () => {
    const { client, skipped } = setup(() =>
      jsonResponse([
        { symbol: 'TSM', companyName: 'Taiwan Semiconductor', tradingCurrency: 'usd', reportingCurrency: 'TWD' },
        { symbol: '../x', companyName: 'junk' },
        { symbol: 'TSM', companyName: 'duplicate', tradingCurrency: 'USD', reportingCurrency: 'USD' },
        { symbol: 'NEWCO', companyName: ' ', tradingCurrency: null },
      ]),
    );
    const rows = await client.fetchStatementSymbols();
    expect(rows.map((r) => [r.symbol, r.company_name, r.trading_currency, r.reporting_currency])).toEqual([
      ['TSM', 'Taiwan Semiconductor', 'USD', 'TWD'],
      ['NEWCO', null, null, null],
    ]);
    expect(skipped).toEqual([{ endpoint: 'fmp.statements', value: '"../x"', reason: 'symbol fails the sanity check' }]);
  });

  it('has no legacy twin: a plan refusal is returned as is, after one request', async () => {
    const { client, fake } = setup(() => fmpFixture('errors/402_exclusive_endpoint.json', 402));
    const error = await client.fetchStatementSymbols().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect(fake.seen).toHaveLength(1);
  });
});
