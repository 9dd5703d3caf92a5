import { describe, expect, it } from 'vitest';
import { adjustedClosesOf, createMarket } from './index.js';
import type { DatedBar, Market, SandboxDividend, SandboxSplit } from './index.js';

function bar(close: number): DatedBar['bar'] {
  return { open: close, high: close, low: close, close, volume: 1000, vwap: close, trades: 10 };
}

describe('adjustedClosesOf (the curated convention)', () => {
  // Five sessions; a 2-for-1 split goes ex on the 3rd, a $0.52 dividend on the 5th.
  const bars: DatedBar[] = [
    { date: '2025-03-03', bar: bar(100) },
    { date: '2025-03-04', bar: bar(102) },
    { date: '2025-03-05', bar: bar(51.5) },
    { date: '2025-03-06', bar: bar(52) },
    { date: '2025-03-07', bar: bar(51) },
  ];
  const split: SandboxSplit = {
    symbol: 'TINY', exDate: '2025-03-05', newShares: 2, oldShares: 1,
    declaredDate: '2025-02-10', processDate: '2025-03-05', recordDate: '2025-02-26', payableDate: '2025-03-04',
  };
  const dividend: SandboxDividend = {
    symbol: 'TINY', exDate: '2025-03-07', cash: 0.52,
    declaredDate: '2025-02-20', recordDate: '2025-03-10', payDate: '2025-03-20', processDate: '2025-03-08',
  };
  const out = adjustedClosesOf(bars, [split], [dividend]);

  it('matches the hand-computed factors and closes', () => {
    // dividend m = 1 - 0.52 / 52 = 0.99 (previous close 52); split m = 1 / (2 / 1) = 0.5
    expect(out.map((r) => r.date)).toEqual(bars.map((b) => b.date));
    const factors = out.map((r) => r.factor);
    [0.495, 0.495, 0.99, 0.99, 1].forEach((f, i) => expect(factors[i]).toBeCloseTo(f, 12));
    [49.5, 50.49, 50.985, 51.48, 51].forEach((c, i) => expect(out[i]!.adjClose).toBeCloseTo(c, 10));
  });

  it('multiplies in descending ex-date order, starting from 1, bit for bit', () => {
    const mDividend = 1 - 0.52 / 52;
    const mSplit = 1 / (2 / 1);
    expect(out[0]!.factor).toBe(1 * mDividend * mSplit);
    expect(out[0]!.adjClose).toBe(100 * (1 * mDividend * mSplit));
    expect(out[3]!.factor).toBe(1 * mDividend);
    expect(out[4]).toEqual({ date: '2025-03-07', adjClose: 51, factor: 1 });
  });
});

describe('market.adjustedCloses', () => {
  const market: Market = createMarket({ seed: 11, symbols: 80, start: '2024-01-02', end: '2025-12-31' });

  it('equals the direct definition for every bar of every symbol with actions', () => {
    const symbols = new Set([...market.splits, ...market.dividends].map((a) => a.symbol));
    expect(symbols.size).toBeGreaterThan(20);
    for (const symbol of symbols) {
      const bars = market.barsOf(symbol);
      const closeBefore = (date: string): number => bars[bars.findIndex((b) => b.date === date) - 1]!.bar.close;
      const events = [
        ...market.splitsOf(symbol).map((s) => ({ exDate: s.exDate, m: 1 / (s.newShares / s.oldShares) })),
        ...market.dividendsOf(symbol).map((d) => ({ exDate: d.exDate, m: 1 - d.cash / closeBefore(d.exDate) })),
      ];
      const expected = bars.map(({ date, bar: b }) => {
        const factor = events
          .filter((e) => e.exDate > date)
          .sort((x, y) => (x.exDate < y.exDate ? 1 : -1))
          .reduce((f, e) => f * e.m, 1);
        return { date, adjClose: b.close * factor, factor };
      });
      expect(market.adjustedCloses(symbol)).toEqual(expected);
    }
  });

  it('keeps adjusted closes continuous across a split (no ratio-sized jump)', () => {
    for (const split of market.splits) {
      const adj = market.adjustedCloses(split.symbol);
      const i = adj.findIndex((r) => r.date === split.exDate);
      const change = adj[i]!.adjClose / adj[i - 1]!.adjClose;
      expect(change).toBeGreaterThan(0.85);
      expect(change).toBeLessThan(1.18);
    }
  });

  it('is empty for an unknown symbol', () => {
    expect(market.adjustedCloses('NOPE')).toEqual([]);
  });
});
