import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nyDate, sessionOf } from '../../calendar/index.js';
import { optionChain, optionContracts, optionUnderlyings, type SandboxOptionQuote } from '../market/index.js';
import { LAST_SESSION, startHarness, type Harness } from '../test-support/harness.js';
import { fixtureJson, shapeOf } from './test-support/fixtures.js';

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
interface BarsBody {
  bars: Record<string, WireBar[]>;
  next_page_token: string | null;
}
interface Snapshot {
  latestQuote: { ap: number; as: number; ax: string; bp: number; bs: number; bx: string; c: string; t: string };
  latestTrade?: { c: string; p: number; s: number; t: string; x: string };
  greeks?: { delta: number; gamma: number; rho: number; theta: number; vega: number };
  impliedVolatility?: number;
  dailyBar?: WireBar;
  prevDailyBar?: WireBar;
}
interface SnapshotsBody {
  snapshots: Record<string, Snapshot>;
  next_page_token?: string | null;
}

let h: Harness;
let underlying: string;
let chain: SandboxOptionQuote[];

beforeAll(async () => {
  h = await startHarness();
  underlying = optionUnderlyings(h.market)[0]!;
  chain = optionChain(h.market, underlying, LAST_SESSION);
});
afterAll(() => h.sandbox.close());

const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

async function walkChain(path: string, params: Record<string, string>): Promise<{ snapshots: Record<string, Snapshot>; pages: number[] }> {
  const snapshots: Record<string, Snapshot> = {};
  const pages: number[] = [];
  let token: string | null | undefined = null;
  do {
    const reply = await h.alpaca(`${path}?${query(token ? { ...params, page_token: token } : params)}`);
    expect(reply.status).toBe(200);
    const body = reply.json<SnapshotsBody>();
    for (const [symbol, s] of Object.entries(body.snapshots)) {
      expect(snapshots[symbol]).toBeUndefined();
      snapshots[symbol] = s;
    }
    pages.push(Object.keys(body.snapshots).length);
    token = body.next_page_token;
  } while (token);
  return { snapshots, pages };
}

async function walkBars(params: Record<string, string>): Promise<{ rows: Array<[string, WireBar]>; pages: number[] }> {
  const rows: Array<[string, WireBar]> = [];
  const pages: number[] = [];
  let token: string | null = null;
  do {
    const reply = await h.alpaca(`/v1beta1/options/bars?${query(token === null ? params : { ...params, page_token: token })}`);
    expect(reply.status).toBe(200);
    const body = reply.json<BarsBody>();
    let count = 0;
    for (const [symbol, bars] of Object.entries(body.bars)) for (const bar of bars) rows.push([symbol, bar]), count++;
    pages.push(count);
    token = body.next_page_token;
  } while (token !== null);
  return { rows, pages };
}

/** Our snapshot has every member the fixture's has, with the same shape; any other member is one of `optional`, shaped as given there. */
function expectFixtureShape(ours: Snapshot, fixture: Record<string, unknown>, optional: Record<string, unknown>): void {
  const shape = shapeOf(ours) as Record<string, unknown>;
  for (const [key, value] of Object.entries(shapeOf(fixture) as Record<string, unknown>)) expect(shape[key]).toEqual(value);
  for (const key of Object.keys(shape).filter((k) => !(k in fixture))) {
    expect(Object.keys(optional)).toContain(key);
    expect(shape[key]).toEqual(optional[key]);
  }
}

