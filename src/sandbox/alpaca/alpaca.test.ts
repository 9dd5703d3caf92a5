import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nyInstant } from '../../calendar/index.js';
import { ALPACA_HEADERS, LAST_SESSION, NOW, startHarness, type Harness } from '../test-support/harness.js';

interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}
interface MultiBody {
  bars: Record<string, WireBar[]>;
  next_page_token: string | null;
}
interface SingleBody {
  bars: WireBar[] | null;
  symbol: string;
  next_page_token: string | null;
}
interface ActionsBody {
  corporate_actions: Record<string, Array<Record<string, unknown>>>;
  next_page_token: string | null;
}

const START = '2024-01-02';
let h: Harness;
let symbols: string[];

beforeAll(async () => {
  h = await startHarness();
  symbols = h.market.symbols.map((s) => s.symbol);
});
afterAll(() => h.sandbox.close());

function barsUrl(params: Record<string, string>): string {
  return `/v2/stocks/bars?${new URLSearchParams(params).toString()}`;
}

/** Every (symbol, bar) the market holds in [start, end], by symbol then date, as the wire should carry it. */
function expectedRows(syms: string[], start: string, end: string): Array<[string, WireBar]> {
  return [...syms].sort().flatMap((symbol) =>
    h.market
      .barsOf(symbol)
      .filter((b) => b.date >= start && b.date <= end && b.date <= LAST_SESSION)
      .map(({ date, bar }): [string, WireBar] => [
        symbol,
        { t: new Date(nyInstant(date, '00:00')).toISOString().replace('.000Z', 'Z'), o: bar.open, h: bar.high, l: bar.low, c: bar.close, v: bar.volume, n: bar.trades, vw: bar.vwap },
      ]),
  );
}

async function walk(params: Record<string, string>): Promise<{ rows: Array<[string, WireBar]>; pages: number[] }> {
  const rows: Array<[string, WireBar]> = [];
  const pages: number[] = [];
  let token: string | null = null;
  do {
    const reply = await h.alpaca(barsUrl(token === null ? params : { ...params, page_token: token }));
    expect(reply.status).toBe(200);
    const body = reply.json<MultiBody>();
    let count = 0;
    for (const [symbol, bars] of Object.entries(body.bars)) for (const bar of bars) rows.push([symbol, bar]), count++;
    pages.push(count);
    token = body.next_page_token;
  } while (token !== null);
  return { rows, pages };
}

