import { describe, expect, it } from 'vitest';
import { addDays, isSession, nextSession, previousSession, sessionDatesBetween } from '../../calendar/index.js';
import { createMarket, expiryPeriodOf, optionChain, optionContracts, optionUnderlyings, OPTION_RATE, type SandboxOptionQuote } from './index.js';

const WINDOW = { start: '2024-01-02', end: '2026-06-30' };
const market = createMarket({ seed: 5, symbols: 60, ...WINDOW });
const underlyings = optionUnderlyings(market);
const OCC_RE = /^([A-Z0-9]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The Friday of an expiration's week (expirations fall on Friday or, before a holiday, Thursday). */
function fridayOf(expiration: string): string {
  return weekday(expiration) === 4 ? addDays(expiration, 1) : expiration;
}

/** Calls and puts of one (expiration, strike), paired. */
function pairs(chain: SandboxOptionQuote[]): Array<[SandboxOptionQuote, SandboxOptionQuote]> {
  const calls = new Map(chain.filter((q) => q.right === 'C').map((q) => [`${q.expiration}|${q.strike}`, q]));
  return chain.filter((q) => q.right === 'P').map((p) => [calls.get(`${p.expiration}|${p.strike}`) as SandboxOptionQuote, p]);
}

describe('optionUnderlyings', () => {
  it('picks ~20 % of the never-delisted symbols, the highest-priced included, sorted', () => {
    expect(underlyings).toHaveLength(12);
    expect([...underlyings].sort()).toEqual(underlyings);
    const lastClose = (s: string): number => market.barsOf(s).at(-1)!.bar.close;
    const listed = market.symbols.filter((s) => s.delistDate === null).map((s) => s.symbol);
    const highest = [...listed].sort((a, b) => lastClose(b) - lastClose(a))[0]!;
    expect(underlyings).toContain(highest);
    for (const u of underlyings) expect(market.symbol(u)!.delistDate).toBeNull();
  });

  it('always offers at least three, and depends on the seed only', () => {
    const tiny = createMarket({ seed: 9, symbols: 4, ...WINDOW });
    expect(optionUnderlyings(tiny).length).toBeGreaterThanOrEqual(3);
    expect(optionUnderlyings(createMarket({ seed: 5, symbols: 60, ...WINDOW }))).toEqual(underlyings);
  });
});

describe('optionChain', () => {
  const date = '2026-06-03';
  const chain = optionChain(market, underlyings[0]!, date);

  it('is a pure function of the seed and differs with another seed', () => {
    const again = createMarket({ seed: 5, symbols: 60, ...WINDOW });
    expect(optionChain(again, underlyings[0]!, date)).toEqual(chain);
    const other = createMarket({ seed: 6, symbols: 60, ...WINDOW });
    const u = optionUnderlyings(other)[0]!;
    expect(optionChain(other, u, date).map((q) => q.mark)).not.toEqual(chain.map((q) => q.mark));
  });

  it('names every contract by its OCC symbol, fields agreeing with the name', () => {
    expect(chain.length).toBeGreaterThan(20);
    for (const q of chain) {
      const m = OCC_RE.exec(q.contract)!;
      expect(m).not.toBeNull();
      expect(m[1]).toBe(q.underlying.replace('.', ''));
      expect(`20${m[2]}-${m[3]}-${m[4]}`).toBe(q.expiration);
      expect(m[5]).toBe(q.right);
      expect(Number(m[6]) / 1000).toBe(q.strike);
    }
    expect(new Set(chain.map((q) => q.contract)).size).toBe(chain.length);
  });

  it('holds the next four weekly-cycle expirations and the monthlies of the next ~90 days', () => {
    for (const day of sessionDatesBetween('2026-03-02', '2026-06-26')) {
      const expirations = [...new Set(optionChain(market, underlyings[1]!, day).map((q) => q.expiration))];
      const weeks = expirations.filter((e) => daysBetween(day, fridayOf(e)) < 28);
      expect(weeks).toHaveLength(4);
      const monthlies = expirations.filter((e) => expiryPeriodOf(e) === 'MONTHLY');
      expect(monthlies.length).toBeGreaterThanOrEqual(2);
      for (const e of expirations) {
        expect(e >= day && daysBetween(day, e) <= 95).toBe(true);
        // Friday, or Thursday when the Friday is a holiday.
        expect(weekday(e) === 5 || (weekday(e) === 4 && !isSession(addDays(e, 1)))).toBe(true);
      }
    }
    const expirations = new Set(optionChain(market, underlyings[1]!, '2026-03-30').map((q) => q.expiration));
    expect(expirations.has('2026-04-02')).toBe(true); // Good Friday 2026-04-03: the Thursday before
    expect(expirations.has('2026-04-03')).toBe(false);
  });

  it('lists monthlies 60 sessions and weeklies four weeks before they expire', () => {
    for (const c of optionContracts(market, underlyings[2]!, '2025-12-31', { expired: true })) {
      const sessions = sessionDatesBetween(c.listDate, c.expiration);
      if (expiryPeriodOf(c.expiration) === 'MONTHLY') expect(sessions.length).toBe(61);
      else {
        const earlierFriday = addDays(fridayOf(c.expiration), -28);
        expect(c.listDate).toBe(nextSession(isSession(earlierFriday) ? earlierFriday : previousSession(earlierFriday)));
      }
    }
  });

  it('centres strikes within ±20 % of the close on the listing date, at the price band increment', () => {
    for (const q of chain) {
      const listClose = market.bar(q.underlying, q.listDate)!.close;
      expect(q.strike).toBeGreaterThanOrEqual(listClose * 0.8 - 1e-9);
      expect(q.strike).toBeLessThanOrEqual(listClose * 1.2 + 1e-9);
      const step = listClose < 5 ? 0.5 : listClose < 50 ? 1 : listClose < 200 ? 2.5 : 5;
      expect(Math.abs(q.strike / step - Math.round(q.strike / step))).toBeLessThan(1e-9);
    }
  });

  it('obeys put-call parity within the spread', () => {
    for (const u of underlyings) {
      for (const [c, p] of pairs(optionChain(market, u, date))) {
        const spot = (c.underlyingPrice * c.sharesPerContract) / 100;
        const years = Math.max(daysBetween(date, c.expiration), 0.25) / 365;
        const forward = spot - c.strike * Math.exp(-OPTION_RATE * years);
        expect(c.bid - p.ask).toBeLessThanOrEqual(forward + 1e-9);
        expect(c.ask - p.bid).toBeGreaterThanOrEqual(forward - 1e-9);
        expect(c.mark - p.mark).toBeCloseTo(forward, 4);
      }
    }
  });

  it('has greeks of the right signs and sizes and sane quotes', () => {
    for (const u of underlyings) {
      for (const q of optionChain(market, u, '2025-09-17')) {
        expect(q.iv).toBeGreaterThan(0.1);
        expect(q.iv).toBeLessThan(2);
        expect(q.gamma).toBeGreaterThanOrEqual(0);
        expect(q.vega).toBeGreaterThanOrEqual(0);
        if (q.right === 'C') {
          expect(q.delta).toBeGreaterThanOrEqual(0);
          expect(q.delta).toBeLessThanOrEqual(1);
          expect(q.theta).toBeLessThanOrEqual(0);
          expect(q.rho).toBeGreaterThanOrEqual(0);
        } else {
          expect(q.delta).toBeGreaterThanOrEqual(-1);
          expect(q.delta).toBeLessThanOrEqual(0);
          expect(q.rho).toBeLessThanOrEqual(0);
        }
        expect(q.bid).toBeGreaterThanOrEqual(0);
        expect(q.bid).toBeLessThanOrEqual(q.mark);
        expect(q.ask).toBeGreaterThanOrEqual(q.mark);
        expect(Number.isInteger(q.volume) && q.volume >= 0).toBe(true);
        expect(Number.isInteger(q.openInterest) && q.openInterest >= 0).toBe(true);
        if (q.volume === 0) expect(q.last).toBeNull();
        else expect(q.last! >= Math.max(0.01, q.bid) - 1e-9 && q.last! <= q.ask + 1e-9).toBe(true);
      }
      for (const [c, p] of pairs(optionChain(market, u, '2025-09-17'))) {
        expect(c.delta - p.delta).toBeCloseTo(1, 5);
        expect(c.gamma).toBe(p.gamma);
      }
    }
  });

  it('is empty off-session, for a symbol without options and outside the window', () => {
    expect(optionChain(market, underlyings[0]!, '2026-06-06')).toEqual([]);
    const plain = market.symbols.find((s) => !underlyings.includes(s.symbol))!.symbol;
    expect(optionChain(market, plain, date)).toEqual([]);
    expect(optionContracts(market, plain, date)).toEqual([]);
    expect(optionChain(market, underlyings[0]!, '2026-07-06')).toEqual([]);
  });
});

describe('optionContracts', () => {
  const u = underlyings[3]!;

  it('lists on a date exactly the contracts of that day’s chain', () => {
    const date = '2025-11-12';
    expect(optionContracts(market, u, date)).toEqual(
      optionChain(market, u, date).map(({ contract, underlying, expiration, strike, right, listDate }) => ({ contract, underlying, expiration, strike, right, listDate })),
    );
  });

  it('lists expired contracts that traded in the window, every contract of an earlier chain included', () => {
    const asOf = '2025-11-12';
    const expired = optionContracts(market, u, asOf, { expired: true });
    for (const c of expired) expect(c.expiration >= WINDOW.start && c.expiration <= asOf).toBe(true);
    const names = new Set(expired.map((c) => c.contract));
    const earlier = optionChain(market, u, '2025-08-04').filter((q) => q.expiration <= asOf);
    expect(earlier.length).toBeGreaterThan(0);
    for (const q of earlier) expect(names.has(q.contract)).toBe(true);
    expect(optionContracts(market, u, '2023-12-29', { expired: true })).toEqual([]);
    // The window's first expirations were listed before it began, centred on its first close.
    const first = expired.filter((c) => c.listDate < WINDOW.start);
    expect(first.length).toBeGreaterThan(0);
  });

  it('keeps contracts that straddle a split on their original terms with a scaled deliverable', () => {
    const split = underlyings.flatMap((s) => market.splitsOf(s)).find((s) => s.newShares > s.oldShares)!;
    expect(split).toBeDefined();
    const ratio = split.newShares / split.oldShares;
    const onEx = optionChain(market, split.symbol, split.exDate);
    const straddling = onEx.filter((q) => q.listDate < split.exDate);
    const fresh = onEx.filter((q) => q.listDate >= split.exDate);
    expect(straddling.length).toBeGreaterThan(0);
    for (const q of straddling) expect(q.sharesPerContract).toBe(100 * ratio);
    for (const q of fresh) expect(q.sharesPerContract).toBe(100);
    const before = optionChain(market, split.symbol, sessionDatesBetween(addDays(split.exDate, -6), addDays(split.exDate, -1)).at(-1)!);
    const beforeByName = new Map(before.map((q) => [q.contract, q]));
    for (const q of straddling) expect(beforeByName.get(q.contract)?.strike).toBe(q.strike);
  });
});