describe('GET /v1beta1/options/snapshots/{underlying}', () => {
  it("serves the generator's chain of the last session, every contract once across pages", async () => {
    const { snapshots, pages } = await walkChain(`/v1beta1/options/snapshots/${underlying}`, { limit: '7' });
    expect(Object.keys(snapshots).sort()).toEqual(chain.map((q) => q.contract).sort());
    expect(pages.slice(0, -1).every((n) => n === 7)).toBe(true);
    for (const q of chain) {
      const s = snapshots[q.contract]!;
      expect([s.latestQuote.bp, s.latestQuote.ap]).toEqual([q.bid, q.ask]);
      expect(Date.parse(s.latestQuote.t)).toBeLessThanOrEqual(sessionOf(LAST_SESSION)!.closeMs);
      if (q.bid > 0) {
        expect(s.greeks).toEqual({ delta: q.delta, gamma: q.gamma, rho: q.rho, theta: q.theta, vega: q.vega });
        expect(s.impliedVolatility).toBe(q.iv);
      } else {
        expect(s.greeks).toBeUndefined();
        expect(s.impliedVolatility).toBeUndefined();
      }
      if (q.last !== null) {
        expect(s.latestTrade!.p).toBe(q.last);
        expect(s.dailyBar).toMatchObject({ t: `${LAST_SESSION}T04:00:00Z`, c: q.last, v: q.volume });
      } else {
        expect(s.dailyBar).toBeUndefined();
      }
    }
    expect(chain.some((q) => q.bid === 0) && chain.some((q) => q.bid > 0)).toBe(true);
  });

  it('has the members and types of the vendor fixtures', async () => {
    const { snapshots } = await walkChain(`/v1beta1/options/snapshots/${underlying}`, { limit: '1000' });
    const withGreeks = fixtureJson<SnapshotsBody>('option_chain_last_page.json');
    const quoteOnly = fixtureJson<SnapshotsBody>('option_snapshots_latest_quote_only.json');
    const bar = shapeOf(fixtureJson<BarsBody>('option_bars_multi_last_page.json').bars.SPY240426C00550000![0]);
    const fullFixture = Object.values(withGreeks.snapshots)[0] as unknown as Record<string, unknown>;
    const bareFixture = Object.values(quoteOnly.snapshots)[0] as unknown as Record<string, unknown>;
    const optional = { dailyBar: bar, prevDailyBar: bar, latestTrade: (shapeOf(fullFixture) as Record<string, unknown>).latestTrade };
    const traded = Object.values(snapshots).find((s) => s.greeks && s.latestTrade && s.dailyBar && s.prevDailyBar)!;
    expectFixtureShape(traded, fullFixture, optional);
    const noBid = Object.values(snapshots).find((s) => !s.greeks)!;
    expectFixtureShape(noBid, bareFixture, optional);
    const first = await h.alpaca(`/v1beta1/options/snapshots/${underlying}?limit=1000`);
    expect(Object.keys(first.json<SnapshotsBody>()).sort()).toEqual(['next_page_token', 'snapshots']);
    expect(first.json<SnapshotsBody>().next_page_token).toBeNull();
  });

  it('filters by type, strike, expiration and root symbol', async () => {
    const expirations = [...new Set(chain.map((q) => q.expiration))].sort();
    const strikes = chain.map((q) => q.strike).sort((a, b) => a - b);
    const [lo, hi] = [strikes[Math.floor(strikes.length / 4)]!, strikes[Math.floor((3 * strikes.length) / 4)]!];
    const cases: Array<[Record<string, string>, (q: SandboxOptionQuote) => boolean]> = [
      [{ type: 'put' }, (q) => q.right === 'P'],
      [{ type: 'call', strike_price_gte: String(lo), strike_price_lte: String(hi) }, (q) => q.right === 'C' && q.strike >= lo && q.strike <= hi],
      [{ expiration_date: expirations[1]! }, (q) => q.expiration === expirations[1]],
      [{ expiration_date_gte: expirations[1]!, expiration_date_lte: expirations[2]! }, (q) => q.expiration >= expirations[1]! && q.expiration <= expirations[2]!],
      [{ root_symbol: underlying.replace(/[^A-Z0-9]/g, '') }, () => true],
      [{ root_symbol: 'NOPE' }, () => false],
    ];
    for (const [params, keep] of cases) {
      const { snapshots } = await walkChain(`/v1beta1/options/snapshots/${underlying}`, { ...params, limit: '1000' });
      expect(Object.keys(snapshots).sort()).toEqual(chain.filter(keep).map((q) => q.contract).sort());
    }
    expect((await h.alpaca(`/v1beta1/options/snapshots/${underlying}?type=both`)).status).toBe(400);
    expect((await h.alpaca(`/v1beta1/options/snapshots/${underlying}?expiration_date_gte=2026-13-01`)).status).toBe(400);
  });

  it('defaults to 100 a page, allows up to 1000, and answers an unoptioned symbol with an empty map', async () => {
    const body = (await h.alpaca(`/v1beta1/options/snapshots/${underlying}`)).json<SnapshotsBody>();
    expect(Object.keys(body.snapshots)).toHaveLength(Math.min(100, chain.length));
    expect(chain.length).toBeGreaterThan(100);
    expect(body.next_page_token).toEqual(expect.any(String));
    expect((await h.alpaca(`/v1beta1/options/snapshots/${underlying}?limit=1001`)).status).toBe(400);
    const plain = h.market.symbols.find((s) => !optionUnderlyings(h.market).includes(s.symbol))!.symbol;
    expect((await h.alpaca(`/v1beta1/options/snapshots/${plain}`)).text).toBe('{"snapshots":{},"next_page_token":null}');
    expect((await h.alpaca('/v1beta1/options/snapshots/BF-B')).json()).toEqual({ message: 'invalid symbol: BF-B' });
  });

  it('refuses the OPRA feed on the free plan with the subscription 403, and serves it when the plan has it', async () => {
    const opra = await h.alpaca(`/v1beta1/options/snapshots/${underlying}?feed=opra`);
    expect(opra.status).toBe(403);
    expect(opra.text).toBe('{"message":"subscription does not permit querying OPRA data"}');
    expect((await h.alpaca(`/v1beta1/options/snapshots/${underlying}?feed=indicative`)).status).toBe(200);
    expect((await h.alpaca(`/v1beta1/options/snapshots/${underlying}?feed=sip`)).status).toBe(400);
    const paid = await startHarness({ plans: { alpaca: { opra: true } } });
    try {
      const reply = await paid.alpaca(`/v1beta1/options/snapshots/${underlying}?feed=opra&limit=1000`);
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.json<SnapshotsBody>().snapshots)).toHaveLength(chain.length);
    } finally {
      await paid.sandbox.close();
    }
  });
});

