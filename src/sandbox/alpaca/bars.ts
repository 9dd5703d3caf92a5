import { nyDate, nyInstant } from '../../calendar/index.js';
import { barFactors, type BarFactors } from '../shared/adjustment.js';
import { round4 } from '../shared/dates.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { minuteBars, type SandboxBar } from '../market/index.js';
import { boundInstant, parseBarsQuery, type BarsQuery, type Bound } from './bars-query.js';
import { alpacaError, type AlpacaContext } from './context.js';
import { decodeBarToken, encodeBarToken, isAfter, pageCap, takePage, type BarCursor, type Page, type PageRow } from './page-token.js';

/** One bar on the wire, keys in the vendor's order. */
export interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

/** IEX is one venue: ~2.5 % of consolidated volume, same prices in this simulation. */
const IEX_SHARE = 0.025;
const NO_ADJUSTMENT: BarFactors = { price: 1, volume: 1 };

/** `GET /v2/stocks/bars`: a `bars` map keyed by symbol. */
export function multiBars(query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  const page = barsPage(query, undefined, ctx);
  if ('status' in page) return page;
  const bars: Record<string, WireBar[]> = {};
  for (const row of page.rows) (bars[row.symbol] ??= []).push(row.bar);
  const body: Record<string, unknown> = { bars, next_page_token: page.nextPageToken };
  const currency = query.get('currency');
  if (currency !== null) body.currency = currency;
  return jsonResponse(200, body);
}

/** `GET /v2/stocks/{symbol}/bars`: `bars` is an array, or null when empty. */
export function singleBars(symbol: string, query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  const page = barsPage(query, symbol, ctx);
  if ('status' in page) return page;
  const bars = page.rows.length > 0 ? page.rows.map((r) => r.bar) : null;
  return jsonResponse(200, { bars, symbol, next_page_token: page.nextPageToken });
}

/**
 * One page of bars, sorted by symbol then time. Daily pages hold `limit` bars; intraday pages hold
 * at most the plan's intraday cap whatever `limit` says (the vendor's ~190–255-bar pages).
 */
function barsPage(query: URLSearchParams, pathSymbol: string | undefined, ctx: AlpacaContext): Page<WireBar> | EmulatorResponse {
  const parsed = parseBarsQuery(query, pathSymbol, ctx);
  if (!parsed.ok) return alpacaError(400, parsed.message);
  const q = parsed.value;
  if (q.feed === 'sip' && query.has('end') && boundInstant(q.end) > ctx.now - ctx.recentSipBlockMs) {
    return alpacaError(403, 'subscription does not permit querying recent SIP data');
  }
  const unit = q.timeframe === 'day' ? 'D' : 'M';
  let after: BarCursor | undefined;
  if (q.pageToken !== undefined) {
    after = decodeBarToken(q.pageToken, unit, q.sort, q.fingerprint, q.symbols);
    if (!after) return alpacaError(400, 'invalid page token');
  }
  const rows = q.timeframe === 'day' ? dailyRows(q, after, ctx) : minuteRows(q, after, ctx);
  const size = q.timeframe === 'day' ? q.limit : Math.min(q.limit, pageCap(ctx.intradayPageCap, `${q.fingerprint}|${q.pageToken ?? ''}`));
  return takePage(rows, size, (last) => encodeBarToken(last, unit, q.sort, q.fingerprint));
}

