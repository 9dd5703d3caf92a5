import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, nyInstant } from '../../calendar/index.js';
import { LAST_SESSION, pathOf, startHarness, type Harness } from '../test-support/harness.js';

interface Agg {
  T?: string;
  v: number;
  vw: number;
  o: number;
  c: number;
  h: number;
  l: number;
  t: number;
  n: number;
}
interface AggsBody {
  ticker?: string;
  queryCount: number;
  resultsCount: number;
  adjusted: boolean;
  results?: Agg[];
  status: string;
  request_id: string;
  count?: number;
  next_url?: string;
}
interface ListBody<R> {
  results: R[];
  status: string;
  request_id: string;
  count: number;
  next_url?: string;
}
interface TickerRow {
  ticker: string;
  active: boolean;
  delisted_utc?: string;
  [key: string]: unknown;
}

const FLOOR = addDays(LAST_SESSION, -730);
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ plans: { polygon: { requestsPerMinute: Infinity } } });
});
afterAll(() => h.sandbox.close());

async function walkList<R>(path: string): Promise<{ rows: R[]; urls: string[] }> {
  const rows: R[] = [];
  const urls: string[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const reply = await h.polygon(next);
    expect(reply.status).toBe(200);
    const body = reply.json<ListBody<R>>();
    expect(body.count).toBe(body.results.length);
    rows.push(...body.results);
    if (body.next_url !== undefined) urls.push(body.next_url);
    next = body.next_url === undefined ? undefined : pathOf(body.next_url);
  }
  return { rows, urls };
}

