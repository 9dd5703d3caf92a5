import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nyInstant, sessionOf } from '../../calendar/index.js';
import { minuteBars } from '../market/index.js';
import { NOW, startHarness, type Harness } from '../test-support/harness.js';

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

let h: Harness;
let symbols: string[];

beforeAll(async () => {
  h = await startHarness();
  symbols = h.market.symbols.filter((s) => s.delistDate === null && s.listDate < '2024-01-02').map((s) => s.symbol);
});
afterAll(() => h.sandbox.close());

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function barsUrl(params: Record<string, string>): string {
  return `/v2/stocks/bars?${new URLSearchParams(params).toString()}`;
}

async function walk(harness: Harness, params: Record<string, string>): Promise<{ rows: Array<[string, WireBar]>; pages: number[] }> {
  const rows: Array<[string, WireBar]> = [];
  const pages: number[] = [];
  let token: string | null = null;
  do {
    const reply = await harness.alpaca(barsUrl(token === null ? params : { ...params, page_token: token }));
    expect(reply.status).toBe(200);
    const body = reply.json<MultiBody>();
    let count = 0;
    for (const [symbol, bars] of Object.entries(body.bars)) for (const bar of bars) rows.push([symbol, bar]), count++;
    pages.push(count);
    token = body.next_page_token;
  } while (token !== null);
  return { rows, pages };
}

/** Every minute bar (extended hours included) of the symbols with a start in [fromMs, toMs], by symbol then time. */
function expectedRows(syms: string[], fromMs: number, toMs: number): Array<[string, WireBar]> {
  const dates = h.market.sessions.filter((d) => nyInstant(d, '20:00') >= fromMs && nyInstant(d, '04:00') <= toMs);
  return [...syms].sort().flatMap((symbol) =>
    dates.flatMap((date) =>
      minuteBars(h.market, symbol, date, { extendedHours: true })
        .filter((b) => b.ts >= fromMs && b.ts <= toMs)
        .map((b): [string, WireBar] => [symbol, { t: iso(b.ts), o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume, n: b.trades, vw: b.vwap }]),
    ),
  );
}

