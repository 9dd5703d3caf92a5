import { barFactors, splitFactorAt } from '../shared/adjustment.js';
import { isIsoDate } from '../shared/dates.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { badParameter, round4, type FinnhubContext } from './context.js';

/** Unix seconds → the UTC calendar date (Finnhub's current daily convention: `t` = 00:00 UTC). */
function utcDateOfSeconds(seconds: number): string | undefined {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || ms < Date.UTC(1970, 0, 1) || ms > Date.UTC(2100, 11, 31)) return undefined;
  return new Date(ms).toISOString().slice(0, 10);
}

function parseSeconds(text: string | null): number | undefined {
  return text !== null && /^-?\d{1,12}$/.test(text) ? Number(text) : undefined;
}

const RESOLUTIONS = new Set(['1', '5', '15', '30', '60', 'D', 'W', 'M']);

/**
 * `GET /stock/candle?symbol=&resolution=&from=&to=` (premium) — daily bars whose UTC date lies in
 * [date(from), date(to)] and no later than the last completed session, split-adjusted as of today
 * ("Daily data will be adjusted for Splits"), `t` at 00:00 UTC of the session date. The sandbox has
 * daily bars only: every other valid resolution, and an empty window or unknown symbol, answer
 * `{"s":"no_data"}`.
 */
export function candles(query: URLSearchParams, ctx: FinnhubContext): EmulatorResponse {
  const symbol = query.get('symbol');
  if (!symbol) return badParameter('symbol');
  const resolution = query.get('resolution') ?? '';
  if (!RESOLUTIONS.has(resolution)) return badParameter('resolution');
  const from = utcDateOfSeconds(parseSeconds(query.get('from')) ?? NaN);
  if (!from) return badParameter('from');
  const to = utcDateOfSeconds(parseSeconds(query.get('to')) ?? NaN);
  if (!to) return badParameter('to');
  const all = ctx.market.barsOf(symbol);
  const factors = barFactors(ctx.market, symbol, all, ctx.today, { split: true, dividend: false });
  const rows = all
    .map((b, i) => ({ ...b, f: factors[i] as { price: number; volume: number } }))
    .filter((b) => b.date >= from && b.date <= to && b.date <= ctx.lastCompleted);
  if (resolution !== 'D' || rows.length === 0) return jsonResponse(200, { s: 'no_data' });
  const p = (x: number, f: number): number => (f === 1 ? x : round4(x * f));
  return jsonResponse(200, {
    c: rows.map((b) => p(b.bar.close, b.f.price)),
    h: rows.map((b) => p(b.bar.high, b.f.price)),
    l: rows.map((b) => p(b.bar.low, b.f.price)),
    o: rows.map((b) => p(b.bar.open, b.f.price)),
    s: 'ok',
    t: rows.map((b) => Date.parse(`${b.date}T00:00:00Z`) / 1000),
    v: rows.map((b) => Math.round(b.bar.volume * b.f.volume)),
  });
}

interface DateWindow {
  symbol: string;
  from: string;
  to: string;
}

/** `symbol`, `from`, `to` (`YYYY-MM-DD`), all required. */
function dateWindow(query: URLSearchParams): DateWindow | EmulatorResponse {
  const symbol = query.get('symbol');
  if (!symbol) return badParameter('symbol');
  const from = query.get('from') ?? '';
  if (!isIsoDate(from)) return badParameter('from');
  const to = query.get('to') ?? '';
  if (!isIsoDate(to)) return badParameter('to');
  return { symbol, from, to };
}

/** `GET /stock/split?symbol=&from=&to=` (premium) — `date` is the ex-date; ratio = toFactor / fromFactor. */
export function splits(query: URLSearchParams, ctx: FinnhubContext): EmulatorResponse {
  const w = dateWindow(query);
  if ('status' in w) return w;
  const rows = ctx.market
    .splitsOf(w.symbol)
    .filter((s) => s.exDate >= w.from && s.exDate <= w.to && s.exDate <= ctx.today)
    .map((s) => ({ symbol: s.symbol, date: s.exDate, fromFactor: s.oldShares, toFactor: s.newShares }));
  return jsonResponse(200, rows);
}

/**
 * `GET /stock/dividend?symbol=&from=&to=` (premium) — newest first as in the docs sample; `amount`
 * raw, `adjustedAmount` in today's share terms. Only dividends declared by today are known.
 */
export function dividends(query: URLSearchParams, ctx: FinnhubContext): EmulatorResponse {
  const w = dateWindow(query);
  if ('status' in w) return w;
  const rows = ctx.market
    .dividendsOf(w.symbol)
    .filter((d) => d.exDate >= w.from && d.exDate <= w.to && d.declaredDate <= ctx.today)
    .map((d) => ({
      symbol: d.symbol,
      date: d.exDate,
      amount: d.cash,
      adjustedAmount: round4(d.cash * splitFactorAt(ctx.market, d.symbol, d.exDate, ctx.today).price),
      payDate: d.payDate,
      recordDate: d.recordDate,
      declarationDate: d.declaredDate,
      currency: 'USD',
    }))
    .reverse();
  return jsonResponse(200, rows);
}

