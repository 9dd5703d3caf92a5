import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../calendar/index.js';
import type { DatedBar } from '../market/index.js';
import { createFundamentals, type FiscalReport } from './fundamentals.js';
import { fixture, LAST_SESSION, NOW, OPEN_PLAN, shapeOf, startFmp, testMarket, type FmpHarness } from './test-support/harness.js';

type Row = Record<string, unknown>;

const market = testMarket();
const fundamentals = createFundamentals(market);
const round2 = (x: number): number => Math.round(x * 100) / 100;
const published = (symbol: string): DatedBar[] => market.barsOf(symbol).filter((b) => b.date <= LAST_SESSION);

/** A common stock listed throughout the window with no split (and, if asked, paying dividends). */
function plainStock(withDividends: boolean): string {
  const s = market.symbols.find(
    (x) => x.type === 'CS' && x.listDate < market.start && x.delistDate === null && market.splitsOf(x.symbol).length === 0 && (market.dividendsOf(x.symbol).length > 0) === withDividends,
  );
  return s!.symbol;
}
const split = market.splits.find((s) => s.exDate <= LAST_SESSION && market.symbol(s.symbol)!.type === 'CS')!;
const delisted = market.symbols.find((s) => s.delistDate !== null && s.delistDate <= LAST_SESSION)!;

let h: FmpHarness;
beforeAll(async () => {
  h = await startFmp({ plan: OPEN_PLAN });
});
afterAll(() => h.close());

describe('directory endpoints', () => {
  it('stock-list: every symbol listed by today, {symbol, companyName} only', async () => {
    const rows = (await h.get('/stable/stock-list')).json<Row[]>();
    expect(shapeOf(rows[0]!)).toEqual(shapeOf(fixture<Row[]>('stable_stock_list.json')[0]!));
    expect(rows).toEqual(market.symbols.filter((s) => s.listDate <= LAST_SESSION).map((s) => ({ symbol: s.symbol, companyName: s.name })));
    expect(rows.some((r) => r.symbol === delisted.symbol)).toBe(true);
  });

  it('financial-statement-symbol-list: the companies with a filed statement, in USD', async () => {
    const rows = (await h.get('/stable/financial-statement-symbol-list')).json<Row[]>();
    expect(shapeOf(rows[0]!)).toEqual(shapeOf(fixture<Row[]>('stable_financial_statement_symbol_list.json')[0]!));
    const expected = market.symbols.filter((s) => fundamentals.reportsOf(s.symbol).some((r) => r.acceptedMs <= NOW)).map((s) => s.symbol);
    expect(rows.map((r) => r.symbol)).toEqual(expected);
    expect(rows.every((r) => r.tradingCurrency === 'USD' && r.reportingCurrency === 'USD')).toBe(true);
  });

  it('delisted-companies: the market delistings with their dates, newest first, paginated', async () => {
    const expected = market.symbols
      .filter((s) => s.delistDate !== null && s.delistDate <= LAST_SESSION)
      .sort((a, b) => (a.delistDate! < b.delistDate! ? 1 : a.delistDate! > b.delistDate! ? -1 : a.symbol < b.symbol ? -1 : 1))
      .map((s) => ({ symbol: s.symbol, companyName: s.name, exchange: { XNAS: 'NASDAQ', XNYS: 'NYSE', ARCX: 'AMEX' }[s.exchange], ipoDate: s.listDate, delistedDate: s.delistDate }));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const page0 = (await h.get('/stable/delisted-companies', { page: '0', limit: '100' })).json<Row[]>();
    expect(shapeOf(page0[0]!)).toEqual(shapeOf(fixture<Row[]>('stable_delisted_companies_page0.json')[0]!));
    expect(page0).toEqual(expected);
    const walked: Row[] = [];
    for (let page = 0; ; page++) {
      const rows = (await h.get('/stable/delisted-companies', { page: String(page), limit: '1' })).json<Row[]>();
      if (rows.length === 0) break;
      expect(rows).toHaveLength(1);
      walked.push(...rows);
    }
    expect(walked).toEqual(expected);
  });
});