describe('GET /v2/stocks/bars?timeframe=1Min', () => {
  it('walks every minute bar exactly once in short pages of ~190–255 bars whatever the limit', async () => {
    const some = symbols.slice(0, 4);
    const [start, end] = ['2026-05-28T00:00:00Z', '2026-06-02T00:00:00Z'];
    const { rows, pages } = await walk(h, { symbols: some.join(','), timeframe: '1Min', start, end, limit: '10000', feed: 'sip' });
    const expected = expectedRows(some, Date.parse(start), Date.parse(end));
    expect(expected.length).toBeGreaterThan(4 * 3 * 390);
    expect(rows).toEqual(expected);
    for (const n of pages.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(190);
      expect(n).toBeLessThanOrEqual(255);
    }
    expect(new Set(pages.slice(0, -1)).size).toBeGreaterThan(1);
    expect(pages.length).toBeGreaterThan(Math.ceil(expected.length / 255));
  });

  it('honours a smaller limit and a configured page cap, and walks newest first with sort=desc', async () => {
    const some = symbols.slice(4, 6);
    const [start, end] = ['2026-05-29T13:00:00Z', '2026-05-29T17:00:00Z'];
    const small = await walk(h, { symbols: some.join(','), timeframe: '1T', start, end, limit: '37' });
    expect(small.rows).toEqual(expectedRows(some, Date.parse(start), Date.parse(end)));
    expect(small.pages.slice(0, -1).every((n) => n === 37)).toBe(true);

    const fixed = await startHarness({ plans: { alpaca: { intradayPageCap: { min: 50, max: 50 } } } });
    try {
      const capped = await walk(fixed, { symbols: some.join(','), timeframe: '1Min', start, end, limit: '1000' });
      expect(capped.pages.slice(0, -1).every((n) => n === 50)).toBe(true);
      expect(capped.rows).toEqual(small.rows);
      const desc = await walk(fixed, { symbols: some.join(','), timeframe: '1Min', start, end, limit: '1000', sort: 'desc' });
      const bySymbol = (s: string): Array<[string, WireBar]> => small.rows.filter(([x]) => x === s).reverse();
      expect(desc.rows).toEqual([...bySymbol(some[0]!), ...bySymbol(some[1]!)]);
    } finally {
      await fixed.sandbox.close();
    }
  });

  it('adds up, over the regular session, to the daily bar, 390 minutes a day and 210 on an early close', async () => {
    const symbol = symbols[7]!;
    for (const date of ['2025-11-26', '2025-11-28']) {
      const session = sessionOf(date)!;
      const { rows } = await walk(h, { symbols: symbol, timeframe: '1Min', start: iso(nyInstant(date, '04:00')), end: iso(nyInstant(date, '19:59')) });
      const regular = rows.map(([, b]) => b).filter((b) => Date.parse(b.t) >= session.openMs && Date.parse(b.t) < session.closeMs);
      expect(regular).toHaveLength(session.earlyClose ? 210 : 390);
      expect(rows.length).toBeGreaterThan(regular.length);
      const daily = (await h.alpaca(barsUrl({ symbols: symbol, timeframe: '1Day', start: date, end: date }))).json<MultiBody>().bars[symbol]![0]!;
      expect({
        o: regular[0]!.o,
        h: Math.max(...regular.map((b) => b.h)),
        l: Math.min(...regular.map((b) => b.l)),
        c: regular.at(-1)!.c,
        v: regular.reduce((s, b) => s + b.v, 0),
      }).toEqual({ o: daily.o, h: daily.h, l: daily.l, c: daily.c, v: daily.v });
    }
  });

  it('reads a bare date as 00:00 UTC, per the notes', async () => {
    const symbol = symbols[2]!;
    const { rows } = await walk(h, { symbols: symbol, timeframe: '1Min', start: '2026-06-02', end: '2026-06-03', feed: 'iex' });
    const times = rows.map(([, b]) => Date.parse(b.t));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2026-06-02T00:00:00Z'));
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse('2026-06-03T00:00:00Z'));
    expect(times.filter((t) => t >= nyInstant('2026-06-02', '09:30') && t < nyInstant('2026-06-02', '16:00'))).toHaveLength(390);
    expect(rows.some(([, b]) => b.t.startsWith('2026-06-03'))).toBe(false);
  });

  it('serves only minutes already over, and IEX volume on request', async () => {
    const symbol = symbols[3]!;
    const params = { symbols: symbol, timeframe: '1Min', start: '2026-06-03T19:00:00Z', end: iso(NOW), feed: 'iex' };
    const { rows } = await walk(h, params);
    const last = Date.parse(rows.at(-1)![1].t);
    expect(last).toBeLessThanOrEqual(NOW - 60_000);
    const truth = minuteBars(h.market, symbol, '2026-06-03', { extendedHours: true }).filter((b) => b.ts >= Date.parse(params.start) && b.ts <= NOW - 60_000);
    expect(rows.map(([, b]) => b.t)).toEqual(truth.map((b) => iso(b.ts)));
    expect(rows.map(([, b]) => b.v)).toEqual(truth.map((b) => Math.max(1, Math.round(b.volume * 0.025))));
    const sip = await h.alpaca(barsUrl({ ...params, feed: 'sip' }));
    expect(sip.status).toBe(403);
  });

  it('refuses a daily token on a minute query and a token of other parameters', async () => {
    const params = { symbols: symbols.slice(0, 2).join(','), timeframe: '1Min', start: '2026-05-28T00:00:00Z', end: '2026-05-29T00:00:00Z' };
    const first = (await h.alpaca(barsUrl(params))).json<MultiBody>();
    const token = first.next_page_token!;
    expect(token).not.toBeNull();
    expect((await h.alpaca(barsUrl({ ...params, end: '2026-05-30T00:00:00Z', page_token: token }))).status).toBe(400);
    const daily = (await h.alpaca(barsUrl({ ...params, timeframe: '1Day', limit: '1' }))).json<MultiBody>();
    expect((await h.alpaca(barsUrl({ ...params, page_token: daily.next_page_token! }))).json()).toEqual({ message: 'invalid page token' });
    expect((await h.alpaca(barsUrl({ ...params, page_token: token }))).status).toBe(200);
  });
});
