import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_SESSION } from '../test-support/harness.js';
import { fixture, fixtureText, shapeOf, startAv, UNLIMITED, type AvHarness } from './test-support/av-harness.js';

type Row = Record<string, string>;
interface DailyBody {
  'Meta Data': Row;
  'Time Series (Daily)': Record<string, Row>;
}
interface ActionsBody {
  symbol: string;
  data: Row[];
}

let h: AvHarness;
beforeAll(async () => {
  h = await startAv({ plan: UNLIMITED });
});
afterAll(() => h.close());

/** Parses the vendor CSV (no quoted fields in the simulated names; checked below). */
function csvRows(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n').map((line) => line.split(','));
}

const invalidCallFor = (fn: string): unknown => ({
  'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`,
});

describe('TIME_SERIES_DAILY', () => {
  it('serves the latest 100 completed sessions, newest first, raw prices as the market traded them', async () => {
    // BYUE went through a 1-for-5 reverse split on 2026-03-11, inside the compact window.
    const symbol = 'BYUE';
    expect(h.market.splitsOf(symbol).map((s) => s.exDate)).toContain('2026-03-11');
    const reply = await h.query({ function: 'TIME_SERIES_DAILY', symbol });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    const body = reply.json<DailyBody>();
    const expected = h.market.barsOf(symbol).filter((b) => b.date <= LAST_SESSION).slice(-100).reverse();
    expect(Object.keys(body['Time Series (Daily)'])).toEqual(expected.map((b) => b.date));
    for (const { date, bar } of expected) {
      const row = body['Time Series (Daily)'][date]!;
      expect(row).toEqual({
        '1. open': bar.open.toFixed(4),
        '2. high': bar.high.toFixed(4),
        '3. low': bar.low.toFixed(4),
        '4. close': bar.close.toFixed(4),
        '5. volume': String(bar.volume),
      });
      expect(Number(row['4. close'])).toBe(bar.close);
    }
    expect(body['Meta Data']).toEqual({
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': symbol,
      '3. Last Refreshed': LAST_SESSION,
      '4. Output Size': 'Compact',
      '5. Time Zone': 'US/Eastern',
    });
  });

  it('has the shape of the IBM capture: same keys in the same order, every value a string', async () => {
    const ours = (await h.query({ function: 'TIME_SERIES_DAILY', symbol: 'BXM' })).json<DailyBody>();
    const theirs = fixture<DailyBody>('time_series_daily_IBM_2024-11-22.json');
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    expect(shapeOf(ours['Meta Data'])).toEqual(shapeOf(theirs['Meta Data']));
    expect(shapeOf(Object.values(ours['Time Series (Daily)'])[0])).toEqual(shapeOf(Object.values(theirs['Time Series (Daily)'])[0]));
    expect(Object.values(ours['Time Series (Daily)'])[0]!['1. open']).toMatch(/^\d+\.\d{4}$/);
  });

  it('refuses outputsize=full on the free plan with the exact premium-feature body, and serves it on a plan that has it', async () => {
    const refused = await h.query({ function: 'TIME_SERIES_DAILY', symbol: 'BXM', outputsize: 'full' });
    expect(refused.status).toBe(200);
    expect(refused.json()).toEqual(fixture('info_premium_outputsize_full.json'));
    const premium = await startAv({ plan: { ...UNLIMITED, outputsizeFull: true } });
    try {
      const body = (await premium.query({ function: 'TIME_SERIES_DAILY', symbol: 'BXM', outputsize: 'full' })).json<DailyBody>();
      const all = premium.market.barsOf('BXM').filter((b) => b.date <= LAST_SESSION);
      expect(Object.keys(body['Time Series (Daily)'])).toHaveLength(all.length);
      expect(Object.keys(body['Time Series (Daily)']).at(-1)).toBe(all[0]!.date);
      expect(body['Meta Data']['4. Output Size']).toBe('Full size');
    } finally {
      await premium.close();
    }
  });

  it('serves CSV with the documented header, newest first', async () => {
    const reply = await h.query({ function: 'TIME_SERIES_DAILY', symbol: 'BXM', datatype: 'csv' });
    const [header, ...rows] = csvRows(reply.text);
    expect(header).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume']);
    const expected = h.market.barsOf('BXM').filter((b) => b.date <= LAST_SESSION).slice(-100).reverse();
    expect(rows.map((r) => [r[0], Number(r[4])])).toEqual(expected.map((b) => [b.date, b.bar.close]));
  });

  it('answers an unknown, delisted or not-yet-listed symbol and bad parameters with the invalid-call body', async () => {
    expect((await h.query({ function: 'TIME_SERIES_DAILY', symbol: 'NOPE' })).json()).toEqual(fixture('error_invalid_api_call.json'));
    expect((await h.query({ function: 'TIME_SERIES_DAILY', symbol: 'WJNK' })).json()).toEqual(invalidCallFor('TIME_SERIES_DAILY'));
    expect((await h.query({ function: 'TIME_SERIES_DAILY' })).json()).toEqual(invalidCallFor('TIME_SERIES_DAILY'));
    expect((await h.query({ function: 'TIME_SERIES_DAILY', symbol: 'BXM', outputsize: 'huge' })).json()).toEqual(invalidCallFor('TIME_SERIES_DAILY'));
    const early = await startAv({ plan: UNLIMITED, now: Date.parse('2024-05-01T20:00:00Z') });
    try {
      expect(early.market.symbol('KWMA')!.listDate).toBe('2024-05-16');
      expect((await early.query({ function: 'TIME_SERIES_DAILY', symbol: 'KWMA' })).json()).toEqual(invalidCallFor('TIME_SERIES_DAILY'));
    } finally {
      await early.close();
    }
  });
});

