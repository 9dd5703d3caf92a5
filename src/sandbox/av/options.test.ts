import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionChain, optionUnderlyings } from '../market/index.js';
import { LAST_SESSION } from '../test-support/harness.js';
import { fixture, shapeOf, startAv, UNLIMITED, type AvHarness } from './test-support/av-harness.js';

type Row = Record<string, string>;
interface OptionsBody {
  endpoint: string;
  message: string;
  data: Row[];
}

let h: AvHarness;
beforeAll(async () => {
  h = await startAv({ plan: UNLIMITED });
});
afterAll(() => h.close());

const EMPTY = fixture<OptionsBody>('historical_options_empty.json');

describe('HISTORICAL_OPTIONS', () => {
  it('serves the generator chain of a symbol and date as the flat list of the capture, every value a string', async () => {
    const underlying = optionUnderlyings(h.market)[0]!;
    const date = '2026-05-20';
    const chain = optionChain(h.market, underlying, date);
    expect(chain.length).toBeGreaterThan(20);
    const body = (await h.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying, date })).json<OptionsBody>();
    expect(body.endpoint).toBe('Historical Options');
    expect(body.message).toBe('success');
    expect(body.data).toHaveLength(chain.length);
    body.data.forEach((row, i) => {
      const q = chain[i]!;
      expect(row).toMatchObject({
        contractID: q.contract,
        symbol: underlying,
        expiration: q.expiration,
        strike: q.strike.toFixed(2),
        type: q.right === 'C' ? 'call' : 'put',
        last: (q.last ?? 0).toFixed(2),
        mark: q.mark.toFixed(2),
        bid: q.bid.toFixed(2),
        ask: q.ask.toFixed(2),
        volume: String(q.volume),
        open_interest: String(q.openInterest),
        date,
        implied_volatility: q.iv.toFixed(5),
        delta: q.delta.toFixed(5),
        gamma: q.gamma.toFixed(5),
        theta: q.theta.toFixed(5),
        vega: q.vega.toFixed(5),
        rho: q.rho.toFixed(5),
      });
      // Sizes are not in the generator: whole contracts, 1–250 on a quoted side, 0 on an empty one.
      for (const [price, size] of [[q.bid, row.bid_size], [q.ask, row.ask_size]] as const) {
        expect(size).toMatch(/^\d+$/);
        if (price > 0) expect(Number(size)).toBeGreaterThanOrEqual(1);
        else expect(size).toBe('0');
        expect(Number(size)).toBeLessThanOrEqual(250);
      }
    });
    expect(chain.some((q) => q.bid === 0)).toBe(true);
    const again = (await h.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying, date })).json<OptionsBody>();
    expect(again.data).toEqual(body.data);
    const theirs = fixture<OptionsBody>('historical_options_IBM_2026-09-24_excerpt.json');
    expect(shapeOf(body)).toEqual(shapeOf(theirs));
    expect(body.data.every((r) => /^[A-Z]+\d{6}[CP]\d{8}$/.test(r.contractID!))).toBe(true);
  });

  it('sorts by expiration, then strike, a call then a put per strike', async () => {
    const underlying = optionUnderlyings(h.market)[1]!;
    const rows = (await h.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying, date: LAST_SESSION })).json<OptionsBody>().data;
    const keys = rows.map((r) => [r.expiration!, Number(r.strike), r.type === 'call' ? 0 : 1] as const);
    const sorted = [...keys].sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
    expect(rows.filter((r) => r.type === 'call')).toHaveLength(rows.length / 2);
  });

  it('defaults the date to the session before today', async () => {
    const underlying = optionUnderlyings(h.market)[0]!;
    // Today is Wednesday 2026-06-03: the previous session is Tuesday 2026-06-02.
    const body = (await h.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying })).json<OptionsBody>();
    expect(new Set(body.data.map((r) => r.date))).toEqual(new Set(['2026-06-02']));
    expect(body.data.map((r) => r.contractID)).toEqual(optionChain(h.market, underlying, '2026-06-02').map((q) => q.contract));
  });

  it('narrows to one expiration or one contract', async () => {
    const underlying = optionUnderlyings(h.market)[0]!;
    const chain = optionChain(h.market, underlying, LAST_SESSION);
    const expiration = chain.at(-1)!.expiration;
    const oneExpiry = (await h.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying, date: LAST_SESSION, expiration })).json<OptionsBody>();
    expect(oneExpiry.data.map((r) => r.contractID)).toEqual(chain.filter((q) => q.expiration === expiration).map((q) => q.contract));
    const contract = chain[3]!.contract;
    const one = (await h.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying, date: LAST_SESSION, contract })).json<OptionsBody>();
    expect(one.data.map((r) => r.contractID)).toEqual([contract]);
  });

  it('answers the empty-result body for symbols without options, weekends and sessions not yet closed', async () => {
    const plain = h.market.symbols.find((s) => !optionUnderlyings(h.market).includes(s.symbol))!.symbol;
    const underlying = optionUnderlyings(h.market)[0]!;
    for (const params of [{ symbol: plain }, { symbol: 'NOPE' }, { symbol: underlying, date: '2026-05-30' }, { symbol: underlying, date: '2026-06-04' }]) {
      expect((await h.query({ function: 'HISTORICAL_OPTIONS', ...params })).json()).toEqual(EMPTY);
    }
  });

  it('answers a missing symbol or a bad date with the invalid-call body', async () => {
    const invalid = { 'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for HISTORICAL_OPTIONS.' };
    const underlying = optionUnderlyings(h.market)[0]!;
    for (const params of [{}, { symbol: underlying, date: '2007-12-31' }, { symbol: underlying, date: '2026-02-30' }, { symbol: underlying, expiration: 'soon' }]) {
      expect((await h.query({ function: 'HISTORICAL_OPTIONS', ...params })).json()).toEqual(invalid);
    }
  });

  it('answers the premium-endpoint body on a plan without historical options', async () => {
    const gated = await startAv({ plan: { ...UNLIMITED, historicalOptions: false } });
    try {
      const underlying = optionUnderlyings(gated.market)[0]!;
      expect((await gated.query({ function: 'HISTORICAL_OPTIONS', symbol: underlying })).json()).toEqual(fixture('info_premium_endpoint.json'));
    } finally {
      await gated.close();
    }
  });
});

describe('REALTIME_OPTIONS', () => {
  it('answers the not-entitled body with its fake sample rows, exactly as captured', async () => {
    const underlying = optionUnderlyings(h.market)[0]!;
    const reply = await h.query({ function: 'REALTIME_OPTIONS', symbol: underlying });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual(fixture('realtime_options_not_entitled.json'));
  });
});
