import { addDays, nextSession } from '../../calendar/index.js';
import type { DatedBar, SandboxBar } from '../market/index.js';
import { barFactors, type BarFactors } from '../shared/adjustment.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { dateParam, requiredParam, round2, roundTo, symbolRefusal, type FmpContext } from './context.js';

/** The most rows one EOD answer carries (notes §3.3): the newest ones are kept. */
const MAX_ROWS = 5000;
/** Without `from`, the window is about five years back from today. */
const DEFAULT_SPAN_DAYS = 1826;
const NONE: BarFactors = { price: 1, volume: 1 };

interface PricedBar extends DatedBar {
  /** Split adjustment as of today. */
  split: BarFactors;
  /** Split and dividend adjustment as of today. */
  total: BarFactors;
}

/** The symbol's last bar on or before the last completed session. */
export function lastBarOn(ctx: FmpContext, symbol: string): DatedBar | undefined {
  const bars = ctx.market.barsOf(symbol);
  for (let i = bars.length - 1; i >= 0; i--) if ((bars[i] as DatedBar).date <= ctx.lastCompleted) return bars[i];
  return undefined;
}

/** Every bar published by now, oldest first, with its adjustment factors and any flat-fill tail. */
function pricedSeries(ctx: FmpContext, symbol: string): PricedBar[] {
  const all = ctx.market.barsOf(symbol);
  const split = barFactors(ctx.market, symbol, all, ctx.today, { split: true, dividend: false });
  const total = barFactors(ctx.market, symbol, all, ctx.today, { split: true, dividend: true });
  const out: PricedBar[] = [];
  all.forEach((b, i) => {
    if (b.date <= ctx.lastCompleted) out.push({ ...b, split: split[i] as BarFactors, total: total[i] as BarFactors });
  });
  const info = ctx.market.symbol(symbol);
  const last = out[out.length - 1];
  if (info?.delistDate && last && all.length === out.length) {
    const c = last.bar.close;
    const flat: SandboxBar = { open: c, high: c, low: c, close: c, volume: 0, vwap: c, trades: 0 };
    let date = last.date;
    for (let n = 0; n < ctx.behaviour.delistedFlatFillSessions; n++) {
      date = nextSession(date);
      if (date > ctx.lastCompleted) break;
      out.push({ date, bar: flat, split: NONE, total: NONE });
    }
  }
  return out;
}

interface Window {
  symbol: string;
  /** Newest first. */
  rows: PricedBar[];
}

/** `symbol` (required, entitled), `from`/`to` (inclusive): the rows of the window, or the refusal. */
function eodWindow(query: URLSearchParams, ctx: FmpContext, symbolFromPath?: string): Window | EmulatorResponse {
  const symbol = symbolFromPath ?? requiredParam(query, 'symbol');
  if (typeof symbol !== 'string') return symbol;
  const refusal = symbolRefusal(ctx, symbol);
  if (refusal) return refusal;
  const from = dateParam(query, 'from', addDays(ctx.today, -DEFAULT_SPAN_DAYS));
  if (typeof from !== 'string') return from;
  const to = dateParam(query, 'to', ctx.today);
  if (typeof to !== 'string') return to;
  const rows = pricedSeries(ctx, symbol).filter((b) => b.date >= from && b.date <= to);
  return { symbol, rows: rows.reverse().slice(0, MAX_ROWS) };
}

const scale = (x: number, f: BarFactors): number => (f.price === 1 ? x : round2(x * f.price));
const scaleVolume = (v: number, f: BarFactors): number => (f.volume === 1 ? v : Math.round(v * f.volume));

export type EodVariant = 'full' | 'light' | 'non-split-adjusted' | 'dividend-adjusted';

/**
 * `GET /stable/historical-price-eod/{full|light|non-split-adjusted|dividend-adjusted}`: a flat array,
 * newest first. `full` and `light` are split-adjusted (or raw, per the behaviour switch); the two
 * others carry `adjOpen…adjClose` — raw prices in `non-split-adjusted`, despite the names.
 * `change` is close − open of the same day, `vwap` the (O+H+L+C)/4 average FMP sends.
 */
export function eod(variant: EodVariant, query: URLSearchParams, ctx: FmpContext): EmulatorResponse {
  const w = eodWindow(query, ctx);
  if (!('rows' in w)) return w;
  const rows = w.rows.map(({ date, bar, split, total }) => {
    if (variant === 'non-split-adjusted' || variant === 'dividend-adjusted') {
      const f = variant === 'dividend-adjusted' ? total : NONE;
      return { symbol: w.symbol, date, adjOpen: scale(bar.open, f), adjHigh: scale(bar.high, f), adjLow: scale(bar.low, f), adjClose: scale(bar.close, f), volume: scaleVolume(bar.volume, f) };
    }
    const f = ctx.behaviour.eodFull === 'raw' ? NONE : split;
    if (variant === 'light') return { symbol: w.symbol, date, price: scale(bar.close, f), volume: scaleVolume(bar.volume, f) };
    const [open, high, low, close] = [bar.open, bar.high, bar.low, bar.close].map((x) => scale(x, f)) as [number, number, number, number];
    const change = round2(close - open);
    return {
      symbol: w.symbol, date, open, high, low, close, volume: scaleVolume(bar.volume, f), change,
      changePercent: round2((change / open) * 100), vwap: roundTo((open + high + low + close) / 4, 4),
    };
  });
  return jsonResponse(200, rows);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `October 06, 23`. */
function label(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1] as string} ${date.slice(8, 10)}, ${date.slice(2, 4)}`;
}

/**
 * Legacy `GET /api/v3/historical-price-full/{symbol}`: `{symbol, historical: [...]}` newest first;
 * split-adjusted OHLC and volume, `adjClose` also dividend-adjusted, `unadjustedVolume` raw,
 * `vwap` = (H+L+C)/3; an unknown symbol or an empty window is `{}`.
 */
export function legacyHistoricalPriceFull(symbol: string, query: URLSearchParams, ctx: FmpContext): EmulatorResponse {
  const w = eodWindow(query, ctx, symbol);
  if (!('rows' in w)) return w;
  if (w.rows.length === 0) return jsonResponse(200, {});
  const historical = w.rows.map(({ date, bar, split, total }) => {
    const [open, high, low, close] = [bar.open, bar.high, bar.low, bar.close].map((x) => scale(x, split)) as [number, number, number, number];
    const change = round2(close - open);
    const changePercent = roundTo((change / open) * 100, 5);
    return {
      date, open, high, low, close, adjClose: scale(bar.close, total), volume: scaleVolume(bar.volume, split),
      unadjustedVolume: bar.volume, change, changePercent, vwap: round2((high + low + close) / 3), label: label(date),
      changeOverTime: roundTo(changePercent / 100, 7),
    };
  });
  return jsonResponse(200, { symbol: w.symbol, historical });
}