describe('LISTING_STATUS', () => {
  const header = 'symbol,name,exchange,assetType,ipoDate,delistingDate,status';

  it('lists the active universe as CSV with the exact header and CRLF line ends, sorted by symbol', async () => {
    const reply = await h.query({ function: 'LISTING_STATUS' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(reply.text.split('\r\n')[0]).toBe(header);
    expect(fixtureText('listing_status_active_sample.csv').split('\r\n')[0]).toBe(header);
    const [, ...rows] = csvRows(reply.text);
    const active = h.market.symbols.filter((s) => s.listDate <= LAST_SESSION && s.delistDate === null);
    expect(active.every((s) => !s.name.includes(',') && !s.name.includes('"'))).toBe(true);
    expect(rows.map((r) => r[0])).toEqual(active.map((s) => s.symbol));
    const exchanges = { XNYS: 'NYSE', XNAS: 'NASDAQ', ARCX: 'NYSE ARCA' } as const;
    expect(rows).toEqual(active.map((s) => [s.symbol, s.name, exchanges[s.exchange], s.type === 'ETF' ? 'ETF' : 'Stock', s.listDate, 'null', 'Active']));
    expect(rows.some((r) => r[3] === 'ETF')).toBe(true);
  });

  it('lists the market delisted symbols with their delisting dates under state=delisted', async () => {
    const reply = await h.query({ function: 'LISTING_STATUS', state: 'delisted' });
    const [head, ...rows] = csvRows(reply.text);
    expect(head!.join(',')).toBe(header);
    const gone = h.market.symbols.filter((s) => s.delistDate !== null && s.delistDate <= LAST_SESSION);
    expect(gone.map((s) => s.symbol)).toEqual(['FANU', 'WJNK']);
    expect(rows.map((r) => [r[0], r[4], r[5], r[6]])).toEqual(gone.map((s) => [s.symbol, s.listDate, s.delistDate, 'Delisted']));
    // Same columns and value kinds as the capture's rows.
    const sample = csvRows(fixtureText('listing_status_delisted_sample.csv')).slice(1);
    expect(rows[0]!.length).toBe(sample[0]!.length);
    expect(rows[0]![5]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('travels back in time with date=: a later delisting is still active, a later IPO absent', async () => {
    const rows = csvRows((await h.query({ function: 'LISTING_STATUS', date: '2024-06-03' })).text).slice(1);
    const symbols = rows.map((r) => r[0]);
    expect(symbols).toContain('WJNK');
    expect(symbols).toContain('FANU');
    expect(symbols).toContain('KWMA');
    expect(symbols).not.toContain('JOO');
    expect(rows.find((r) => r[0] === 'WJNK')!.slice(5)).toEqual(['null', 'Active']);
    const delisted = csvRows((await h.query({ function: 'LISTING_STATUS', date: '2025-01-02', state: 'delisted' })).text).slice(1);
    expect(delisted.map((r) => [r[0], r[5]])).toEqual([['FANU', '2024-12-13']]);
  });

  it('answers bad parameters with the invalid-call body as JSON', async () => {
    for (const params of [{ state: 'gone' }, { date: '2009-12-31' }, { date: '2026-13-01' }, { date: '2026-07-01' }]) {
      const reply = await h.query({ function: 'LISTING_STATUS', ...params });
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.json()).toEqual(invalidCallFor('LISTING_STATUS'));
    }
  });
});

describe('SPLITS and DIVIDENDS', () => {
  it('serves splits newest first with the factor as new shares per old share, 4 decimals', async () => {
    const byue = (await h.query({ function: 'SPLITS', symbol: 'BYUE' })).json<ActionsBody>();
    expect(byue).toEqual({ symbol: 'BYUE', data: [{ effective_date: '2026-03-11', split_factor: '0.2000' }] });
    for (const split of h.market.splits) {
      const body = (await h.query({ function: 'SPLITS', symbol: split.symbol })).json<ActionsBody>();
      const expected = [...h.market.splitsOf(split.symbol)].filter((s) => s.exDate <= LAST_SESSION).reverse();
      expect(body.data).toEqual(expected.map((s) => ({ effective_date: s.exDate, split_factor: (s.newShares / s.oldShares).toFixed(4) })));
    }
    const uhlx = (await h.query({ function: 'SPLITS', symbol: 'UHLX' })).json<ActionsBody>();
    expect(uhlx.data[0]!.split_factor).toBe('1.5000');
    expect(shapeOf(uhlx)).toEqual(shapeOf(fixture('splits_IBM.json')));
  });

  it('serves every declared dividend (future ex-dates included) newest first, amounts and dates as strings', async () => {
    const payers = [...new Set(h.market.dividends.map((d) => d.symbol))];
    expect(payers.length).toBeGreaterThan(3);
    for (const symbol of payers) {
      const body = (await h.query({ function: 'DIVIDENDS', symbol })).json<ActionsBody>();
      const expected = h.market.dividendsOf(symbol).filter((d) => d.declaredDate <= LAST_SESSION).reverse();
      expect(body.symbol).toBe(symbol);
      expect(body.data).toEqual(
        expected.map((d) => ({ ex_dividend_date: d.exDate, declaration_date: d.declaredDate, record_date: d.recordDate, payment_date: d.payDate, amount: d.cash.toFixed(2) })),
      );
      expect(body.data.every((r, i) => Number(r.amount) === expected[i]!.cash)).toBe(true);
    }
    const future = (await h.query({ function: 'DIVIDENDS', symbol: 'UHLX' })).json<ActionsBody>();
    expect(future.data[0]).toMatchObject({ ex_dividend_date: '2026-06-15', amount: '0.57' });
    expect(shapeOf(future)).toEqual(shapeOf(fixture('dividends_IBM.json')));
  });

  it('answers a known symbol without events with data [], an unknown one with {}, a missing one with the invalid call', async () => {
    const quiet = h.market.symbols.find((s) => s.delistDate === null && h.market.splitsOf(s.symbol).length === 0)!;
    expect((await h.query({ function: 'SPLITS', symbol: quiet.symbol })).json()).toEqual({ symbol: quiet.symbol, data: [] });
    expect((await h.query({ function: 'SPLITS', symbol: 'NOPE' })).json()).toEqual(fixture('empty_object.json'));
    expect((await h.query({ function: 'DIVIDENDS', symbol: 'NOPE' })).text.trim()).toBe('{}');
    expect((await h.query({ function: 'DIVIDENDS' })).json()).toEqual(invalidCallFor('DIVIDENDS'));
  });
});
