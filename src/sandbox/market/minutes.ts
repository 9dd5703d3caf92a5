import { nyInstant, sessionOf } from '../../calendar/index.js';
import { createRng, type Rng } from './random.js';
import type { Market, SandboxBar } from './types.js';

/**
 * Intraday bars of the simulated market, cut from its daily bars so the two always agree.
 *
 * Regular session (09:30 to the close: 390 one-minute bars, 210 on an early close): the first bar
 * opens at the daily open, the last closes at the daily close, the highest high is the daily high,
 * the lowest low the daily low, and the volumes (integers, at least 1 each) sum to the daily
 * volume. Trade counts follow each bar's volume at the day's average trade size, so they sum to
 * the daily count only approximately. Bar VWAPs lie inside their bars; their volume-weighted mean
 * is not forced to the daily VWAP.
 *
 * Extended hours (only with `extendedHours`): a few sparse bars between 04:00 and 09:30 near the
 * open and between the close and 20:00 (17:00 after an early close) near the close, with small
 * volume. Like the vendors' daily bars, the daily bar excludes them: they never set its OHLC (they
 * may print outside the day's range) and their volume is not part of the daily volume.
 */
export interface SandboxMinuteBar {
  /** Epoch ms of the bar's start. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Shares, integer. */
  volume: number;
  vwap: number;
  trades: number;
}

export interface MinuteBarOptions {
  /** Also return the sparse pre-market and after-hours bars (default false: regular session only). */
  extendedHours?: boolean;
}

/** One slice of a bar cut into consecutive pieces (see `sliceBar`). */
export type BarSlice = Omit<SandboxMinuteBar, 'ts'>;

const MINUTE_MS = 60_000;
const cents = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** A symbol's one-minute bars of one session, oldest first; empty when it has no daily bar that day. */
export function minuteBars(market: Market, symbol: string, date: string, options: MinuteBarOptions = {}): SandboxMinuteBar[] {
  const daily = market.bar(symbol, date);
  const session = daily ? sessionOf(date) : undefined;
  if (!daily || !session) return [];
  const rng = createRng(market.seed, `minutes:${symbol}:${date}`);
  const count = Math.round((session.closeMs - session.openMs) / MINUTE_MS);
  const regular = sliceBar(daily, sessionProfile(rng, count), rng).map((s, i) => withTime(s, session.openMs + i * MINUTE_MS));
  if (!options.extendedHours) return regular;
  const extendedRng = createRng(market.seed, `minutes-extended:${symbol}:${date}`);
  const postEnd = nyInstant(date, session.earlyClose ? '17:00' : '20:00');
  const pre = sparseBars(extendedRng, daily, daily.open, nyInstant(date, '04:00'), session.openMs);
  const post = sparseBars(extendedRng, daily, daily.close, session.closeMs, postEnd);
  return [...pre, ...regular, ...post];
}

/** Busier at the open and into the close, with noise: the relative volume of each regular minute. */
function sessionProfile(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (1 + 2.2 * Math.exp(-i / 25) + 1.6 * Math.exp(-(count - 1 - i) / 20)) * Math.exp(0.45 * rng.normal()));
}

/**
 * Cuts `bar` into `weights.length` consecutive slices whose first open, last close, highest high,
 * lowest low and volume sum are the bar's own (volume shared by `weights`, at least 1 a slice when
 * the bar's volume allows). The price path is a Brownian bridge from open to close, stretched by a
 * monotone map so that exactly its extremes reach the bar's high and low; prices in cents.
 */
export function sliceBar(bar: SandboxBar, weights: readonly number[], rng: Rng): BarSlice[] {
  const n = weights.length;
  if (n === 0) return [];
  const volumes = bar.volume >= n ? apportion(bar.volume - n, weights).map((v) => v + 1) : apportion(bar.volume, weights);
  const tradeSize = bar.volume / Math.max(1, bar.trades);
  return pricePath(bar, n, rng).map(({ open, high, low, close }, i) => {
    const volume = volumes[i] as number;
    const vwap = round4(low + (high - low) * rng.uniform(0.25, 0.75));
    return { open, high, low, close, volume, vwap, trades: volume === 0 ? 0 : Math.max(1, Math.round(volume / tradeSize)) };
  });
}