describe('GET /v2/stocks/bars', () => {
  it('walks every bar exactly once with limit 10000, sorted by symbol then time', async () => {
    const { rows, pages } = await walk({ symbols: symbols.join(','), timeframe: '1Day', start: START, end: LAST_SESSION, limit: '10000', feed: 'sip' });
    const expected = expectedRows(symbols, START, LAST_SESSION);
    expect(expected.length).toBeGreaterThan(30_000);
    expect(rows).toEqual(expected);
    expect(pages.slice(0, -1).every((n) => n === 10_000)).toBe(true);
    expect(pages.length).toBe(Math.ceil(expected.length / 10_000));
  });

  it('walks every bar exactly once with a small limit, a symbol straddling pages', async () => {
    const some = symbols.slice(10, 16);
    const { rows, pages } = await walk({ symbols: some.join(','), timeframe: '1D', start: '2025-01-01', end: '2025-06-30', limit: '97', feed: 'sip' });
    expect(rows).toEqual(expectedRows(some, '2025-01-01', '2025-06-30'));
    expect(pages.length).toBeGreaterThan(5);
    expect(Math.max(...pages)).toBe(97);
  });

  it('sorts each symbol newest first with sort=desc and still pages completely', async () => {
    const some = symbols.slice(0, 3);
    const { rows } = await walk({ symbols: some.join(','), timeframe: '1Day', start: '2025-01-01', end: '2025-03-31', limit: '50', sort: 'desc' });
    const expected = some.flatMap((s) => expectedRows([s], '2025-01-01', '2025-03-31').reverse());
    expect(rows).toEqual(expected);
  });

  it('stamps daily bars at 00:00 New York in UTC (05:00Z in EST, 04:00Z in EDT)', async () => {
    const symbol = symbols[0]!;
    const body = (await h.alpaca(barsUrl({ symbols: symbol, timeframe: '1Day', start: '2025-01-15', end: '2025-07-15' }))).json<MultiBody>();
    const times = body.bars[symbol]!.map((b) => b.t);
    expect(times).toContain('2025-01-15T05:00:00Z');
    expect(times).toContain('2025-07-15T04:00:00Z');
    expect(Object.keys(body.bars[symbol]![0]!)).toEqual(['t', 'o', 'h', 'l', 'c', 'v', 'n', 'vw']);
  });

  it('returns an empty page as {"bars":{},"next_page_token":null} and omits symbols without data', async () => {
    const weekend = await h.alpaca(barsUrl({ symbols: symbols.slice(0, 5).join(','), timeframe: '1Day', start: '2025-03-08', end: '2025-03-09' }));
    expect(weekend.status).toBe(200);
    expect(weekend.text).toBe('{"bars":{},"next_page_token":null}');
    const mixed = (await h.alpaca(barsUrl({ symbols: `ZZZZZ,${symbols[0]!}`, timeframe: '1Day', start: '2025-03-10', end: '2025-03-10' }))).json<MultiBody>();
    expect(Object.keys(mixed.bars)).toEqual([symbols[0]]);
  });

  it('hides sessions that have not closed yet', async () => {
    const body = (await h.alpaca(barsUrl({ symbols: symbols[0]!, timeframe: '1Day', start: '2026-06-01', end: '2026-06-30', feed: 'iex' }))).json<MultiBody>();
    expect(body.bars[symbols[0]!]!.map((b) => b.t.slice(0, 10))).toEqual(['2026-06-01', '2026-06-02', '2026-06-03']);
  });

  it('rejects a page token replayed with other parameters, or garbage, with 400', async () => {
    const params = { symbols: symbols.slice(0, 4).join(','), timeframe: '1Day', start: START, end: LAST_SESSION, limit: '100' };
    const first = (await h.alpaca(barsUrl(params))).json<MultiBody>();
    expect(first.next_page_token).not.toBeNull();
    const token = first.next_page_token!;
    const changes: Array<Record<string, string>> = [{ limit: '200' }, { end: '2026-05-01' }, { symbols: symbols.slice(0, 5).join(',') }, { feed: 'iex' }];
    for (const changed of changes) {
      const reply = await h.alpaca(barsUrl({ ...params, ...changed, page_token: token }));
      expect(reply.status).toBe(400);
      expect(reply.json()).toEqual({ message: 'invalid page token' });
    }
    const garbage = await h.alpaca(barsUrl({ ...params, page_token: 'not-a-token' }));
    expect(garbage.status).toBe(400);
    const same = await h.alpaca(barsUrl({ ...params, page_token: token }));
    expect(same.status).toBe(200);
  });

  it('fails the whole request on one syntactically invalid symbol', async () => {
    for (const bad of ['BF-B', 'brk.b', 'BRK/B']) {
      const reply = await h.alpaca(barsUrl({ symbols: `${symbols[0]!},${bad}`, timeframe: '1Day', start: START }));
      expect(reply.status).toBe(400);
      expect(reply.json()).toEqual({ message: `invalid symbol: ${bad}` });
    }
  });

  it('validates timeframe, adjustment, sort and limit', async () => {
    const base = { symbols: symbols[0]!, start: START, end: LAST_SESSION };
    const cases: Array<[Record<string, string>, string]> = [
      [{ timeframe: '1Hour' }, 'invalid timeframe'],
      [{ timeframe: '1Day', adjustment: 'bogus' }, 'invalid adjustment: bogus'],
      [{ timeframe: '1Day', adjustment: 'split,split' }, 'invalid adjustment: split,split'],
      [{ timeframe: '1Day', adjustment: '' }, 'invalid adjustment: '],
      [{ timeframe: '1Day', sort: 'up' }, 'invalid sort: up'],
      [{ timeframe: '1Day', limit: '10001' }, 'invalid limit: must be between 1 and 10000'],
    ];
    for (const [params, message] of cases) {
      const reply = await h.alpaca(barsUrl({ ...base, ...params }));
      expect(reply.status).toBe(400);
      expect(reply.json<{ message: string }>().message).toBe(message);
    }
    expect((await h.alpaca(barsUrl({ ...base, timeframe: '1Day', adjustment: 'split,dividend' }))).status).toBe(200);
  });

  it('refuses recent SIP data on the free plan but serves IEX and older SIP', async () => {
    const recent = new Date(NOW - 5 * 60_000).toISOString();
    const sip = await h.alpaca(barsUrl({ symbols: symbols[0]!, timeframe: '1Day', start: '2026-06-01', end: recent }));
    expect(sip.status).toBe(403);
    expect(sip.text).toBe('{"message":"subscription does not permit querying recent SIP data"}');
    const iex = await h.alpaca(barsUrl({ symbols: symbols[0]!, timeframe: '1Day', start: '2026-06-01', end: recent, feed: 'iex' }));
    expect(iex.status).toBe(200);
    const older = await h.alpaca(barsUrl({ symbols: symbols[0]!, timeframe: '1Day', start: '2026-06-01', end: new Date(NOW - 16 * 60_000).toISOString(), feed: 'sip' }));
    expect(older.status).toBe(200);
    const noEnd = await h.alpaca(barsUrl({ symbols: symbols[0]!, timeframe: '1Day', start: '2026-06-01' }));
    expect(noEnd.status).toBe(200);
  });

  it('serves IEX with SIP prices and ~2.5 % of the volume', async () => {
    const symbol = symbols[3]!;
    const params = { symbols: symbol, timeframe: '1Day', start: '2025-02-03', end: '2025-02-28' };
    const sip = (await h.alpaca(barsUrl({ ...params, feed: 'sip' }))).json<MultiBody>().bars[symbol]!;
    const iex = (await h.alpaca(barsUrl({ ...params, feed: 'iex' }))).json<MultiBody>().bars[symbol]!;
    expect(iex.map((b) => [b.t, b.o, b.h, b.l, b.c])).toEqual(sip.map((b) => [b.t, b.o, b.h, b.l, b.c]));
    iex.forEach((b, i) => expect(b.v).toBe(Math.max(1, Math.round(sip[i]!.v * 0.025))));
  });

  it('adjusts for splits and dividends on request', async () => {
    const split = h.market.splits.find((s) => s.exDate > '2024-03-01' && s.exDate <= LAST_SESSION)!;
    const params = { symbols: split.symbol, timeframe: '1Day', start: START, end: LAST_SESSION };
    const raw = (await h.alpaca(barsUrl(params))).json<MultiBody>().bars[split.symbol]!;
    const adjusted = (await h.alpaca(barsUrl({ ...params, adjustment: 'split' }))).json<MultiBody>().bars[split.symbol]!;
    const i = raw.findIndex((b) => b.t.startsWith(split.exDate));
    const ratio = split.newShares / split.oldShares;
    const before = h.market.splitsOf(split.symbol).filter((s) => s.exDate > raw[i - 1]!.t.slice(0, 10) && s.exDate <= LAST_SESSION);
    const factor = before.reduce((f, s) => f * (s.oldShares / s.newShares), 1);
    expect(adjusted[i - 1]!.c).toBeCloseTo(raw[i - 1]!.c * factor, 3);
    expect(adjusted[i - 1]!.v).toBe(Math.round(raw[i - 1]!.v / factor));
    expect(Math.abs(adjusted[i]!.c / adjusted[i - 1]!.c - 1)).toBeLessThan(Math.abs(1 / ratio - 1));

    const payer = h.market.dividends.find((d) => d.exDate > '2025-01-01' && d.exDate <= LAST_SESSION && h.market.splitsOf(d.symbol).length === 0)!;
    const q = { symbols: payer.symbol, timeframe: '1Day', start: '2024-12-01', end: LAST_SESSION };
    const rawBars = (await h.alpaca(barsUrl(q))).json<MultiBody>().bars[payer.symbol]!;
    const allBars = (await h.alpaca(barsUrl({ ...q, adjustment: 'all' }))).json<MultiBody>().bars[payer.symbol]!;
    const truth = new Map(h.market.adjustedCloses(payer.symbol).map((r) => [r.date, r.adjClose]));
    allBars.forEach((b) => expect(b.c).toBeCloseTo(truth.get(b.t.slice(0, 10))!, 3));
    expect(allBars[0]!.c).toBeLessThan(rawBars[0]!.c);
  });
});