function* dailyRows(q: BarsQuery, after: BarCursor | undefined, ctx: AlpacaContext): Generator<PageRow<WireBar>> {
  const afterDate = after && nyDate(after.ms);
  for (const symbol of q.symbols) {
    if (after && symbol < after.symbol) continue;
    const all = ctx.market.barsOf(symbol);
    const factors = barFactors(ctx.market, symbol, all, ctx.today, { split: q.split, dividend: q.dividend });
    const indices = all.flatMap(({ date }, i) => (date <= ctx.lastCompleted && afterStart(date, q.start) && beforeEnd(date, q.end) ? [i] : []));
    if (q.sort === 'desc') indices.reverse();
    for (const i of indices) {
      const { date, bar } = all[i] as { date: string; bar: SandboxBar };
      if (after && afterDate && symbol === after.symbol && (q.sort === 'asc' ? date <= afterDate : date >= afterDate)) continue;
      const ms = nyInstant(date, '00:00');
      yield { symbol, ms, bar: wireBar(ms, bar, factors[i] as BarFactors, q.feed) };
    }
  }
}

/**
 * Regular and extended-hours minute bars inside [start, end] (a bare date is 00:00 UTC, per the
 * notes), only minutes already over; generated one session at a time as the page fills.
 */
function* minuteRows(q: BarsQuery, after: BarCursor | undefined, ctx: AlpacaContext): Generator<PageRow<WireBar>> {
  const startMs = boundInstant(q.start);
  const endMs = Math.min(boundInstant(q.end), ctx.now - 60_000);
  if (startMs > endMs) return;
  const [firstDate, lastDate] = [nyDate(startMs), nyDate(endMs)];
  const dates = ctx.market.sessions.filter((d) => d >= firstDate && d <= lastDate);
  if (q.sort === 'desc') dates.reverse();
  const afterDate = after && nyDate(after.ms);
  for (const symbol of q.symbols) {
    if (after && symbol < after.symbol) continue;
    const factorOn = factorsByDate(symbol, q, ctx);
    for (const date of dates) {
      if (after && afterDate && symbol === after.symbol && (q.sort === 'asc' ? date < afterDate : date > afterDate)) continue;
      const bars = minuteBars(ctx.market, symbol, date, { extendedHours: true });
      if (q.sort === 'desc') bars.reverse();
      const factor = factorOn(date);
      for (const bar of bars) {
        if (bar.ts < startMs || bar.ts > endMs || (after && symbol === after.symbol && !isAfter(bar.ts, after, q.sort))) continue;
        yield { symbol, ms: bar.ts, bar: wireBar(bar.ts, bar, factor, q.feed) };
      }
    }
  }
}

/** The vendor-side adjustment of a symbol's sessions as of today, looked up by date. */
function factorsByDate(symbol: string, q: BarsQuery, ctx: AlpacaContext): (date: string) => BarFactors {
  if (!q.split && !q.dividend) return () => NO_ADJUSTMENT;
  const all = ctx.market.barsOf(symbol);
  const factors = barFactors(ctx.market, symbol, all, ctx.today, { split: q.split, dividend: q.dividend });
  const byDate = new Map(all.map(({ date }, i) => [date, factors[i] as BarFactors]));
  return (date) => byDate.get(date) ?? NO_ADJUSTMENT;
}

function afterStart(date: string, bound: Bound): boolean {
  return bound.kind === 'date' ? date >= bound.date : nyInstant(date, '00:00') >= bound.ms;
}

function beforeEnd(date: string, bound: Bound): boolean {
  return bound.kind === 'date' ? date <= bound.date : nyInstant(date, '00:00') <= bound.ms;
}

/** RFC-3339 without fractional seconds, as the vendor stamps bars. */
export function barTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function wireBar(ms: number, bar: SandboxBar, f: BarFactors, feed: BarsQuery['feed']): WireBar {
  const price = (x: number): number => (f.price === 1 ? x : round4(x * f.price));
  let volume = f.volume === 1 ? bar.volume : Math.round(bar.volume * f.volume);
  let trades = bar.trades;
  if (feed === 'iex') {
    volume = Math.max(1, Math.round(volume * IEX_SHARE));
    trades = Math.max(1, Math.round(trades * IEX_SHARE));
  }
  return { t: barTime(ms), o: price(bar.open), h: price(bar.high), l: price(bar.low), c: price(bar.close), v: volume, n: trades, vw: price(bar.vwap) };
}