// Spelled out rather than spread: object spread is several times slower on this hot path.
function withTime(s: BarSlice, ts: number): SandboxMinuteBar {
  return { ts, open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume, vwap: s.vwap, trades: s.trades };
}

/** Integer shares of `total` proportional to `weights` (largest remainder), summing to `total` exactly. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, v) => a + v, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) {
    const { i } = byRemainder[k] as { i: number };
    out[i] = (out[i] as number) + 1;
  }
  return out;
}

interface Ohlc {
  open: number;
  high: number;
  low: number;
  close: number;
}

function pricePath(bar: SandboxBar, n: number, rng: Rng): Ohlc[] {
  const step = (Math.max(bar.high - bar.low, 0.01) / Math.sqrt(n)) * 0.6;
  const walk = [0];
  for (let k = 1; k <= n; k++) walk.push((walk[k - 1] as number) + step * rng.normal());
  const end = walk[n] as number;
  const point = (k: number): number => (k === 0 ? bar.open : k === n ? bar.close : bar.open + ((bar.close - bar.open) * k) / n + (walk[k] as number) - (end * k) / n);
  const raw: Ohlc[] = [];
  for (let i = 0; i < n; i++) {
    const open = point(i);
    const close = point(i + 1);
    raw.push({ open, close, high: Math.max(open, close) + 0.3 * step * Math.abs(rng.normal()), low: Math.min(open, close) - 0.3 * step * Math.abs(rng.normal()) });
  }
  // One slice strictly holds the extreme on each side, so the map below sends exactly it to the bar's high (low).
  const top = Math.max(...raw.map((r) => r.high)) + 0.1 * step;
  const bottom = Math.min(...raw.map((r) => r.low)) - 0.1 * step;
  (raw[rng.int(0, n - 1)] as Ohlc).high = top;
  (raw[rng.int(0, n - 1)] as Ohlc).low = bottom;
  const stretch = stretchMap(bar, top, bottom);
  return raw.map((r) => {
    const open = cents(stretch(r.open));
    const close = cents(stretch(r.close));
    return { open, close, high: Math.max(open, close, cents(stretch(r.high))), low: Math.min(open, close, cents(stretch(r.low))) };
  });
}

/**
 * Monotone, piecewise linear: identity between open and close, [max(open, close), top] onto
 * [max(open, close), high] and [bottom, min(open, close)] onto [low, min(open, close)].
 */
function stretchMap(bar: SandboxBar, top: number, bottom: number): (x: number) => number {
  const hi = Math.max(bar.open, bar.close);
  const lo = Math.min(bar.open, bar.close);
  return (x) => {
    if (x >= top) return bar.high;
    if (x <= bottom) return bar.low;
    if (x > hi) return hi + ((x - hi) * (bar.high - hi)) / (top - hi);
    if (x < lo) return lo - ((lo - x) * (lo - bar.low)) / (lo - bottom);
    return x;
  };
}

/** 4–14 thinly traded minutes in [fromMs, toMs), drifting from `anchor`. */
function sparseBars(rng: Rng, daily: SandboxBar, anchor: number, fromMs: number, toMs: number): SandboxMinuteBar[] {
  const slots = Math.round((toMs - fromMs) / MINUTE_MS);
  const picked = rng.shuffle(Array.from({ length: slots }, (_, i) => i)).slice(0, rng.int(4, 14)).sort((a, b) => a - b);
  const tradeSize = daily.volume / Math.max(1, daily.trades);
  let price = anchor * (1 + 0.004 * rng.normal());
  return picked.map((slot) => {
    const open = Math.max(0.01, cents(price));
    price *= 1 + 0.0015 * rng.normal();
    const close = Math.max(0.01, cents(price));
    const high = Math.max(open, close, cents(Math.max(open, close) * (1 + 0.001 * Math.abs(rng.normal()))));
    const low = Math.min(open, close, Math.max(0.01, cents(Math.min(open, close) * (1 - 0.001 * Math.abs(rng.normal())))));
    const volume = Math.max(1, Math.round(daily.volume * 0.0004 * Math.exp(0.8 * rng.normal())));
    return {
      ts: fromMs + slot * MINUTE_MS,
      open,
      high,
      low,
      close,
      volume,
      vwap: round4(low + (high - low) * rng.uniform(0.25, 0.75)),
      trades: Math.max(1, Math.round(volume / tradeSize)),
    };
  });
}