describe('GET /v1beta1/options/snapshots?symbols=', () => {
  it('answers the named live contracts and leaves unknown or expired ones out', async () => {
    const tradedWithBid = chain.find((q) => q.bid > 0 && q.last !== null)!;
    const live = [tradedWithBid.contract, chain.find((q) => q !== tradedWithBid)!.contract];
    const expired = optionContracts(h.market, underlying, '2026-01-30', { expired: true })[0]!.contract;
    const unknown = 'ZZZZ260619C00100000';
    const body = (await h.alpaca(`/v1beta1/options/snapshots?symbols=${[unknown, ...live, expired].join(',')}`)).json<SnapshotsBody>();
    expect(Object.keys(body.snapshots).sort()).toEqual([...live].sort());
    const fixture = Object.values(fixtureJson<SnapshotsBody>('option_snapshots_with_greeks.json').snapshots)[0] as unknown as Record<string, unknown>;
    const full = shapeOf(body.snapshots[tradedWithBid.contract]) as Record<string, unknown>;
    for (const [key, shape] of Object.entries(shapeOf(fixture) as Record<string, unknown>)) expect(full[key]).toEqual(shape);
    const { snapshots, pages } = await walkChain('/v1beta1/options/snapshots', { symbols: chain.map((q) => q.contract).join(','), limit: '25' });
    expect(Object.keys(snapshots).sort()).toEqual(chain.map((q) => q.contract).sort());
    expect(pages.slice(0, -1).every((n) => n === 25)).toBe(true);
    expect((await h.alpaca(`/v1beta1/options/snapshots?symbols=${live[0]!},AAPL-240119C00100000`)).json()).toEqual({ message: 'invalid symbol: AAPL-240119C00100000' });
    expect((await h.alpaca('/v1beta1/options/snapshots')).status).toBe(400);
  });
});