describe('historical-price-eod', () => {
  it('full: the fixture shape, newest first, change = close − open, vwap = (O+H+L+C)/4', async () => {
    const symbol = plainStock(false);
    const rows = (await h.get('/stable/historical-price-eod/full', { symbol, from: '2025-03-03', to: '2025-04-30' })).json<Row[]>();
    expect(shapeOf(rows[0]!)).toEqual(shapeOf(fixture<Row[]>('stable_historical_price_eod_full_AAPL.json')[0]!));
    const bars = published(symbol).filter((b) => b.date >= '2025-03-03' && b.date <= '2025-04-30').reverse();
    expect(rows.map((r) => r.date)).toEqual(bars.map((b) => b.date));
    rows.forEach((r, i) => {
      const { bar } = bars[i]!;
      const change = round2(bar.close - bar.open);
      expect(r).toEqual({
        symbol, date: bars[i]!.date, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, change,
        changePercent: round2((change / bar.open) * 100), vwap: Math.round(((bar.open + bar.high + bar.low + bar.close) / 4) * 10_000) / 10_000,
      });
    });
  });

  it('non-split-adjusted: exactly the market raw bars, across a split', async () => {
    const rows = (await h.get('/stable/historical-price-eod/non-split-adjusted', { symbol: split.symbol, from: '2024-01-01', to: LAST_SESSION })).json<Row[]>();
    const bars = published(split.symbol).reverse();
    expect(rows).toEqual(bars.map(({ date, bar }) => ({ symbol: split.symbol, date, adjOpen: bar.open, adjHigh: bar.high, adjLow: bar.low, adjClose: bar.close, volume: bar.volume })));
  });

  it('full is split-adjusted before a split and raw after it (notes §3.3)', async () => {
    const rows = (await h.get('/stable/historical-price-eod/full', { symbol: split.symbol, from: addDays(split.exDate, -10), to: addDays(split.exDate, 10) })).json<Row[]>();
    const ratio = split.newShares / split.oldShares;
    const later = market.splitsOf(split.symbol).filter((s) => s.exDate > split.exDate && s.exDate <= LAST_SESSION);
    expect(later).toEqual([]);
    expect(rows.filter((r) => (r.date as string) < split.exDate).length).toBeGreaterThan(3);
    expect(rows.filter((r) => (r.date as string) >= split.exDate).length).toBeGreaterThan(3);
    for (const r of rows) {
      const bar = market.bar(split.symbol, r.date as string)!;
      if ((r.date as string) >= split.exDate) expect([r.close, r.volume]).toEqual([bar.close, bar.volume]);
      else expect([r.close, r.volume]).toEqual([round2(bar.close / ratio), Math.round(bar.volume * ratio)]);
    }
    const light = (await h.get('/stable/historical-price-eod/light', { symbol: split.symbol, from: addDays(split.exDate, -10), to: addDays(split.exDate, 10) })).json<Row[]>();
    expect(light).toEqual(rows.map((r) => ({ symbol: r.symbol, date: r.date, price: r.close, volume: r.volume })));
  });

  it('full can be switched to raw prices', async () => {
    const raw = await startFmp({ plan: OPEN_PLAN, behaviour: { eodFull: 'raw' } });
    try {
      const rows = (await raw.get('/stable/historical-price-eod/full', { symbol: split.symbol, from: '2024-01-01' })).json<Row[]>();
      expect(rows.map((r) => [r.date, r.open, r.high, r.low, r.close, r.volume])).toEqual(
        published(split.symbol).reverse().map(({ date, bar }) => [date, bar.open, bar.high, bar.low, bar.close, bar.volume]),
      );
    } finally {
      await raw.close();
    }
  });

  it('defaults to about five years up to the last completed session; unknown symbols are 200 []', async () => {
    const symbol = plainStock(false);
    const rows = (await h.get('/stable/historical-price-eod/full', { symbol })).json<Row[]>();
    expect(rows[0]!.date).toBe(LAST_SESSION);
    expect(rows).toHaveLength(published(symbol).length);
    const unknown = await h.get('/stable/historical-price-eod/full', { symbol: 'ZZZZQ' });
    expect([unknown.status, unknown.text]).toEqual([200, '[]']);
  });

  it('dividend-adjusted: the fixture shape, prices scaled by every dividend gone ex since', async () => {
    const symbol = plainStock(true);
    const dividends = market.dividendsOf(symbol).filter((d) => d.exDate <= LAST_SESSION);
    const rows = (await h.get('/stable/historical-price-eod/dividend-adjusted', { symbol, from: '2024-01-01' })).json<Row[]>();
    expect(shapeOf(rows[0]!)).toEqual(shapeOf(fixture<Row[]>('stable_historical_price_eod_dividend_adjusted_AAPL.json')[0]!));
    const bars = published(symbol);
    expect(rows).toHaveLength(bars.length);
    expect(dividends.length).toBeGreaterThan(1);
    for (const r of rows) {
      const factor = dividends
        .filter((d) => d.exDate > (r.date as string))
        .reduce((f, d) => f * (1 - d.cash / bars[bars.findIndex((b) => b.date === d.exDate) - 1]!.bar.close), 1);
      expect(r.adjClose).toBe(factor === 1 ? market.bar(symbol, r.date as string)!.close : round2(market.bar(symbol, r.date as string)!.close * factor));
    }
    expect(rows.at(-1)!.adjClose).toBeLessThan(market.barsOf(symbol)[0]!.bar.close);
  });

  it('adds a flat volume-0 tail after a delisted symbol when asked to', async () => {
    const fill = await startFmp({ plan: OPEN_PLAN, behaviour: { delistedFlatFillSessions: 3 } });
    try {
      const rows = (await fill.get('/stable/historical-price-eod/full', { symbol: delisted.symbol, from: '2024-01-01' })).json<Row[]>();
      const last = market.barsOf(delisted.symbol).at(-1)!;
      expect(rows.slice(0, 3).every((r) => r.volume === 0 && r.open === last.bar.close && r.close === last.bar.close && (r.date as string) >= delisted.delistDate!)).toBe(true);
      expect(rows[3]!.date).toBe(last.date);
    } finally {
      await fill.close();
    }
  });
});