describe('grouped daily', () => {
  it('returns every symbol trading that session, stamped at the 16:00 New York close', async () => {
    for (const date of ['2025-01-15', '2025-07-15', LAST_SESSION]) {
      const body = (await h.polygon(`/v2/aggs/grouped/locale/us/market/stocks/${date}?adjusted=false`)).json<AggsBody>();
      const trading = h.market.symbols.filter((s) => s.listDate <= date && (s.delistDate === null || date < s.delistDate)).map((s) => s.symbol);
      expect(body.results!.map((r) => r.T).sort()).toEqual(trading);
      expect(body.resultsCount).toBe(trading.length);
      expect(body.results!.every((r) => r.t === nyInstant(date, '16:00'))).toBe(true);
      const first = body.results![0]!;
      const bar = h.market.bar(first.T!, date)!;
      expect(first).toEqual({ T: first.T, v: bar.volume, vw: bar.vwap, o: bar.open, c: bar.close, h: bar.high, l: bar.low, t: nyInstant(date, '16:00'), n: bar.trades });
      expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
    }
    // 2025-07-15 is in EDT: 20:00Z; 2025-01-15 in EST: 21:00Z.
    expect(new Date(nyInstant('2025-07-15', '16:00')).toISOString()).toBe('2025-07-15T20:00:00.000Z');
  });

  it('stamps an early close at the session close', async () => {
    const body = (await h.polygon('/v2/aggs/grouped/locale/us/market/stocks/2025-11-28')).json<AggsBody>();
    expect(body.results![0]!.t).toBe(nyInstant('2025-11-28', '13:00'));
  });

  it('answers weekends and holidays with resultsCount 0 and no results', async () => {
    for (const date of ['2025-03-08', '2025-12-25']) {
      const reply = await h.polygon(`/v2/aggs/grouped/locale/us/market/stocks/${date}`);
      expect(reply.status).toBe(200);
      const body = reply.json<AggsBody>();
      expect(body).toMatchObject({ queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK' });
      expect('results' in body).toBe(false);
    }
  });

  it('refuses dates beyond the two-year window and in the future with 403 NOT_AUTHORIZED', async () => {
    for (const date of [addDays(FLOOR, -1), '2026-06-04']) {
      const reply = await h.polygon(`/v2/aggs/grouped/locale/us/market/stocks/${date}`);
      expect(reply.status).toBe(403);
      const body = reply.json<{ status: string; request_id: string; message: string }>();
      expect(body.status).toBe('NOT_AUTHORIZED');
      expect(body.message).toBe("Your plan doesn't include this data timeframe. Please upgrade your plan at https://polygon.io/pricing");
      expect(Object.keys(body)).toEqual(['status', 'request_id', 'message']);
    }
  });

  it('split-adjusts as of today by default', async () => {
    const split = h.market.splits.find((s) => s.exDate > addDays(FLOOR, 5) && s.exDate <= LAST_SESSION)!;
    const day = h.market.barsOf(split.symbol).filter((b) => b.date < split.exDate && b.date >= FLOOR).at(-1)!;
    const rows = (await h.polygon(`/v2/aggs/grouped/locale/us/market/stocks/${day.date}`)).json<AggsBody>().results!;
    const row = rows.find((r) => r.T === split.symbol)!;
    const factor = h.market.splitsOf(split.symbol).filter((s) => s.exDate > day.date && s.exDate <= LAST_SESSION).reduce((f, s) => f * (s.oldShares / s.newShares), 1);
    expect(row.c).toBe(Math.round(day.bar.close * factor * 10_000) / 10_000);
    expect(row.v).toBeCloseTo(day.bar.volume / factor, 3);
  });
});

describe('range aggregates', () => {
  it('returns daily bars stamped at 00:00 New York, raw or split-adjusted', async () => {
    const split = h.market.splits.find((s) => s.exDate > addDays(FLOOR, 30) && s.exDate <= LAST_SESSION)!;
    const from = addDays(split.exDate, -10);
    const to = addDays(split.exDate, 10);
    const raw = (await h.polygon(`/v2/aggs/ticker/${split.symbol}/range/1/day/${from}/${to}?adjusted=false`)).json<AggsBody>();
    const expected = h.market.barsOf(split.symbol).filter((b) => b.date >= from && b.date <= to);
    expect(raw).toMatchObject({ ticker: split.symbol, adjusted: false, status: 'OK', resultsCount: expected.length, queryCount: expected.length, count: expected.length });
    expect(raw.results!.map((r) => r.t)).toEqual(expected.map((b) => nyInstant(b.date, '00:00')));
    expect(raw.results!.map((r) => r.c)).toEqual(expected.map((b) => b.bar.close));
    const adjusted = (await h.polygon(`/v2/aggs/ticker/${split.symbol}/range/1/day/${from}/${to}`)).json<AggsBody>();
    expect(adjusted.adjusted).toBe(true);
    const i = expected.findIndex((b) => b.date === split.exDate);
    const later = h.market.splitsOf(split.symbol).filter((s) => s.exDate <= LAST_SESSION);
    const factorBefore = later.filter((s) => s.exDate > expected[i - 1]!.date).reduce((f, s) => f * (s.oldShares / s.newShares), 1);
    expect(adjusted.results![i - 1]!.c).toBe(Math.round(expected[i - 1]!.bar.close * factorBefore * 10_000) / 10_000);
  });

  it('pages with next_url when limit cuts the scan, covering every bar once', async () => {
    const symbol = h.market.symbols[2]!.symbol;
    const from = '2025-01-01';
    const collected: Agg[] = [];
    let next: string | undefined = `/v2/aggs/ticker/${symbol}/range/1/day/${from}/${LAST_SESSION}?adjusted=false&limit=100`;
    let pages = 0;
    while (next !== undefined) {
      const body: AggsBody = (await h.polygon(next)).json<AggsBody>();
      collected.push(...(body.results ?? []));
      pages++;
      if (body.next_url !== undefined) {
        expect(body.next_url.startsWith('https://api.massive.com/v2/aggs/ticker/')).toBe(true);
        expect(body.next_url).not.toMatch(/apiKey/i);
      }
      next = body.next_url === undefined ? undefined : pathOf(body.next_url);
    }
    const expected = h.market.barsOf(symbol).filter((b) => b.date >= from && b.date <= LAST_SESSION);
    expect(pages).toBe(Math.ceil(expected.length / 100));
    expect(collected.map((r) => r.t)).toEqual(expected.map((b) => nyInstant(b.date, '00:00')));
    expect(collected.map((r) => r.v)).toEqual(expected.map((b) => b.bar.volume));
  });

  it('pages newest first with sort=desc and keeps adjusted=false across next_url', async () => {
    const split = h.market.splits.find((s) => s.exDate > addDays(FLOOR, 30) && s.exDate <= LAST_SESSION)!;
    const from = addDays(split.exDate, -60);
    const to = addDays(split.exDate, 60);
    const collected: Agg[] = [];
    let next: string | undefined = `/v2/aggs/ticker/${split.symbol}/range/1/day/${from}/${to}?adjusted=false&sort=desc&limit=9`;
    while (next !== undefined) {
      const body: AggsBody = (await h.polygon(next)).json<AggsBody>();
      expect(body.adjusted).toBe(false);
      collected.push(...(body.results ?? []));
      next = body.next_url === undefined ? undefined : pathOf(body.next_url);
    }
    const expected = h.market.barsOf(split.symbol).filter((b) => b.date >= from && b.date <= to).reverse();
    expect(collected.map((r) => [r.t, r.c])).toEqual(expected.map((b) => [nyInstant(b.date, '00:00'), b.bar.close]));
  });

  it('clips a range partly outside the plan window with 200, refuses one wholly outside with 403', async () => {
    const symbol = h.market.symbols[0]!.symbol;
    const clipped = (await h.polygon(`/v2/aggs/ticker/${symbol}/range/1/day/2024-01-02/2030-01-01?adjusted=false&limit=50000`)).json<AggsBody>();
    const dates = clipped.results!.map((r) => r.t);
    expect(dates[0]).toBe(nyInstant(h.market.barsOf(symbol).find((b) => b.date >= FLOOR)!.date, '00:00'));
    expect(dates.at(-1)).toBe(nyInstant(LAST_SESSION, '00:00'));
    expect((await h.polygon(`/v2/aggs/ticker/${symbol}/range/1/day/2024-01-02/2024-02-01`)).status).toBe(403);
    expect((await h.polygon(`/v2/aggs/ticker/${symbol}/range/1/day/2026-06-10/2026-06-20`)).status).toBe(403);
  });

  it('answers an unknown ticker with 200 and resultsCount 0 without results', async () => {
    const reply = await h.polygon('/v2/aggs/ticker/BRK-B/range/1/day/2025-01-02/2025-01-10');
    expect(reply.status).toBe(200);
    const body = reply.json<AggsBody>();
    expect(body).toMatchObject({ ticker: 'BRK-B', queryCount: 0, resultsCount: 0, status: 'OK' });
    expect('results' in body).toBe(false);
  });

  it('rejects malformed path times with the vendor ERROR body', async () => {
    const symbol = h.market.symbols[0]!.symbol;
    const bad = await h.polygon(`/v2/aggs/ticker/${symbol}/range/1/day/2025-13-01/2025-01-10`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ status: 'ERROR', error: "Could not parse the time parameter: 'from'. Use YYYY-MM-DD or Unix MS Timestamps" });
    const reversed = await h.polygon(`/v2/aggs/ticker/${symbol}/range/1/day/2025-02-01/2025-01-10`);
    expect(reversed.json<{ error: string }>().error).toBe("The parameter 'to' cannot be a time that occurs before 'from'");
  });

  it('has the keys of the vendor fixtures', async () => {
    const symbol = h.market.symbols[0]!.symbol;
    const body = (await h.polygon(`/v2/aggs/ticker/${symbol}/range/1/day/2025-03-03/2025-03-04`)).json<AggsBody>();
    // aggs_range_AAPL_1day_2005-04-01_2005-04-04.json
    expect(Object.keys(body)).toEqual(['ticker', 'queryCount', 'resultsCount', 'adjusted', 'results', 'status', 'request_id', 'count']);
    expect(Object.keys(body.results![0]!)).toEqual(['v', 'vw', 'o', 'c', 'h', 'l', 't', 'n']);
    // grouped_daily_stocks_sdk_mock.json
    const grouped = (await h.polygon('/v2/aggs/grouped/locale/us/market/stocks/2025-03-03')).json<AggsBody>();
    expect(Object.keys(grouped)).toEqual(['queryCount', 'resultsCount', 'adjusted', 'results', 'status', 'request_id', 'count']);
    expect(Object.keys(grouped.results![0]!)).toEqual(['T', 'v', 'vw', 'o', 'c', 'h', 'l', 't', 'n']);
  });
});

describe('reference tickers', () => {
  it('pages with a keyless cursor next_url over active and delisted tickers, each exactly once', async () => {
    const active = await walkList<TickerRow>('/v3/reference/tickers?market=stocks&limit=7');
    const delisted = await walkList<TickerRow>('/v3/reference/tickers?market=stocks&active=false&limit=3');
    const listed = h.market.symbols.filter((s) => s.listDate <= LAST_SESSION);
    const gone = listed.filter((s) => s.delistDate !== null && s.delistDate <= LAST_SESSION);
    expect(gone.length).toBeGreaterThan(1);
    expect(active.rows.map((r) => r.ticker)).toEqual(listed.filter((s) => !gone.includes(s)).map((s) => s.symbol));
    expect(delisted.rows.map((r) => r.ticker)).toEqual(gone.map((s) => s.symbol));
    expect(delisted.rows.map((r) => r.delisted_utc)).toEqual(gone.map((s) => `${s.delistDate}T00:00:00Z`));
    expect(active.rows.every((r) => r.active && r.delisted_utc === undefined)).toBe(true);
    for (const url of [...active.urls, ...delisted.urls]) {
      expect(url).toMatch(/^https:\/\/api\.massive\.com\/v3\/reference\/tickers\?cursor=[A-Za-z0-9_-]+$/);
      expect(url).not.toMatch(/apiKey|polykey/);
    }
    // tickers_page1_next_url.json
    for (const key of ['ticker', 'name', 'market', 'locale', 'primary_exchange', 'type', 'active', 'currency_name', 'composite_figi', 'share_class_figi', 'last_updated_utc']) {
      expect(active.rows[0]).toHaveProperty(key);
    }
  });

  it('filters by type, exchange and ticker', async () => {
    const etfs = await walkList<TickerRow>('/v3/reference/tickers?type=ETF&limit=1000');
    expect(etfs.rows.map((r) => r.ticker)).toEqual(
      h.market.symbols.filter((s) => s.type === 'ETF' && s.listDate <= LAST_SESSION && (s.delistDate === null || s.delistDate > LAST_SESSION)).map((s) => s.symbol),
    );
    const one = h.market.symbols[4]!.symbol;
    expect((await walkList<TickerRow>(`/v3/reference/tickers?ticker=${one}`)).rows.map((r) => r.ticker)).toEqual([one]);
    expect((await walkList<TickerRow>('/v3/reference/tickers?market=crypto')).rows).toEqual([]);
  });
});

describe('splits and dividends', () => {
  const visible = (exDate: string, declared: string): boolean => exDate >= FLOOR && declared <= LAST_SESSION;

  it('serves /v3/reference/splits and /stocks/v1/splits with the market values', async () => {
    const expected = h.market.splits.filter((s) => visible(s.exDate, s.declaredDate));
    const v3 = await walkList<Record<string, unknown>>('/v3/reference/splits?limit=2');
    expect(v3.rows.map((r) => [r.ticker, r.execution_date, r.split_from, r.split_to])).toEqual(
      [...expected].reverse().map((s) => [s.symbol, s.exDate, s.oldShares, s.newShares]),
    );
    const v1 = await walkList<Record<string, unknown>>('/stocks/v1/splits?sort=execution_date.asc&limit=3');
    expect(v1.rows.map((r) => [r.ticker, r.execution_date, r.split_from, r.split_to, r.adjustment_type])).toEqual(
      expected.map((s) => [s.symbol, s.exDate, s.oldShares, s.newShares, s.newShares > s.oldShares ? 'forward_split' : 'reverse_split']),
    );
    for (const r of v1.rows) {
      const later = h.market.splitsOf(r.ticker as string).filter((s) => s.exDate >= (r.execution_date as string) && s.declaredDate <= LAST_SESSION);
      expect(r.historical_adjustment_factor).toBeCloseTo(later.reduce((f, s) => f * (s.oldShares / s.newShares), 1), 6);
    }
    expect(Object.keys(v1.rows[0]!).sort()).toEqual(['adjustment_type', 'execution_date', 'historical_adjustment_factor', 'id', 'split_from', 'split_to', 'ticker']);
    const oneTicker = expected[0]!.symbol;
    const filtered = await walkList<Record<string, unknown>>(`/stocks/v1/splits?ticker=${oneTicker}&execution_date.gte=${FLOOR}`);
    expect(filtered.rows.every((r) => r.ticker === oneTicker)).toBe(true);
    expect(filtered.rows.length).toBe(expected.filter((s) => s.symbol === oneTicker).length);
    const reverse = await walkList<Record<string, unknown>>('/v3/reference/splits?reverse_split=true&limit=1000');
    expect(reverse.rows.every((r) => (r.split_from as number) > (r.split_to as number))).toBe(true);
  });

  it('serves /v3/reference/dividends and /stocks/v1/dividends with raw cash amounts', async () => {
    const expected = h.market.dividends.filter((d) => visible(d.exDate, d.declaredDate));
    const from = '2025-06-01';
    const v3 = await walkList<Record<string, unknown>>(`/v3/reference/dividends?ex_dividend_date.gte=${from}&limit=50`);
    const windowed = expected.filter((d) => d.exDate >= from);
    expect(v3.rows).toHaveLength(windowed.length);
    for (const d of windowed) {
      const r = v3.rows.find((x) => x.ticker === d.symbol && x.ex_dividend_date === d.exDate)!;
      expect(r).toMatchObject({ cash_amount: d.cash, declaration_date: d.declaredDate, record_date: d.recordDate, pay_date: d.payDate, dividend_type: 'CD', frequency: 4 });
    }
    const dates = v3.rows.map((r) => r.ex_dividend_date as string);
    expect(dates).toEqual([...dates].sort().reverse());
    const v1 = await walkList<Record<string, unknown>>('/stocks/v1/dividends?limit=5000');
    expect(v1.rows).toHaveLength(expected.length);
    expect(v1.rows.map((r) => r.ticker as string)).toEqual([...v1.rows.map((r) => r.ticker as string)].sort());
    const withSplit = v1.rows.find((r) => h.market.splitsOf(r.ticker as string).some((s) => s.exDate > (r.ex_dividend_date as string) && s.exDate <= LAST_SESSION));
    expect(withSplit).toBeDefined();
    const row = withSplit!;
    const factor = h.market.splitsOf(row.ticker as string).filter((s) => s.exDate > (row.ex_dividend_date as string)).reduce((f, s) => f * (s.oldShares / s.newShares), 1);
    expect(factor).not.toBe(1);
    expect(row.split_adjusted_cash_amount).toBeCloseTo((row.cash_amount as number) * factor, 6);
    expect(Object.keys(v1.rows[0]!).sort()).toEqual([
      'cash_amount', 'currency', 'declaration_date', 'distribution_type', 'ex_dividend_date', 'frequency',
      'historical_adjustment_factor', 'id', 'pay_date', 'record_date', 'split_adjusted_cash_amount', 'ticker',
    ]);
  });
});

describe('auth and rate limit', () => {
  it('answers 401 with the vendor bodies for a missing or unknown key, and accepts a Bearer header', async () => {
    const strict = await startHarness({ credentials: { polygon: { apiKey: 'good' } } });
    try {
      const missing = await strict.polygon('/v3/reference/tickers', { key: null });
      expect(missing.status).toBe(401);
      const body = missing.json<{ status: string; request_id: string; error: string }>();
      expect(body).toEqual({ status: 'ERROR', request_id: body.request_id, error: 'API Key was not provided' });
      expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
      const wrong = await strict.polygon('/v3/reference/tickers', { key: 'bad' });
      expect(wrong.status).toBe(401);
      expect(wrong.json<{ error: string }>().error).toBe('Unknown API Key');
      const bearer = await strict.polygon('/v3/reference/tickers', { key: null, headers: { Authorization: 'Bearer good' } });
      expect(bearer.status).toBe(200);
      expect(strict.sandbox.requestLog().some((e) => e.path.includes('good') || e.path.includes('bad'))).toBe(false);
    } finally {
      await strict.sandbox.close();
    }
  });

  it('answers the 6th request within 60 s with the 429 ERROR body, and serves again once the window slides', async () => {
    const own = await startHarness();
    try {
      for (let i = 0; i < 5; i++) {
        expect((await own.polygon('/v3/reference/tickers?limit=1')).status).toBe(200);
        own.clock.advanceBy(5_000);
      }
      const limited = await own.polygon('/v3/reference/tickers?limit=1');
      expect(limited.status).toBe(429);
      const body = limited.json<{ status: string; request_id: string; error: string }>();
      expect(body).toEqual({
        status: 'ERROR',
        request_id: body.request_id,
        error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing",
      });
      // At t0+60 s the first request has left the window, but the rejected one (t0+25 s) still counts.
      own.clock.advanceBy(35_000);
      expect((await own.polygon('/v3/reference/tickers?limit=1')).status).toBe(429);
      // A full quiet minute after the last rejection empties the window.
      own.clock.advanceBy(60_000);
      expect((await own.polygon('/v3/reference/tickers?limit=1')).status).toBe(200);
      expect(own.sandbox.stats().polygon).toEqual({ requests: 8, byStatus: { 200: 6, 429: 2 }, rateLimited: 2 });
    } finally {
      await own.sandbox.close();
    }
  });
});
