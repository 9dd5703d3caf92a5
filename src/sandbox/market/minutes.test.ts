import { describe, expect, it } from 'vitest';
import { nyInstant, sessionOf } from '../../calendar/index.js';
import { createMarket, createRng, minuteBars, sliceBar, type SandboxBar, type SandboxMinuteBar } from './index.js';

const market = createMarket({ seed: 5, symbols: 60, start: '2024-01-02', end: '2026-06-30' });
const earlyCloses = market.sessions.filter((d) => sessionOf(d)?.earlyClose);
const sampleDays = [...market.sessions.filter((_, i) => i % 37 === 0), ...earlyCloses];

/** The bars' aggregate next to the daily bar's values, plus every per-bar rule that failed (none expected). */
function consistency(bars: readonly SandboxMinuteBar[]): { open: number; high: number; low: number; close: number; volume: number; broken: string[] } {
  const broken: string[] = [];
  const isCents = (p: number): boolean => Math.round(p * 100) / 100 === p;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (const b of bars) {
    high = Math.max(high, b.high);
    low = Math.min(low, b.low);
    volume += b.volume;
    if (!Number.isInteger(b.volume) || b.volume < 1) broken.push(`${b.ts} volume ${b.volume}`);
    if (b.high < Math.max(b.open, b.close) || b.low > Math.min(b.open, b.close)) broken.push(`${b.ts} range`);
    if (b.vwap < b.low || b.vwap > b.high) broken.push(`${b.ts} vwap`);
    if (b.trades < 1) broken.push(`${b.ts} trades`);
    if (![b.open, b.high, b.low, b.close].every(isCents)) broken.push(`${b.ts} cents`);
  }
  return { open: bars[0]?.open ?? NaN, high, low, close: bars.at(-1)?.close ?? NaN, volume, broken };
}

function expectConsistent(bars: readonly SandboxMinuteBar[], daily: SandboxBar): void {
  expect(consistency(bars)).toEqual({ open: daily.open, high: daily.high, low: daily.low, close: daily.close, volume: daily.volume, broken: [] });
}

describe('minuteBars', () => {
  it('agrees with the daily bar for every symbol on sampled days, early closes included', () => {
    expect(earlyCloses.length).toBeGreaterThanOrEqual(4);
    let checked = 0;
    for (const date of sampleDays) {
      const session = sessionOf(date)!;
      for (const { symbol, bar } of market.barsOn(date)) {
        const bars = minuteBars(market, symbol, date);
        expect(bars).toHaveLength(session.earlyClose ? 210 : 390);
        expect(bars[0]!.ts).toBe(nyInstant(date, '09:30'));
        expect(bars.at(-1)!.ts).toBe(session.closeMs - 60_000);
        expect(bars.every((b, i) => b.ts === session.openMs + i * 60_000)).toBe(true);
        expectConsistent(bars, bar);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('continues each minute from the previous close', () => {
    const date = market.sessions[100]!;
    const { symbol } = market.barsOn(date)[0]!;
    const bars = minuteBars(market, symbol, date);
    expect(bars.slice(1).map((b) => b.open)).toEqual(bars.slice(0, -1).map((b) => b.close));
  });

  it('is a pure function of the seed, and differs between symbols and days', () => {
    const date = '2025-03-12';
    const [a, b] = market.barsOn(date).map((s) => s.symbol);
    const again = createMarket({ seed: 5, symbols: 60, start: '2024-01-02', end: '2026-06-30' });
    expect(minuteBars(again, a!, date, { extendedHours: true })).toEqual(minuteBars(market, a!, date, { extendedHours: true }));
    const closes = (s: string, d: string): number[] => minuteBars(market, s, d).map((x) => x.close / market.bar(s, d)!.close);
    expect(closes(a!, date)).not.toEqual(closes(b!, date));
    expect(closes(a!, date)).not.toEqual(closes(a!, '2025-03-13'));
  });

  it('adds sparse extended-hours bars outside the session that the daily bar excludes', () => {
    for (const date of ['2025-03-12', earlyCloses[0]!]) {
      const session = sessionOf(date)!;
      const postEnd = nyInstant(date, session.earlyClose ? '17:00' : '20:00');
      for (const { symbol, bar } of market.barsOn(date).slice(0, 20)) {
        const all = minuteBars(market, symbol, date, { extendedHours: true });
        const pre = all.filter((b) => b.ts < session.openMs);
        const post = all.filter((b) => b.ts >= session.closeMs);
        expect(pre.length).toBeGreaterThanOrEqual(4);
        expect(post.length).toBeGreaterThanOrEqual(4);
        expect(pre[0]!.ts).toBeGreaterThanOrEqual(nyInstant(date, '04:00'));
        expect(post.at(-1)!.ts).toBeLessThan(postEnd);
        expect(all.map((b) => b.ts)).toEqual([...new Set(all.map((b) => b.ts))].sort((x, y) => x - y));
        expect([...pre, ...post].reduce((s, b) => s + b.volume, 0)).toBeLessThan(bar.volume * 0.05);
        const regular = all.filter((b) => b.ts >= session.openMs && b.ts < session.closeMs);
        expect(regular).toEqual(minuteBars(market, symbol, date));
        expectConsistent(regular, bar);
      }
    }
  });

  it('is empty on a weekend, before a listing and for an unknown symbol', () => {
    const symbol = market.symbols[0]!.symbol;
    expect(minuteBars(market, symbol, '2025-03-08')).toEqual([]);
    expect(minuteBars(market, 'NOPE', '2025-03-12')).toEqual([]);
    const ipo = market.symbols.find((s) => s.listDate > market.start)!;
    expect(minuteBars(market, ipo.symbol, market.start)).toEqual([]);
  });

  it('cuts a day of 300 symbols well under a second', () => {
    const big = createMarket({ seed: 11, symbols: 300, start: '2025-01-02', end: '2025-03-31' });
    const date = '2025-02-12';
    const rows = big.barsOn(date);
    const t0 = performance.now();
    let total = 0;
    for (const { symbol } of rows) total += minuteBars(big, symbol, date).length;
    const elapsed = performance.now() - t0;
    expect(total).toBe(rows.length * 390);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('sliceBar', () => {
  it('shares a thin volume over fewer slices than minutes and keeps the bar', () => {
    const bar: SandboxBar = { open: 1.2, high: 1.45, low: 1.05, close: 1.3, volume: 5, vwap: 1.25, trades: 3 };
    const slices = sliceBar(bar, [1, 2, 3, 1, 1], createRng(1, 'x'));
    expect(slices.map((s) => s.volume)).toEqual([1, 1, 1, 1, 1]);
    expect(slices[0]!.open).toBe(1.2);
    expect(slices.at(-1)!.close).toBe(1.3);
    expect(Math.max(...slices.map((s) => s.high))).toBe(1.45);
    expect(Math.min(...slices.map((s) => s.low))).toBe(1.05);
    const flat: SandboxBar = { open: 2, high: 2, low: 2, close: 2, volume: 10, vwap: 2, trades: 1 };
    expect(sliceBar(flat, [1, 1, 1], createRng(1, 'y')).every((s) => s.open === 2 && s.high === 2 && s.low === 2 && s.close === 2)).toBe(true);
  });
});