describe('statements', () => {
  const symbol = plainStock(true);
  const visible = (period: (r: FiscalReport) => boolean): FiscalReport[] =>
    fundamentals.reportsOf(symbol).filter((r) => r.acceptedMs <= NOW && period(r)).reverse();

  it('serve the three statements with the fixture shapes, newest first, five by default', async () => {
    const files = {
      '/stable/income-statement': ['stable_income_statement_AAPL_FY2025.json', 'income'],
      '/stable/balance-sheet-statement': ['stable_balance_sheet_statement_AAPL_FY2025.json', 'balance'],
      '/stable/cash-flow-statement': ['stable_cash_flow_statement_AAPL_FY2025.json', 'cashFlow'],
    } as const;
    const annual = visible((r) => r.period === 'FY');
    expect(annual.length).toBeGreaterThanOrEqual(2);
    for (const [path, [file, kind]] of Object.entries(files)) {
      const rows = (await h.get(path, { symbol, period: 'annual' })).json<Row[]>();
      expect(shapeOf(rows[0]!)).toEqual(shapeOf(fixture<Row[]>(file)[0]!));
      expect(rows).toEqual(annual.slice(0, 5).map((r) => ({
        date: r.date, symbol, reportedCurrency: 'USD', cik: r.cik, filingDate: r.filingDate, acceptedDate: r.acceptedDate,
        fiscalYear: r.fiscalYear, period: 'FY', ...r[kind],
      })));
    }
    const one = (await h.get('/stable/income-statement', { symbol, limit: '1' })).json<Row[]>();
    expect(one.map((r) => r.date)).toEqual([annual[0]!.date]);
  });

  it('serve quarters on a plan that has them', async () => {
    const rows = (await h.get('/stable/income-statement', { symbol, period: 'quarter', limit: '40' })).json<Row[]>();
    expect(rows.map((r) => [r.date, r.period])).toEqual(visible((r) => r.period !== 'FY').map((r) => [r.date, r.period]));
    const q2 = (await h.get('/stable/cash-flow-statement', { symbol, period: 'Q2', limit: '40' })).json<Row[]>();
    expect(q2.length).toBeGreaterThan(0);
    expect(q2.every((r) => r.period === 'Q2')).toBe(true);
  });

  it('show a report only once it has been accepted (point in time on the injected clock)', async () => {
    const own = await startFmp({ plan: OPEN_PLAN });
    try {
      const pending = fundamentals.reportsOf(symbol).find((r) => r.acceptedMs > NOW)!;
      const dates = async (): Promise<unknown[]> => (await own.get('/stable/balance-sheet-statement', { symbol, period: 'quarter', limit: '1' })).json<Row[]>().map((r) => r.date);
      expect(await dates()).not.toEqual([pending.date]);
      own.clock.advanceTo(pending.acceptedMs - 1000);
      expect(await dates()).not.toEqual([pending.date]);
      own.clock.advanceTo(pending.acceptedMs);
      expect(await dates()).toEqual([pending.date]);
    } finally {
      await own.close();
    }
  });

  it('are empty for ETFs and unknown symbols', async () => {
    const etf = market.symbols.find((s) => s.type === 'ETF')!.symbol;
    for (const s of [etf, 'ZZZZQ']) expect((await h.get('/stable/income-statement', { symbol: s })).text).toBe('[]');
  });
});

