import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import { fmpFetchers } from './fetchers.js';
import { fmpFixture } from './test-support/fixtures.js';
import { byPath, sent, setup } from './test-support/harness.js';

function fetcher(endpoint: string) {
  const found = fmpFetchers.find((f) => f.endpoint === endpoint);
  if (!found) throw new Error(`no fetcher ${endpoint}`);
  return found;
}

describe('fmpFetchers', () => {
  it('has one entry per FMP endpoint id of DESIGN.md, with its dataset and needs', () => {
    expect(fmpFetchers.map((f) => [f.endpoint, f.dataset, f.needs])).toEqual([
      ['fmp.stock_list', 'symbols', []],
      ['fmp.delisted_companies', 'delistings', []],
      ['fmp.historical_price', 'equities_eod', ['symbols']],
      ['fmp.statements', 'fundamentals', ['symbols', 'statement']],
      ['fmp.profile', 'symbols', ['symbols']],
    ]);
  });

  it('historical_price: --date D is the window D..D, raw bars for every symbol in order', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_historical_price_eod_full_AAPL.json'));
    const rows = await fetcher('fmp.historical_price').fetch(client, { symbols: ['AAPL'], date: '2025-04-01' });
    expect(fake.seen[0]?.url).toBe(sent('/stable/historical-price-eod/non-split-adjusted?symbol=AAPL&from=2025-04-01&to=2025-04-01'));
    expect(rows).toMatchObject([{ symbol: 'AAPL', date: '2025-04-01', close: 223.19, adjusted: false }]);
  });

  it('statements: reads --statement and --period (annual by default) from the fetch args', async () => {
    const { client, fake } = setup(
      byPath([
        ['/stable/cash-flow-statement', () => fmpFixture('stable_cash_flow_statement_AAPL_FY2025.json')],
        ['/stable/income-statement', () => fmpFixture('stable_income_statement_AAPL_FY2025.json')],
      ]),
    );
    const rows = await fetcher('fmp.statements').fetch(client, { symbols: ['AAPL'], statement: 'cashflow' });
    expect(rows).toHaveLength(39);
    await fetcher('fmp.statements').fetch(client, { symbols: ['AAPL'], statement: 'income', period: 'quarter' });
    expect(fake.seen.map((s) => s.url)).toEqual([
      sent('/stable/cash-flow-statement?symbol=AAPL&period=annual&limit=5'),
      sent('/stable/income-statement?symbol=AAPL&period=quarter&limit=5'),
    ]);
  });

  it('profile, stock list and delisted return their rows', async () => {
    const profile = setup(() => fmpFixture('stable_profile_AAPL.json'));
    expect(await fetcher('fmp.profile').fetch(profile.client, { symbols: ['AAPL'] })).toMatchObject([{ symbol: 'AAPL', ipo_date: '1980-12-12' }]);
    const list = setup(() => fmpFixture('stable_stock_list.json'));
    expect(await fetcher('fmp.stock_list').fetch(list.client, {})).toMatchObject([{ symbol: '6898.HK', status: 'active' }]);
    const delisted = setup(() => fmpFixture('stable_delisted_companies_page0.json'));
    expect(await fetcher('fmp.delisted_companies').fetch(delisted.client, {})).toMatchObject([{ symbol: 'SKBL' }, { symbol: 'BRQSF' }]);
  });

  it('throws BadRequest naming the missing or wrong argument, before any request', async () => {
    const { client, fake } = setup(() => fmpFixture('stable_profile_AAPL.json'));
    await expect(fetcher('fmp.profile').fetch(client, {})).rejects.toThrow(/^fmp\.profile: missing --symbols$/);
    await expect(fetcher('fmp.historical_price').fetch(client, { symbols: [] })).rejects.toThrow(/fmp\.historical_price: missing --symbols/);
    await expect(fetcher('fmp.statements').fetch(client, { symbols: ['AAPL'] })).rejects.toThrow(/fmp\.statements: missing --statement income\|balance\|cashflow/);
    const wrong = await fetcher('fmp.statements').fetch(client, { symbols: ['AAPL'], statement: 'ratios' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(BadRequest);
    expect((wrong as BadRequest).message).toContain('statement must be one of income, balance, cashflow');
    expect(fake.seen).toHaveLength(0);
  });
});
