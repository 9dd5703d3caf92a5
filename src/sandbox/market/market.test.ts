import { describe, expect, it } from 'vitest';
import { sessionDatesBetween } from '../../calendar/index.js';
import { createMarket } from './index.js';
import type { Market, SandboxBar } from './index.js';

const WINDOW = { start: '2023-07-03', end: '2026-06-30' };
const market = createMarket({ seed: 42, ...WINDOW });

function isCents(x: number): boolean {
  return Math.abs(Math.round(x * 100) - x * 100) < 1e-6;
}

function tradingOn(m: Market, date: string): string[] {
  return m.symbols.filter((s) => s.listDate <= date && (s.delistDate === null || date < s.delistDate)).map((s) => s.symbol);
}

describe('createMarket', () => {
  it('is a pure function of its seed', () => {
    const again = createMarket({ seed: 42, ...WINDOW });
    expect(again.symbols).toEqual(market.symbols);
    expect(again.splits).toEqual(market.splits);
    expect(again.dividends).toEqual(market.dividends);
    for (const s of market.symbols) expect(again.barsOf(s.symbol)).toEqual(market.barsOf(s.symbol));
  });

  it('differs with another seed', () => {
    const other = createMarket({ seed: 43, ...WINDOW });
    expect(other.symbols.map((s) => s.symbol)).not.toEqual(market.symbols.map((s) => s.symbol));
    const a = market.barsOf(market.symbols[0]!.symbol).map((b) => b.bar.close);
    const b = other.barsOf(other.symbols[0]!.symbol).map((b) => b.bar.close);
    expect(b).not.toEqual(a);
  });

  it('has 300 unique, well-formed tickers with names, venues and types by default', () => {
    expect(market.symbols).toHaveLength(300);
    const tickers = market.symbols.map((s) => s.symbol);
    expect(new Set(tickers).size).toBe(300);
    expect([...tickers].sort()).toEqual(tickers);
    for (const s of market.symbols) {
      expect(s.symbol).toMatch(/^[A-Z]{1,5}$|^[A-Z]{2,3}\.[A-Z]$/);
      expect(s.name.length).toBeGreaterThan(3);
      expect(['XNYS', 'XNAS', 'ARCX']).toContain(s.exchange);
      expect(['CS', 'ETF']).toContain(s.type);
    }
    expect(tickers.some((t) => t.includes('.'))).toBe(true);
    expect(market.symbols.some((s) => s.type === 'ETF')).toBe(true);
  });

  it('lists most symbols before the window, with a few IPOs and delistings inside it', () => {
    expect(market.sessions).toEqual(sessionDatesBetween(WINDOW.start, WINDOW.end));
    const ipos = market.symbols.filter((s) => s.listDate > market.sessions[0]!);
    const delisted = market.symbols.filter((s) => s.delistDate !== null);
    expect(ipos.length).toBe(12);
    expect(delisted.length).toBe(9);
    for (const s of ipos) {
      const bars = market.barsOf(s.symbol);
      expect(bars[0]!.date).toBe(s.listDate);
    }
    for (const s of delisted) {
      const bars = market.barsOf(s.symbol);
      expect(bars[bars.length - 1]!.date < s.delistDate!).toBe(true);
      expect(market.bar(s.symbol, s.delistDate!)).toBeUndefined();
      expect(market.barsOf(s.symbol).every((b) => b.date < s.delistDate!)).toBe(true);
    }
  });

  it('has a bar for every session of every listing window and none outside', () => {
    for (const date of [market.sessions[0]!, market.sessions[400]!, market.sessions[market.sessions.length - 1]!]) {
      expect(market.barsOn(date).map((r) => r.symbol)).toEqual(tradingOn(market, date));
    }
    expect(market.barsOn('2024-07-04')).toEqual([]);
    expect(market.bar(market.symbols[0]!.symbol, '2024-07-06')).toBeUndefined();
  });

  it('produces consistent OHLCV for every bar', () => {
    const bad: string[] = [];
    let count = 0;
    for (const s of market.symbols) {
      for (const { date, bar } of market.barsOf(s.symbol)) {
        count++;
        const b: SandboxBar = bar;
        const ok =
          b.low <= Math.min(b.open, b.close) &&
          Math.max(b.open, b.close) <= b.high &&
          b.low > 0 &&
          b.vwap >= b.low &&
          b.vwap <= b.high &&
          [b.open, b.high, b.low, b.close].every(isCents) &&
          Number.isInteger(b.volume) &&
          b.volume > 0 &&
          Number.isInteger(b.trades) &&
          b.trades > 0;
        if (!ok) bad.push(`${s.symbol} ${date} ${JSON.stringify(b)}`);
      }
    }
    expect(bad).toEqual([]);
    expect(count).toBeGreaterThan(200_000);
  });

  it('keeps price levels realistic', () => {
    const closes = market.symbols.flatMap((s) => market.barsOf(s.symbol).map((b) => b.bar.close));
    const sorted = [...closes].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.01)]!).toBeGreaterThan(3);
    expect(sorted[Math.floor(sorted.length * 0.99)]!).toBeLessThan(700);
  });

  it('moves raw prices by the ratio on a split ex-date and by the cash on a dividend ex-date', () => {
    for (const split of market.splits) {
      const bars = market.barsOf(split.symbol);
      const i = bars.findIndex((b) => b.date === split.exDate);
      expect(i).toBeGreaterThan(0);
      const prev = bars[i - 1]!.bar;
      const bar = bars[i]!.bar;
      expect(bar.open).toBe(Math.round(((prev.close * split.oldShares) / split.newShares) * 100) / 100);
      const ratio = split.newShares / split.oldShares;
      expect(bar.close / prev.close).toBeGreaterThan((1 / ratio) * 0.8);
      expect(bar.close / prev.close).toBeLessThan((1 / ratio) * 1.25);
    }
    for (const d of market.dividends) {
      const bars = market.barsOf(d.symbol);
      const i = bars.findIndex((b) => b.date === d.exDate);
      expect(i).toBeGreaterThan(0);
      const prev = bars[i - 1]!.bar;
      expect(bars[i]!.bar.open).toBe(Math.round((prev.close - d.cash) * 100) / 100);
      expect(d.cash / prev.close).toBeGreaterThan(0.002);
      expect(d.cash / prev.close).toBeLessThan(0.012);
      expect(isCents(d.cash)).toBe(true);
    }
  });

  it('scales volume by the split ratio', () => {
    const forward = market.splits.filter((s) => s.newShares / s.oldShares >= 3);
    expect(forward.length).toBeGreaterThan(0);
    for (const split of forward) {
      const bars = market.barsOf(split.symbol);
      const i = bars.findIndex((b) => b.date === split.exDate);
      const mean = (from: number, to: number): number => {
        const xs = bars.slice(Math.max(0, from), to).map((b) => b.bar.volume);
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      };
      expect(mean(i, i + 20) / mean(i - 20, i)).toBeGreaterThan(1.5);
    }
  });

  it('has ~5 % forward splits, ~2 % reverse splits and ~35 % dividend payers, dated consistently', () => {
    const forward = market.splits.filter((s) => s.newShares > s.oldShares);
    const reverse = market.splits.filter((s) => s.newShares < s.oldShares);
    expect(forward.length).toBe(15);
    expect(reverse.length).toBe(6);
    for (const s of forward) expect([[2, 1], [3, 1], [4, 1], [3, 2]]).toContainEqual([s.newShares, s.oldShares]);
    for (const s of reverse) expect([[1, 5], [1, 10]]).toContainEqual([s.newShares, s.oldShares]);
    expect(new Set(market.dividends.map((d) => d.symbol)).size).toBe(105);
    for (const a of [...market.splits, ...market.dividends]) {
      expect(a.exDate >= WINDOW.start && a.exDate <= WINDOW.end).toBe(true);
      expect(a.declaredDate < a.exDate).toBe(true);
      expect(a.processDate >= a.exDate).toBe(true);
    }
    for (const d of market.dividends) expect(d.payDate > d.recordDate && d.recordDate >= d.exDate).toBe(true);
  });

  it('never puts two actions of one symbol on the same ex-date', () => {
    const seen = new Set<string>();
    for (const a of [...market.splits, ...market.dividends]) {
      const key = `${a.symbol}|${a.exDate}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it.each([1, 2, 5, 17, 99, 1234])('guarantees a forward split, a reverse split and several dividends (seed %i, 5 symbols, 3 months)', (seed) => {
    const small = createMarket({ seed, symbols: 5, start: '2025-01-02', end: '2025-03-31' });
    const inWindow = (d: string): boolean => d >= small.start && d <= small.end;
    expect(small.splits.filter((s) => s.newShares > s.oldShares && inWindow(s.exDate)).length).toBeGreaterThanOrEqual(1);
    expect(small.splits.filter((s) => s.newShares < s.oldShares && inWindow(s.exDate)).length).toBeGreaterThanOrEqual(1);
    expect(small.dividends.filter((d) => inWindow(d.exDate)).length).toBeGreaterThanOrEqual(3);
  });

  it('still guarantees the actions with a single symbol', () => {
    const one = createMarket({ seed: 3, symbols: 1, start: '2025-01-02', end: '2025-06-30' });
    expect(one.splits.map((s) => s.newShares > s.oldShares).sort()).toEqual([false, true]);
    expect(one.dividends.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a malformed request', () => {
    expect(() => createMarket({ seed: 1.5, ...WINDOW })).toThrow(/seed/);
    expect(() => createMarket({ seed: 1, symbols: 0, ...WINDOW })).toThrow(/symbols/);
    expect(() => createMarket({ seed: 1, start: '2025-02-01', end: '2025-01-01' })).toThrow(/after/);
  });
});