describe('profile', () => {
  it('has the fixture shape and a snapshot at the last completed session', async () => {
    const symbol = plainStock(true);
    const [p] = (await h.get('/stable/profile', { symbol })).json<Row[]>();
    expect(shapeOf(p!)).toEqual(shapeOf(fixture<Row[]>('stable_profile_AAPL.json')[0]!));
    const bars = published(symbol);
    const info = market.symbol(symbol)!;
    expect(p).toMatchObject({
      symbol, price: bars.at(-1)!.bar.close, volume: bars.at(-1)!.bar.volume, change: round2(bars.at(-1)!.bar.close - bars.at(-2)!.bar.close),
      companyName: info.name, currency: 'USD', ipoDate: info.listDate, isEtf: false, isActivelyTrading: true, country: 'US',
      marketCap: Math.round(bars.at(-1)!.bar.close * fundamentals.sharesOutstanding(symbol, LAST_SESSION)!),
    });
    expect(p!.isin).toBe(`US${p!.cusip as string}${(p!.isin as string).slice(-1)}`);
    expect(p!.cik).toBe(fundamentals.reportsOf(symbol)[0]!.cik);
  });

  it('marks a delisted company as not trading, and is [] for an unknown symbol', async () => {
    const [p] = (await h.get('/stable/profile', { symbol: delisted.symbol })).json<Row[]>();
    expect(p).toMatchObject({ symbol: delisted.symbol, isActivelyTrading: false, price: market.barsOf(delisted.symbol).at(-1)!.bar.close });
    expect((await h.get('/stable/profile', { symbol: 'ZZZZQ' })).text).toBe('[]');
  });
});

describe('legacy v3 (a key whose subscription predates the cutoff)', () => {
  it('stock/list has the v3 shape', async () => {
    const rows = (await h.get('/api/v3/stock/list')).json<Row[]>();
    expect(shapeOf(rows[0]!)).toEqual(shapeOf(fixture<Row[]>('legacy_v3_stock_list.json')[0]!));
    expect(rows.map((r) => r.symbol)).toEqual(market.symbols.filter((s) => s.listDate <= LAST_SESSION).map((s) => s.symbol));
  });

  it('historical-price-full wraps split-adjusted rows in {symbol, historical}', async () => {
    const body = (await h.get(`/api/v3/historical-price-full/${split.symbol}`, { from: addDays(split.exDate, -7), to: addDays(split.exDate, 7) })).json<{ symbol: string; historical: Row[] }>();
    const shape = fixture<{ symbol: string; historical: Row[] }>('legacy_v3_historical_price_full_AAPL.json');
    expect(Object.keys(body)).toEqual(Object.keys(shape));
    expect(shapeOf(body.historical[0]!)).toEqual(shapeOf(shape.historical[0]!));
    const before = body.historical.at(-1)!;
    const raw = market.bar(split.symbol, before.date as string)!;
    expect(before.unadjustedVolume).toBe(raw.volume);
    expect(before.close).toBe(round2((raw.close * split.oldShares) / split.newShares));
    expect((await h.get('/api/v3/historical-price-full/ZZZZQ')).text).toBe('{}');
  });

  it('income-statement and profile use the v3 names with the same numbers', async () => {
    const symbol = plainStock(true);
    const legacy = (await h.get(`/api/v3/income-statement/${symbol}`, { limit: '2' })).json<Row[]>();
    expect(shapeOf(legacy[0]!)).toEqual(shapeOf(fixture<Row[]>('legacy_v3_income_statement_AAPL_FY2020.json')[0]!));
    const stable = (await h.get('/stable/income-statement', { symbol, limit: '2' })).json<Row[]>();
    expect(legacy.map((r) => [r.date, r.fillingDate, r.revenue, r.netIncome, r.epsdiluted])).toEqual(stable.map((r) => [r.date, r.filingDate, r.revenue, r.netIncome, r.epsDiluted]));
    const [p] = (await h.get(`/api/v3/profile/${symbol}`)).json<Row[]>();
    expect(shapeOf(p!)).toEqual(shapeOf(fixture<Row[]>('legacy_v3_profile_AAPL.json')[0]!));
  });
});
