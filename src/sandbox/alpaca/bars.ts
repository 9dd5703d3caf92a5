import { nyDate, nyInstant } from '../../calendar/index.js';
import { barFactors, type BarFactors } from '../shared/adjustment.js';
import { round4 } from '../shared/dates.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { DatedBar } from '../market/index.js';
import { boundInstant, parseBarsQuery, type BarsQuery, type Bound } from './bars-query.js';
import { alpacaError, type AlpacaContext } from './context.js';

/** One bar on the wire, keys in the vendor's order. */
interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

interface PageRow {
  symbol: string;
  bar: WireBar;
}

interface Page {
  rows: PageRow[];
  nextPageToken: string | null;
}

/** IEX is one venue: ~2.5 % of consolidated volume, same prices in this simulation. */
const IEX_SHARE = 0.025;
/** Desc tokens carry an inverted timestamp, as the vendor's do. */
const INVERT_BASE_NS = 9_223_372_036_000_000_000n;

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

function barsPage(query: URLSearchParams, pathSymbol: string | undefined, ctx: AlpacaContext): Page | EmulatorResponse {
  const parsed = parseBarsQuery(query, pathSymbol, ctx);
  if (!parsed.ok) return alpacaError(400, parsed.message);
  const q = parsed.value;
  if (q.feed === 'sip' && query.has('end') && boundInstant(q.end) > ctx.now - ctx.recentSipBlockMs) {
    return alpacaError(403, 'subscription does not permit querying recent SIP data');
  }
  let after: Cursor | undefined;
  if (q.pageToken !== undefined) {
    after = decodeToken(q.pageToken, q);
    if (!after) return alpacaError(400, 'invalid page token');
  }
  return collectPage(q, after, ctx);
}

function collectPage(q: BarsQuery, after: Cursor | undefined, ctx: AlpacaContext): Page {
  const rows: PageRow[] = [];
  for (const symbol of q.symbols) {
    if (after && symbol < after.symbol) continue;
    for (const { dated, factor } of seriesOf(symbol, q, ctx)) {
      if (after && symbol === after.symbol && (q.sort === 'asc' ? dated.date <= after.date : dated.date >= after.date)) continue;
      if (rows.length === q.limit) {
        const last = rows[rows.length - 1] as PageRow;
        return { rows, nextPageToken: encodeToken(last.symbol, nyDate(Date.parse(last.bar.t)), q) };
      }
      rows.push({ symbol, bar: wireBar(dated, factor, q.feed) });
    }
  }
  return { rows, nextPageToken: null };
}

/** A symbol's bars inside the window with their adjustment factors, sorted the requested way. */
function seriesOf(symbol: string, q: BarsQuery, ctx: AlpacaContext): Array<{ dated: DatedBar; factor: BarFactors }> {
  const all = ctx.market.barsOf(symbol);
  const factors = barFactors(ctx.market, symbol, all, ctx.today, { split: q.split, dividend: q.dividend });
  const out: Array<{ dated: DatedBar; factor: BarFactors }> = [];
  all.forEach((dated, i) => {
    const { date } = dated;
    if (date <= ctx.lastCompleted && afterStart(date, q.start) && beforeEnd(date, q.end)) out.push({ dated, factor: factors[i] as BarFactors });
  });
  return q.sort === 'asc' ? out : out.reverse();
}

function afterStart(date: string, bound: Bound): boolean {
  return bound.kind === 'date' ? date >= bound.date : nyInstant(date, '00:00') >= bound.ms;
}

function beforeEnd(date: string, bound: Bound): boolean {
  return bound.kind === 'date' ? date <= bound.date : nyInstant(date, '00:00') <= bound.ms;
}

function wireBar({ date, bar }: DatedBar, f: BarFactors, feed: BarsQuery['feed']): WireBar {
  const price = (x: number): number => (f.price === 1 ? x : round4(x * f.price));
  let volume = f.volume === 1 ? bar.volume : Math.round(bar.volume * f.volume);
  let trades = bar.trades;
  if (feed === 'iex') {
    volume = Math.max(1, Math.round(volume * IEX_SHARE));
    trades = Math.max(1, Math.round(trades * IEX_SHARE));
  }
  return {
    t: new Date(nyInstant(date, '00:00')).toISOString().replace('.000Z', 'Z'),
    o: price(bar.open),
    h: price(bar.high),
    l: price(bar.low),
    c: price(bar.close),
    v: volume,
    n: trades,
    vw: price(bar.vwap),
  };
}

interface Cursor {
  symbol: string;
  date: string;
}

/** base64 of `SYMBOL|D|<time>|<fingerprint>`: the last bar returned, and the parameters it belongs to. */
function encodeToken(symbol: string, date: string, q: BarsQuery): string {
  const ms = nyInstant(date, '00:00');
  const time = q.sort === 'asc' ? new Date(ms).toISOString().replace('.000Z', '.000000000Z') : String(INVERT_BASE_NS - BigInt(ms) * 1_000_000n);
  return Buffer.from(`${symbol}|D|${time}|${q.fingerprint}`).toString('base64');
}

function decodeToken(token: string, q: BarsQuery): Cursor | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (Buffer.from(text).toString('base64') !== token) return undefined;
  const [symbol, unit, time, print, ...rest] = text.split('|');
  if (rest.length > 0 || unit !== 'D' || print !== q.fingerprint || symbol === undefined || !q.symbols.includes(symbol) || time === undefined) return undefined;
  let ms: number;
  if (q.sort === 'asc') {
    ms = Date.parse(time.replace('.000000000Z', '.000Z'));
  } else {
    if (!/^\d{1,19}$/.test(time)) return undefined;
    ms = Number((INVERT_BASE_NS - BigInt(time)) / 1_000_000n);
  }
  try {
    return { symbol, date: nyDate(ms) };
  } catch {
    return undefined; // a time the calendar cannot place is no token of ours
  }
}
