import { describe, expect, it } from 'vitest';
import { EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { FmpParameterNotEntitled } from './errors.js';
import { fmpFixture } from './test-support/fixtures.js';
import { KEY, LINEAGE_AT, byPath, sent, setup, stored } from './test-support/harness.js';

function valueOf(rows: { metric: string; value: number | null }[], metric: string): number | null | undefined {
  return rows.find((row) => row.metric === metric)?.value;
}

describe('FMP fetchStatements (stable)', () => {
  it('turns the AAPL FY2025 income statement into long rows with exact values', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_income_statement_AAPL_FY2025.json'));
    const rows = await client.fetchStatements('AAPL', 'income', 'annual');
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/income-statement?symbol=AAPL&period=annual&limit=5')]);
    expect(rows).toHaveLength(31);
    expect(rows[0]).toEqual({
      symbol: 'AAPL',
      statement: 'income',
      period_end: '2025-09-27',
      fiscal_year: 2025,
      fiscal_period: 'FY',
      currency: 'USD',
      filing_date: '2025-10-31',
      accepted_at: '2025-10-31T10:01:26.000Z', // 06:01:26 New York (EDT)
      metric: 'revenue',
      value: 416161000000,
      source_name: 'fmp',
      source_uri: stored('/stable/income-statement?symbol=AAPL&period=annual&limit=5'),
      ingested_at: LINEAGE_AT,
    });
    expect(valueOf(rows, 'eps_diluted')).toBe(7.46);
    expect(valueOf(rows, 'eps')).toBe(7.49);
    expect(valueOf(rows, 'net_income')).toBe(112010000000);
    expect(valueOf(rows, 'weighted_average_shs_out_dil')).toBe(15004697000);
    expect(valueOf(rows, 'interest_expense')).toBe(0);
    expect(rows.map((r) => r.metric)).not.toContain('cik');
    expect(new Set(rows.map((r) => r.metric)).size).toBe(31);
    for (const row of rows) expect(row.source_uri).not.toContain(KEY);
  });

  it('reads the balance sheet, including the newer capital-lease field and negative retained earnings', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_balance_sheet_statement_AAPL_FY2025.json'));
    const rows = await client.fetchStatements('AAPL', 'balance', 'annual', { limit: 1 });
    expect(fake.seen[0]?.url).toBe(sent('/stable/balance-sheet-statement?symbol=AAPL&period=annual&limit=1'));
    expect(rows).toHaveLength(53);
    expect(rows.every((r) => r.statement === 'balance' && r.period_end === '2025-09-27' && r.fiscal_period === 'FY')).toBe(true);
    expect(valueOf(rows, 'total_assets')).toBe(359241000000);
    expect(valueOf(rows, 'capital_lease_obligations_non_current')).toBe(11603000000);
    expect(valueOf(rows, 'retained_earnings')).toBe(-14264000000);
    expect(valueOf(rows, 'total_liabilities_and_total_equity')).toBe(359241000000);
  });

  it('reads the cash-flow statement with outflows negative', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_cash_flow_statement_AAPL_FY2025.json'));
    const rows = await client.fetchStatements('aapl', 'cashflow', 'annual');
    expect(fake.seen[0]?.url).toBe(sent('/stable/cash-flow-statement?symbol=AAPL&period=annual&limit=5'));
    expect(rows).toHaveLength(39);
    expect(valueOf(rows, 'free_cash_flow')).toBe(98767000000);
    expect(valueOf(rows, 'capital_expenditure')).toBe(-12715000000);
    expect(valueOf(rows, 'common_stock_repurchased')).toBe(-90711000000);
    expect(valueOf(rows, 'net_cash_provided_by_operating_activities')).toBe(111482000000);
  });

  it('passes period=quarter and surfaces the free plan\'s period 402 as FmpParameterNotEntitled', async () => {
    const body = `{"Error Message":"Premium Query Parameter: 'Special Endpoint : This value set for 'period' is not available under your current subscription'"}`;
    const { client, fake } = setup(() => jsonResponse(body, 402));
    const error = await client.fetchStatements('AAPL', 'income', 'quarter').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FmpParameterNotEntitled);
    expect((error as FmpParameterNotEntitled).parameter).toBe('period');
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/income-statement?symbol=AAPL&period=quarter&limit=5')]);
  });

  it('returns nothing for [] and drops another symbol\'s rows', async () => {
    const empty = setup(() => fmpFixture('errors/CONSTRUCTED_200_empty_array.json'));
    expect(await empty.client.fetchStatements('AAPL', 'income', 'annual')).toEqual([]);
    const { client, skipped } = setup(() => jsonResponse([{ date: '2025-09-27', symbol: 'MSFT', period: 'FY', fiscalYear: '2025', revenue: 1 }]));
    expect(await client.fetchStatements('AAPL', 'income', 'annual')).toEqual([]);
    expect(skipped).toEqual([{ endpoint: 'fmp.statements', value: '"MSFT"', reason: 'row for another symbol than the requested AAPL' }]);
  });

  it('treats schema drift as Malformed: amounts turned strings, an unknown period, a bad date', async () => {
    for (const row of [
      { date: '2025-09-27', symbol: 'AAPL', period: 'FY', fiscalYear: '2025', revenue: '416161000000' },
      { date: '2025-09-27', symbol: 'AAPL', period: 'H1', fiscalYear: '2025', revenue: 1 },
      { date: '27/09/2025', symbol: 'AAPL', period: 'FY', fiscalYear: '2025', revenue: 1 },
    ]) {
      const { client } = setup(() => jsonResponse([row]));
      const error = await client.fetchStatements('AAPL', 'income', 'annual').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Malformed);
      expect((error as Malformed).rawText).not.toContain(KEY);
    }
  });

  it('refuses a bad statement kind, period or limit before any request', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_income_statement_AAPL_FY2025.json'));
    await expect(client.fetchStatements('AAPL', 'ratios' as 'income', 'annual')).rejects.toThrow(/statement must be one of income, balance, cashflow/);
    await expect(client.fetchStatements('AAPL', 'income', 'monthly' as 'annual')).rejects.toThrow(/period must be annual or quarter/);
    await expect(client.fetchStatements('AAPL', 'income', 'annual', { limit: 0 })).rejects.toThrow(/limit must be a positive integer/);
    await expect(client.fetchStatements('AA PL', 'income', 'annual')).rejects.toThrow(/invalid symbol/);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('FMP fetchStatements (legacy v3 fallback)', () => {
  it('falls back to /api/v3 when the stable endpoint is off the plan and maps legacy names', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/income-statement', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/income-statement/AAPL', () => fmpFixture('legacy_v3_income_statement_AAPL_FY2020.json')],
      ]),
    );
    const rows = await client.fetchStatements('AAPL', 'income', 'annual');
    expect(fake.seen.map((s) => s.url)).toEqual([sent('/stable/income-statement?symbol=AAPL&period=annual&limit=5'), sent('/api/v3/income-statement/AAPL?period=annual&limit=5')]);
    expect(rows).toHaveLength(22); // 27 numbers minus the 5 legacy ratio fields
    expect(rows[0]).toMatchObject({
      symbol: 'AAPL',
      statement: 'income',
      period_end: '2020-09-26',
      fiscal_year: 2020, // from the period end: legacy has no fiscalYear and its calendarYear is unreliable
      fiscal_period: 'FY',
      currency: 'USD',
      filing_date: '2020-10-30', // legacy `fillingDate`
      accepted_at: '2020-10-29T22:06:25.000Z',
      metric: 'revenue',
      value: 274515000000,
      source_uri: stored('/api/v3/income-statement/AAPL?period=annual&limit=5'),
    });
    expect(valueOf(rows, 'eps_diluted')).toBe(3.28);
    expect(valueOf(rows, 'net_income')).toBe(57411000000);
    const metrics = rows.map((r) => r.metric);
    for (const absent of ['gross_profit_ratio', 'ebitdaratio', 'link', 'final_link', 'epsdiluted']) expect(metrics).not.toContain(absent);
  });

  it('throws the stable denial when legacy is closed to the key, and never asks legacy again', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/income-statement', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
        ['/api/v3/income-statement/AAPL', () => fmpFixture('errors/403_legacy_endpoint.json', 403)],
        ['/stable/balance-sheet-statement', () => fmpFixture('errors/402_exclusive_endpoint.json', 402)],
      ]),
    );
    const first = await client.fetchStatements('AAPL', 'income', 'annual').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(EntitlementDenied);
    expect((first as EntitlementDenied).status).toBe(402);
    expect((first as EntitlementDenied).message).toContain('Exclusive Endpoint');
    const second = await client.fetchStatements('AAPL', 'balance', 'annual').catch((e: unknown) => e);
    expect((second as EntitlementDenied).status).toBe(402);
    expect(fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/fmp/stable/income-statement', '/fmp/api/v3/income-statement/AAPL', '/fmp/stable/balance-sheet-statement']);
  });
});