describe('GET /v2/stocks/{symbol}/bars', () => {
  it('answers an array with the symbol, and null bars when empty', async () => {
    const symbol = symbols[7]!;
    const reply = (await h.alpaca(`/v2/stocks/${symbol}/bars?timeframe=1Day&start=2025-03-03&end=2025-03-07&limit=3`)).json<SingleBody>();
    expect(reply.symbol).toBe(symbol);
    expect(reply.bars!.map((b) => b.t)).toEqual(['2025-03-03T05:00:00Z', '2025-03-04T05:00:00Z', '2025-03-05T05:00:00Z']);
    const next = (await h.alpaca(`/v2/stocks/${symbol}/bars?timeframe=1Day&start=2025-03-03&end=2025-03-07&limit=3&page_token=${encodeURIComponent(reply.next_page_token!)}`)).json<SingleBody>();
    expect(next.bars!.map((b) => b.t.slice(0, 10))).toEqual(['2025-03-06', '2025-03-07']);
    expect(next.next_page_token).toBeNull();
    const empty = await h.alpaca(`/v2/stocks/${symbol}/bars?timeframe=1Day&start=2025-03-08&end=2025-03-09`);
    expect(empty.text).toBe(`{"bars":null,"symbol":"${symbol}","next_page_token":null}`);
    expect((await h.alpaca('/v2/stocks/BF-B/bars?timeframe=1Day')).json()).toEqual({ message: 'invalid symbol: BF-B' });
  });
});

