import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousSession } from '../../calendar/index.js';
import { VirtualClock } from '../../clock/index.js';
import { optionChain, optionUnderlyings, type SandboxOptionQuote } from '../market/index.js';
import { LAST_SESSION, NOW, testMarket } from '../test-support/harness.js';
import { createFinnhubEmulator, FINNHUB_FREE_PLAN, type FinnhubEmulatorOptions } from './index.js';
import { serveEmulator, type ServedEmulator } from './test-support/serve.js';

const FIXTURES = new URL('./test-support/fixtures/', import.meta.url);
const fixtureText = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8').trim();
const fixture = <T>(name: string): T => JSON.parse(fixtureText(name)) as T;

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json<T>(): T;
}

const KEY = 'fhtestkey';
const market = testMarket();
const underlyings = optionUnderlyings(market);

interface Server {
  clock: VirtualClock;
  served: ServedEmulator;
  get(pathAndQuery: string, auth?: { token?: string | null; header?: string }): Promise<Reply>;
}

const servers: ServedEmulator[] = [];

async function start(options: Partial<FinnhubEmulatorOptions> = {}): Promise<Server> {
  const clock = new VirtualClock({ start: NOW });
  const served = await serveEmulator(createFinnhubEmulator({ market, clock, credentials: { apiKey: KEY }, ...options }));
  servers.push(served);
  return {
    clock,
    served,
    get: async (pathAndQuery, auth = {}) => {
      const url = new URL(`${served.baseUrl}${pathAndQuery}`);
      const token = auth.token === undefined && auth.header === undefined ? KEY : auth.token;
      if (token !== undefined && token !== null) url.searchParams.set('token', token);
      const res = await fetch(url, { headers: auth.header === undefined ? {} : { 'X-Finnhub-Token': auth.header } });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
    },
  };
}

/** Every key of `expected` is present in `actual` with the same JSON type. */
function expectSameShape(actual: Json, expected: Json): void {
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  for (const [key, value] of Object.entries(expected)) {
    expect(Object.keys(actual), key).toContain(key);
    expect(kind(actual[key]), key).toBe(kind(value));
  }
}

let free: Server;
let premium: Server;