describe('GET /v1beta1/options/bars', () => {
  /** Contracts of the chain that traded most days, several expirations. */
  const pick = (n: number): SandboxOptionQuote[] => [...chain].sort((a, b) => b.openInterest - a.openInterest || (a.contract < b.contract ? -1 : 1)).slice(0, n);

  it('serves a daily bar on every session a contract traded, closing at its last trade, every bar once', async () => {
    const contracts = pick(6).map((q) => q.contract).sort();
    const { rows, pages } = await walkBars({ symbols: contracts.join(','), timeframe: '1Day', start: '2026-01-01', end: LAST_SESSION, limit: '9' });
    expect(pages.slice(0, -1).every((n) => n === 9)).toBe(true);
    expect(rows.map(([s]) => s)).toEqual([...rows.map(([s]) => s)].sort());
    expect(new Set(rows.map(([s, b]) => `${s}|${b.t}`)).size).toBe(rows.length);
    const chains = new Map<string, SandboxOptionQuote[]>();
    const chainOn = (d: string): SandboxOptionQuote[] => chains.get(d) ?? chains.set(d, optionChain(h.market, underlying, d)).get(d)!;
    for (const symbol of contracts) {
      const c = chain.find((q) => q.contract === symbol)!;
      const traded = h.market.sessions
        .filter((d) => d >= c.listDate && d <= LAST_SESSION)
        .map((d) => chainOn(d).find((q) => q.contract === symbol)!)
        .filter((q) => q.volume > 0);
      const bars = rows.filter(([s]) => s === symbol).map(([, b]) => b);
      expect(bars.map((b) => nyDate(Date.parse(b.t)))).toEqual(traded.map((q) => q.date));
      expect(bars.map((b) => [b.c, b.v])).toEqual(traded.map((q) => [q.last, q.volume]));
      for (const b of bars) expect(b.h >= Math.max(b.o, b.c) && b.l <= Math.min(b.o, b.c) && b.vw >= b.l && b.vw <= b.h).toBe(true);
    }
    const fixtureBar = fixtureJson<BarsBody>('option_bars_page1_next_token.json').bars.SPY240426C00555000![0];
    expect(shapeOf(rows[0]![1])).toEqual(shapeOf(fixtureBar));
  });

  it('cuts hourly bars that add up to the daily bar, in capped pages', async () => {
    const contracts = pick(3).map((q) => q.contract);
    const params = { symbols: contracts.join(','), start: '2026-05-01T00:00:00Z', end: '2026-06-04T00:00:00Z' };
    const hourly = await walkBars({ ...params, timeframe: '1Hour', limit: '10000' });
    const daily = await walkBars({ ...params, timeframe: '1Day' });
    expect(hourly.pages.length).toBeGreaterThan(1);
    expect(hourly.pages.slice(0, -1).every((n) => n >= 190 && n <= 255)).toBe(true);
    expect(new Set(hourly.rows.map(([s, b]) => `${s}|${b.t}`)).size).toBe(hourly.rows.length);
    for (const [symbol, day] of daily.rows) {
      const date = nyDate(Date.parse(day.t));
      const hours = hourly.rows.filter(([s, b]) => s === symbol && nyDate(Date.parse(b.t)) === date).map(([, b]) => b);
      const session = sessionOf(date)!;
      expect(hours.length).toBeGreaterThan(0);
      expect(hours.every((b) => Date.parse(b.t) >= session.openMs - 30 * 60_000 && Date.parse(b.t) < session.closeMs)).toBe(true);
      expect({ o: hours[0]!.o, h: Math.max(...hours.map((b) => b.h)), l: Math.min(...hours.map((b) => b.l)), c: hours.at(-1)!.c, v: hours.reduce((s, b) => s + b.v, 0) })
        .toEqual({ o: day.o, h: day.h, l: day.l, c: day.c, v: day.v });
    }
    expect(hourly.rows.filter(([, b]) => b.t.endsWith('T13:00:00Z')).length).toBeGreaterThan(0);
  });

  it('starts options history in February 2024', async () => {
    const early = optionContracts(h.market, underlying, '2024-01-10').filter((c) => c.expiration >= '2024-02-16' && c.expiration <= '2024-03-15');
    const { rows } = await walkBars({ symbols: early.slice(0, 50).map((c) => c.contract).join(','), timeframe: '1Day', start: '2024-01-02', end: '2024-03-31', limit: '10000' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every(([, b]) => b.t >= '2024-02-01')).toBe(true);
  });

  it('validates symbols (at most 100), timeframe and limit; unknown contracts are absent', async () => {
    const many = optionContracts(h.market, underlying, LAST_SESSION).slice(0, 101).map((c) => c.contract);
    expect(many).toHaveLength(101);
    const tooMany = await h.alpaca(`/v1beta1/options/bars?${query({ symbols: many.join(','), timeframe: '1Day' })}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toEqual({ message: 'too many symbols: at most 100 are allowed' });
    expect((await h.alpaca(`/v1beta1/options/bars?${query({ symbols: many.slice(0, 100).join(','), timeframe: '1Day' })}`)).status).toBe(200);
    expect((await h.alpaca(`/v1beta1/options/bars?${query({ symbols: 'O:' + many[0]!, timeframe: '1Day' })}`)).json()).toEqual({ message: `invalid symbol: O:${many[0]!}` });
    expect((await h.alpaca(`/v1beta1/options/bars?${query({ symbols: many[0]!, timeframe: '1Min' })}`)).json()).toEqual({ message: 'invalid timeframe' });
    expect((await h.alpaca(`/v1beta1/options/bars?${query({ symbols: many[0]!, timeframe: '1Day', limit: '0' })}`)).status).toBe(400);
    const unknown = await h.alpaca(`/v1beta1/options/bars?${query({ symbols: 'ZZZZ260619C00100000', timeframe: '1Day', start: '2026-01-01' })}`);
    expect(unknown.text).toBe('{"bars":{},"next_page_token":null}');
  });
});