describe('GET /v1/corporate-actions', () => {
  async function walkActions(query: string): Promise<{ records: Array<Record<string, unknown> & { type: string }>; pages: ActionsBody[] }> {
    const records: Array<Record<string, unknown> & { type: string }> = [];
    const pages: ActionsBody[] = [];
    let token: string | null = null;
    do {
      const reply = await h.alpaca(`/v1/corporate-actions?${query}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
      expect(reply.status).toBe(200);
      const body = reply.json<ActionsBody>();
      pages.push(body);
      for (const [type, list] of Object.entries(body.corporate_actions)) for (const r of list) records.push({ ...r, type });
      token = body.next_page_token;
    } while (token !== null);
    return { records, pages };
  }

  it('filters on process_date and pages through every record exactly once', async () => {
    const { records, pages } = await walkActions('start=2024-06-01&end=2025-12-31&limit=7');
    const inWindow = (p: string): boolean => p >= '2024-06-01' && p <= '2025-12-31';
    const splits = h.market.splits.filter((s) => inWindow(s.processDate));
    const dividends = h.market.dividends.filter((d) => inWindow(d.processDate));
    expect(records).toHaveLength(splits.length + dividends.length);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    for (const page of pages) {
      expect(Object.values(page.corporate_actions).every((list) => list.length > 0)).toBe(true);
      expect(Object.values(page.corporate_actions).flat().length).toBeLessThanOrEqual(7);
    }
    for (const s of splits) {
      const type = s.newShares > s.oldShares ? 'forward_splits' : 'reverse_splits';
      const r = records.find((x) => x.type === type && x.symbol === s.symbol && x.ex_date === s.exDate)!;
      expect(r).toMatchObject({ old_rate: s.oldShares, new_rate: s.newShares, process_date: s.processDate, record_date: s.recordDate, payable_date: s.payableDate });
    }
    for (const d of dividends) {
      const r = records.find((x) => x.type === 'cash_dividends' && x.symbol === d.symbol && x.ex_date === d.exDate)!;
      expect(r).toMatchObject({ rate: d.cash, special: false, foreign: false, process_date: d.processDate, record_date: d.recordDate, payable_date: d.payDate });
    }
    // process_date trails ex_date sometimes, so a window on it returns events whose ex-date lies outside.
    expect(records.some((r) => (r.process_date as string) > (r.ex_date as string))).toBe(true);
  });

  it('carries the fields of the vendor records', async () => {
    const { records } = await walkActions('start=2024-01-01&end=2026-06-03&limit=1000');
    const keys = (type: string): string[] => Object.keys(records.find((r) => r.type === type)!).filter((k) => k !== 'type').sort();
    expect(keys('forward_splits')).toEqual(['cusip', 'ex_date', 'id', 'new_rate', 'old_rate', 'payable_date', 'process_date', 'record_date', 'symbol']);
    expect(keys('reverse_splits')).toEqual(['ex_date', 'id', 'new_cusip', 'new_rate', 'old_cusip', 'old_rate', 'payable_date', 'process_date', 'record_date', 'symbol']);
    expect(keys('cash_dividends')).toEqual(['cusip', 'ex_date', 'foreign', 'id', 'payable_date', 'process_date', 'rate', 'record_date', 'special', 'symbol']);
    for (const r of records) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('filters by types and symbols, defaults to today, hides records not processed yet', async () => {
    const { records } = await walkActions('types=forward_split,reverse_split&start=2024-01-01&end=2030-01-01&limit=1000');
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(['forward_splits', 'reverse_splits']));
    expect(records).toHaveLength(h.market.splits.filter((s) => s.processDate <= LAST_SESSION).length);
    const symbol = h.market.dividends[0]!.symbol;
    const bySymbol = await walkActions(`symbols=${symbol}&start=2024-01-01&end=2026-06-03`);
    expect(bySymbol.records.every((r) => r.symbol === symbol)).toBe(true);
    expect(bySymbol.records.length).toBe([...h.market.splitsOf(symbol), ...h.market.dividendsOf(symbol)].filter((a) => a.processDate <= LAST_SESSION).length);
    const today = (await h.alpaca('/v1/corporate-actions')).json<ActionsBody>();
    const expectedToday = [...h.market.splits, ...h.market.dividends].filter((a) => a.processDate === LAST_SESSION).length;
    expect(Object.values(today.corporate_actions).flat().length).toBe(expectedToday);
    expect((await h.alpaca('/v1/corporate-actions?types=bogus')).status).toBe(400);
  });
});

describe('GET /v2/assets', () => {
  it('lists every asset listed by today as a bare array, delisted ones inactive', async () => {
    const reply = await h.alpaca('/v2/assets');
    const assets = reply.json<Array<Record<string, unknown>>>();
    const listed = h.market.symbols.filter((s) => s.listDate <= LAST_SESSION);
    expect(assets.map((a) => a.symbol)).toEqual(listed.map((s) => s.symbol));
    const inactive = listed.filter((s) => s.delistDate !== null && s.delistDate <= LAST_SESSION).map((s) => s.symbol);
    expect(inactive.length).toBeGreaterThan(0);
    expect(assets.filter((a) => a.status === 'inactive').map((a) => a.symbol)).toEqual(inactive);
    // Keys of the vendor's fixture (assets_list.json) minus its docs-placeholder price fields.
    for (const key of ['id', 'class', 'exchange', 'symbol', 'name', 'status', 'tradable', 'marginable', 'shortable', 'easy_to_borrow', 'fractionable', 'attributes']) {
      expect(assets[0]).toHaveProperty(key);
    }
    expect(assets[0]!.class).toBe('us_equity');
    expect(['NYSE', 'NASDAQ', 'ARCA']).toContain(assets[0]!.exchange);
    const active = (await h.alpaca('/v2/assets?status=active')).json<Array<{ status: string }>>();
    expect(active.length).toBe(listed.length - inactive.length);
    expect(active.every((a) => a.status === 'active')).toBe(true);
  });
});

describe('auth and rate limit', () => {
  it('answers 403 forbidden. without or with wrong keys', async () => {
    const strict = await startHarness({ credentials: { alpaca: { keyId: 'PKGOOD', secretKey: 'good' } } });
    try {
      const missing = await strict.alpaca('/v2/assets', {});
      expect(missing.status).toBe(403);
      expect(missing.json()).toEqual({ message: 'forbidden.' });
      const wrong = await strict.alpaca('/v2/assets', { 'APCA-API-KEY-ID': 'PKGOOD', 'APCA-API-SECRET-KEY': 'bad' });
      expect(wrong.status).toBe(403);
      expect((await strict.alpaca('/v2/assets', { 'APCA-API-KEY-ID': 'PKGOOD', 'APCA-API-SECRET-KEY': 'good' })).status).toBe(200);
      expect((await h.alpaca('/v2/assets', { 'APCA-API-KEY-ID': 'PK', 'APCA-API-SECRET-KEY': '' })).status).toBe(403);
    } finally {
      await strict.sandbox.close();
    }
  });

  it('allows 200 requests per sliding minute per key, then 429 with headers, and recovers as the window slides', async () => {
    const own = await startHarness();
    try {
      const t0 = own.clock.now();
      for (let i = 1; i <= 200; i++) {
        const reply = await own.alpaca('/v2/assets?status=inactive');
        expect(reply.status).toBe(200);
        expect(reply.headers.get('x-ratelimit-limit')).toBe('200');
        expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(200 - i));
        if (i === 100) own.clock.advanceBy(30_000);
      }
      const limited = await own.alpaca('/v2/assets');
      expect(limited.status).toBe(429);
      expect(limited.text).toBe('{"code":42910000,"message":"rate limit exceeded"}');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((t0 + 60_000) / 1000)));
      // Another key has its own window.
      expect((await own.alpaca('/v2/assets', { ...ALPACA_HEADERS, 'APCA-API-KEY-ID': 'PKOTHER' })).status).toBe(200);
      // The first 100 requests (at t0) leave the window at t0 + 60 s; the rejected one counted too.
      own.clock.advanceBy(30_000);
      const again = await own.alpaca('/v2/assets');
      expect(again.status).toBe(200);
      expect(again.headers.get('x-ratelimit-remaining')).toBe(String(200 - 101 - 1));
      expect(own.sandbox.stats().alpaca.rateLimited).toBe(1);
    } finally {
      await own.sandbox.close();
    }
  });
});