beforeAll(async () => {
  free = await start({ plan: { requestsPerMinute: Infinity, requestsPerSecond: Infinity } });
  premium = await start({ plan: { requestsPerMinute: Infinity, requestsPerSecond: Infinity, candles: true, splits: true, dividends: true } });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface WireContract extends Json {
  contractName: string;
  expirationDate: string;
  strike: number;
  type: string;
  lastPrice: number;
  bid: number;
  ask: number;
  volume: number;
  openInterest: number;
  impliedVolatility: number;
  delta: number;
  theta: number;
  inTheMoney: string;
  contractPeriod: string;
}
interface WireExpiry extends Json {
  expirationDate: string;
  callVolume: number;
  putVolume: number;
  callOpenInterest: number;
  optionsCount: number;
  options: { CALL: WireContract[]; PUT: WireContract[] };
}
interface WireChain extends Json {
  code: string;
  lastTradeDate: string;
  lastTradePrice: number;
  data: WireExpiry[];
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

describe('GET /stock/option-chain', () => {
  const u = underlyings[0]!;

  it('has the fixture shape: top level, per-expiry groups and contracts', async () => {
    const reply = await free.get(`/stock/option-chain?symbol=${u}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    const body = reply.json<WireChain>();
    const shape = fixture<WireChain>('option_chain_AAPL_RECONSTRUCTED.json');
    expect(Object.keys(body)).toEqual(Object.keys(shape));
    expectSameShape(body, shape);
    const group = shape.data[0]!;
    const contract = fixture<WireContract>('option_chain_contract_AAPL220121C00110000.json');
    for (const g of body.data) {
      expect(Object.keys(g)).toEqual(Object.keys(group));
      expectSameShape(g, group);
      for (const c of [...g.options.CALL, ...g.options.PUT]) {
        expect(Object.keys(c).filter((k) => k !== 'contractPeriod')).toEqual(Object.keys(contract));
        expectSameShape(c, contract);
        expect(['WEEKLY', 'MONTHLY']).toContain(c.contractPeriod);
        expect(['TRUE', 'FALSE']).toContain(c.inTheMoney);
      }
    }
  });

  it('serves the sandbox chain of the last completed session, grouped by expiry', async () => {
    const body = (await free.get(`/stock/option-chain?symbol=${u}`)).json<WireChain>();
    const quotes = optionChain(market, u, LAST_SESSION);
    expect(body).toMatchObject({ code: u, exchange: 'US', lastTradeDate: LAST_SESSION, lastTradePrice: market.bar(u, LAST_SESSION)!.close });
    expect(body.data.map((g) => g.expirationDate)).toEqual([...new Set(quotes.map((q) => q.expiration))]);
    const wire = new Map(body.data.flatMap((g) => [...g.options.CALL, ...g.options.PUT]).map((c) => [c.contractName, c]));
    expect(wire.size).toBe(quotes.length);
    for (const q of quotes) {
      const c = wire.get(q.contract)!;
      expect(c).toMatchObject({
        expirationDate: q.expiration,
        strike: q.strike,
        type: q.right === 'C' ? 'CALL' : 'PUT',
        bid: q.bid,
        ask: q.ask,
        lastPrice: q.last ?? 0,
        volume: q.volume,
        openInterest: q.openInterest,
        impliedVolatility: round4(q.iv),
        // JSON has no negative zero: a greek that rounds to -0 arrives as 0.
        delta: round4(q.delta) + 0,
        theta: round4(q.theta) + 0,
      });
    }
    for (const g of body.data) {
      expect(g.options.CALL.every((c) => c.type === 'CALL' && c.expirationDate === g.expirationDate)).toBe(true);
      expect(g.callVolume).toBe(g.options.CALL.reduce((s, c) => s + c.volume, 0));
      expect(g.putVolume).toBe(g.options.PUT.reduce((s, c) => s + c.volume, 0));
      expect(g.callOpenInterest).toBe(g.options.CALL.reduce((s, c) => s + c.openInterest, 0));
      expect(g.optionsCount).toBe(g.options.CALL.length + g.options.PUT.length);
    }
  });

  it('moves to the next session only once it has closed', async () => {
    const server = await start({ plan: { requestsPerMinute: Infinity } });
    server.clock.advanceTo(Date.parse('2026-06-04T19:59:00Z')); // 15:59 New York
    expect((await server.get(`/stock/option-chain?symbol=${u}`)).json<WireChain>().lastTradeDate).toBe(LAST_SESSION);
    server.clock.advanceTo(Date.parse('2026-06-04T20:00:00Z'));
    const body = (await server.get(`/stock/option-chain?symbol=${u}`)).json<WireChain>();
    expect(body.lastTradeDate).toBe('2026-06-04');
    expect(body.data.flatMap((g) => g.options.CALL).map((c) => c.contractName)).toEqual(
      optionChain(market, u, '2026-06-04').filter((q: SandboxOptionQuote) => q.right === 'C').map((q) => q.contract),
    );
  });

  it('can speak the 2020 units: IV in percent', async () => {
    const server = await start({ plan: { requestsPerMinute: Infinity }, optionChainUnits: 2020 });
    const body = (await server.get(`/stock/option-chain?symbol=${u}`)).json<WireChain>();
    const first = optionChain(market, u, LAST_SESSION)[0]!;
    expect(body.data[0]!.options.CALL[0]!.impliedVolatility).toBe(round4(first.iv * 100));
  });

  it('answers {} for a symbol without options, 422 without a symbol, 403 when the plan lacks it', async () => {
    const plain = market.symbols.find((s) => !underlyings.includes(s.symbol))!.symbol;
    expect((await free.get(`/stock/option-chain?symbol=${plain}`)).text).toBe('{}');
    expect((await free.get('/stock/option-chain?symbol=NOPE')).text).toBe('{}');
    expect((await free.get('/stock/option-chain')).status).toBe(422);
    const withdrawn = await start({ plan: { optionChain: false } });
    const reply = await withdrawn.get(`/stock/option-chain?symbol=${u}`);
    expect(reply.status).toBe(403);
    expect(reply.text).toBe(fixtureText('error_403_no_access.json'));
  });
});

describe('GET /stock/symbol', () => {
  interface WireSymbol extends Json {
    symbol: string;
    mic: string;
    type: string;
  }

  it('lists every symbol listed today with the fixture fields, and no delisted one', async () => {
    const rows = (await free.get('/stock/symbol?exchange=US')).json<WireSymbol[]>();
    const listed = market.symbols.filter((s) => s.listDate <= LAST_SESSION && (s.delistDate === null || s.delistDate > LAST_SESSION));
    expect(rows.map((r) => r.symbol)).toEqual(listed.map((s) => s.symbol));
    expect(listed.length).toBeLessThan(market.symbols.length);
    const sample = fixture<WireSymbol[]>('stock_symbol_US_sample.json')[1]!;
    for (const r of rows) expectSameShape(r, sample);
    const first = rows[0]!;
    const info = market.symbol(first.symbol)!;
    expect(first).toMatchObject({ currency: 'USD', description: info.name.toUpperCase(), displaySymbol: info.symbol, mic: info.exchange });
    expect(first.figi).toMatch(/^BBG[0-9B-Z]{9}$/);
  });

  it('filters by mic and security type; requires the exchange', async () => {
    const nyse = (await free.get('/stock/symbol?exchange=US&mic=XNYS')).json<WireSymbol[]>();
    expect(nyse.length).toBeGreaterThan(0);
    expect(nyse.every((r) => r.mic === 'XNYS')).toBe(true);
    const funds = (await free.get('/stock/symbol?exchange=US&securityType=ETP')).json<WireSymbol[]>();
    expect(funds.every((r) => market.symbol(r.symbol)!.type === 'ETF')).toBe(true);
    expect((await free.get('/stock/symbol')).status).toBe(422);
    expect((await free.get('/stock/symbol?exchange=L')).text).toBe('[]');
  });
});

describe('premium endpoints', () => {
  const split = market.splits.find((s) => s.newShares > s.oldShares && s.exDate < LAST_SESSION)!;
  const seconds = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 1000;

  it('answer a free key with the exact 403 no-access body', async () => {
    for (const path of [`/stock/candle?symbol=${split.symbol}&resolution=D&from=0&to=${seconds(LAST_SESSION)}`, `/stock/split?symbol=${split.symbol}&from=2020-01-01&to=2026-12-31`, '/stock/dividend?symbol=X&from=2020-01-01&to=2026-01-01']) {
      const reply = await free.get(path);
      expect(reply.status).toBe(403);
      expect(reply.text).toBe(fixtureText('error_403_no_access.json'));
    }
  });

  it('serves split-adjusted daily candles, t at 00:00 UTC, when the plan has them', async () => {
    const before = previousSession(split.exDate);
    const reply = await premium.get(`/stock/candle?symbol=${split.symbol}&resolution=D&from=${seconds(before) + 3600}&to=${seconds(split.exDate)}`);
    const body = reply.json<{ c: number[]; o: number[]; v: number[]; t: number[]; s: string }>();
    expect(Object.keys(body)).toEqual(Object.keys(fixture<Json>('stock_candle_ok_AAPL_D.json')));
    expectSameShape(body, fixture<Json>('stock_candle_ok_AAPL_D.json'));
    expect(body.t).toEqual([seconds(before), seconds(split.exDate)]);
    const ratio = split.newShares / split.oldShares;
    const raw = market.bar(split.symbol, before)!;
    expect(body.c[0]).toBeCloseTo(raw.close / ratio, 4);
    expect(body.v[0]).toBe(Math.round(raw.volume * ratio));
    expect(body.c[1]).toBe(market.bar(split.symbol, split.exDate)!.close);
  });

  it('answers no_data exactly for an empty window, an unknown symbol or an intraday resolution', async () => {
    const nothing = fixtureText('stock_candle_no_data.json');
    expect((await premium.get(`/stock/candle?symbol=${split.symbol}&resolution=D&from=${seconds('2026-06-06')}&to=${seconds('2026-06-07')}`)).text).toBe(nothing);
    expect((await premium.get(`/stock/candle?symbol=NOPE&resolution=D&from=0&to=${seconds(LAST_SESSION)}`)).text).toBe(nothing);
    expect((await premium.get(`/stock/candle?symbol=${split.symbol}&resolution=5&from=0&to=${seconds(LAST_SESSION)}`)).text).toBe(nothing);
    // Bars after the last completed session do not exist yet.
    const late = (await premium.get(`/stock/candle?symbol=${split.symbol}&resolution=D&from=${seconds(LAST_SESSION)}&to=${seconds('2026-06-30')}`)).json<{ t: number[] }>();
    expect(late.t).toEqual([seconds(LAST_SESSION)]);
    expect((await premium.get(`/stock/candle?symbol=${split.symbol}&resolution=D&from=x&to=1`)).status).toBe(422);
  });

  it('serves splits as fromFactor/toFactor on the ex-date when the plan has them', async () => {
    const rows = (await premium.get(`/stock/split?symbol=${split.symbol}&from=2024-01-01&to=2026-12-31`)).json<Json[]>();
    expect(rows).toContainEqual({ symbol: split.symbol, date: split.exDate, fromFactor: split.oldShares, toFactor: split.newShares });
    for (const r of rows) expect(Object.keys(r)).toEqual(Object.keys(fixture<Json[]>('stock_split_AAPL.json')[0]!));
    expect((await premium.get(`/stock/split?symbol=${split.symbol}&from=2024-01-01`)).status).toBe(422);
  });

  it('serves dividends with the fixture fields when the plan has them', async () => {
    const d = market.dividends.find((x) => x.declaredDate < LAST_SESSION)!;
    const rows = (await premium.get(`/stock/dividend?symbol=${d.symbol}&from=2024-01-01&to=2026-12-31`)).json<Json[]>();
    expect(rows).toContainEqual(expect.objectContaining({ symbol: d.symbol, date: d.exDate, amount: d.cash, payDate: d.payDate }));
    const sample = fixture<Json[]>('stock_dividend_AAPL.json')[0]!;
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(Object.keys(sample));
      expectSameShape(r, sample);
    }
  });
});

describe('GET /stock/profile2 and /quote', () => {
  it('profiles a listed common stock with the fixture fields; {} for funds and unknown symbols', async () => {
    const cs = market.symbols.find((s) => s.type === 'CS' && s.delistDate === null)!;
    const body = (await free.get(`/stock/profile2?symbol=${cs.symbol}`)).json<Json>();
    const sample = fixture<Json>('stock_profile2_AAPL.json');
    expect(Object.keys(body)).toEqual(Object.keys(sample));
    expectSameShape(body, sample);
    expect(body).toMatchObject({ ticker: cs.symbol, name: cs.name, ipo: cs.listDate });
    const etf = market.symbols.find((s) => s.type === 'ETF')!;
    expect((await free.get(`/stock/profile2?symbol=${etf.symbol}`)).text).toBe('{}');
    expect((await free.get('/stock/profile2?symbol=NOPE')).text).toBe('{}');
  });

  it('quotes the last completed session, zeros for an unknown symbol', async () => {
    const u = underlyings[0]!;
    const body = (await free.get(`/quote?symbol=${u}`)).json<Json>();
    expect(body.c).toBe(market.bar(u, LAST_SESSION)!.close);
    expect(body.pc).toBe(market.bar(u, previousSession(LAST_SESSION))!.close);
    expect(body.t).toBe(Date.parse('2026-06-03T20:00:00Z') / 1000);
    expect((await free.get('/quote?symbol=NOPE')).json<Json>()).toEqual({ c: 0, d: 0, dp: 0, h: 0, l: 0, o: 0, pc: 0, t: 0 });
  });
});

describe('authentication', () => {
  it('accepts the token as a query parameter or an X-Finnhub-Token header', async () => {
    expect((await free.get('/quote?symbol=NOPE', { token: KEY })).status).toBe(200);
    expect((await free.get('/quote?symbol=NOPE', { header: KEY })).status).toBe(200);
  });

  it('refuses a missing token with the no-access text and a wrong one as an invalid key, both 401', async () => {
    const missing = await free.get('/quote?symbol=X', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.text).toBe('{"error":"You don\'t have access to this resource."}');
    const wrong = await free.get('/quote?symbol=X', { token: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe('{"error":"Invalid API key."}');
    expect((await free.get('/quote?symbol=X', { header: 'nope' })).status).toBe(401);
  });

  it('answers unknown paths with an HTML 404 and needs the /api/v1 prefix', async () => {
    const reply = await free.get('/stock/nothing-here');
    expect(reply.status).toBe(404);
    expect(reply.text.startsWith('<!DOCTYPE html>')).toBe(true);
    const bare = await fetch(`${free.served.baseUrl.replace('/api/v1', '')}/quote?symbol=X&token=${KEY}`);
    expect(bare.status).toBe(404);
  });
});

describe('rate limits', () => {
  it('answers the 61st request in a minute with the exact 429 body, and recovers as the window slides', async () => {
    const server = await start();
    expect(FINNHUB_FREE_PLAN.requestsPerMinute).toBe(60);
    const t0 = server.clock.now();
    for (let i = 0; i < 60; i++) {
      const reply = await server.get('/quote?symbol=NOPE');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(59 - i));
      server.clock.advanceBy(500);
    }
    const limited = await server.get('/quote?symbol=NOPE');
    expect(limited.status).toBe(429);
    expect(limited.text).toBe(fixtureText('error_429_rate_limit.json'));
    expect(limited.headers.get('x-ratelimit-limit')).toBe('60');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((t0 + 60_000) / 1000)));
    // The rejected call counts too: once the first two calls leave the window a slot is free again.
    server.clock.advanceTo(t0 + 60_500 + 1);
    expect((await server.get('/quote?symbol=NOPE')).status).toBe(200);
    expect((await server.get('/quote?symbol=NOPE')).status).toBe(429);
  });

  it('caps bursts at 30 requests a second on top of the minute limit', async () => {
    const server = await start({ plan: { requestsPerMinute: 1000 } });
    const replies = await Promise.all(Array.from({ length: 31 }, () => server.get('/quote?symbol=NOPE')));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(30);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.text).toBe(fixtureText('error_429_rate_limit.json'));
    server.clock.advanceBy(1_001);
    expect((await server.get('/quote?symbol=NOPE')).status).toBe(200);
  });

  it('keeps one window per key and does not count refused credentials', async () => {
    const server = await start({ credentials: undefined, plan: { requestsPerMinute: 2 } });
    for (let i = 0; i < 3; i++) await server.get('/quote?symbol=X', { token: null });
    expect((await server.get('/quote?symbol=X', { token: 'a' })).status).toBe(200);
    expect((await server.get('/quote?symbol=X', { token: 'a' })).status).toBe(200);
    expect((await server.get('/quote?symbol=X', { token: 'a' })).status).toBe(429);
    expect((await server.get('/quote?symbol=X', { token: 'b' })).status).toBe(200);
  });
});
