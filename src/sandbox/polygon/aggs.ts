import { addDays, nyDate, nyInstant, sessionOf } from '../../calendar/index.js';
import { barFactors, splitFactorAt } from '../shared/adjustment.js';
import { isIsoDate, round4 } from '../shared/dates.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { DatedBar, SandboxBar } from '../market/index.js';
import { notAuthorized, polygonError, PUBLIC_HOST, TIMEFRAME_MESSAGE, type PolygonContext } from './context.js';

interface WireAgg {
  v: number;
  vw: number;
  o: number;
  c: number;
  h: number;
  l: number;
  t: number;
  n: number;
}

function wireAgg(bar: SandboxBar, t: number, f: { price: number; volume: number }): WireAgg {
  const p = (x: number): number => (f.price === 1 ? x : round4(x * f.price));
  return { v: f.volume === 1 ? bar.volume : round4(bar.volume * f.volume), vw: p(bar.vwap), o: p(bar.open), c: p(bar.close), h: p(bar.high), l: p(bar.low), t, n: bar.trades };
}

function parseAdjusted(value: string | null): boolean | undefined {
  if (value === null || value === 'true') return true;
  return value === 'false' ? false : undefined;
}

/** A path time: `YYYY-MM-DD` (a New York date) or epoch milliseconds (the New York date containing it). */
function parsePathTime(text: string): string | undefined {
  if (isIsoDate(text)) return text;
  if (!/^\d{1,15}$/.test(text)) return undefined;
  try {
    return nyDate(Number(text));
  } catch {
    return undefined;
  }
}

/** Query parameters a follow-up `next_url` cursor carries (base64url of a query string). */
function aggsParams(query: URLSearchParams): URLSearchParams | undefined {
  const cursor = query.get('cursor');
  if (cursor === null) return query;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(decoded).toString('base64url') !== cursor) return undefined;
  const params = new URLSearchParams(decoded);
  return [...params.keys()].every((k) => ['adjusted', 'limit', 'sort'].includes(k)) ? params : undefined;
}

export interface RangeSegments {
  ticker: string;
  multiplier: string;
  timespan: string;
  from: string;
  to: string;
}

interface RangeRequest {
  ticker: string;
  from: string;
  to: string;
  adjusted: boolean;
  sort: 'asc' | 'desc';
  limit: number;
}

function parseRange(segments: RangeSegments, query: URLSearchParams): RangeRequest | string {
  const { ticker, multiplier, timespan } = segments;
  const params = aggsParams(query);
  if (!params) return 'Invalid cursor';
  if (multiplier !== '1' || timespan !== 'day') return `The sandbox serves only 1/day aggregates, not ${multiplier}/${timespan}`;
  const from = parsePathTime(segments.from);
  if (!from) return "Could not parse the time parameter: 'from'. Use YYYY-MM-DD or Unix MS Timestamps";
  const to = parsePathTime(segments.to);
  if (!to) return "Could not parse the time parameter: 'to'. Use YYYY-MM-DD or Unix MS Timestamps";
  if (to < from) return "The parameter 'to' cannot be a time that occurs before 'from'";
  const adjusted = parseAdjusted(params.get('adjusted'));
  if (adjusted === undefined) return "Could not parse the parameter 'adjusted'";
  const sort = params.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') return "Could not parse the parameter 'sort'";
  const limitText = params.get('limit');
  const limit = limitText === null ? 5000 : /^\d+$/.test(limitText) && Number(limitText) >= 1 ? Math.min(50_000, Number(limitText)) : undefined;
  if (limit === undefined) return "Could not parse the parameter 'limit'";
  return { ticker, from, to, adjusted, sort, limit };
}

/**
 * `GET /v2/aggs/ticker/{T}/range/{multiplier}/{timespan}/{from}/{to}` — daily bars only. `limit`
 * counts base aggregates; when it cuts the scan, `next_url` restarts after the last bar.
 */
export function rangeAggs(segments: RangeSegments, query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  const id = ctx.requestId;
  const r = parseRange(segments, query);
  if (typeof r === 'string') return polygonError(400, r, id);
  // Wholly outside the plan's window: refused; partly outside: silently clipped.
  if (r.to < ctx.historyFloor || r.from > ctx.today) return notAuthorized(TIMEFRAME_MESSAGE, id);
  const lo = r.from < ctx.historyFloor ? ctx.historyFloor : r.from;
  const hi = r.to > ctx.lastCompleted ? ctx.lastCompleted : r.to;

  const all = ctx.market.barsOf(r.ticker);
  const factors = barFactors(ctx.market, r.ticker, all, ctx.today, { split: r.adjusted, dividend: false });
  const inRange = all.map((bar, i) => ({ bar, i })).filter(({ bar }) => bar.date >= lo && bar.date <= hi);
  if (r.sort === 'desc') inRange.reverse();
  const page = inRange.slice(0, r.limit);
  const results = page.map(({ bar, i }) => wireAgg(bar.bar, nyInstant(bar.date, '00:00'), factors[i] as { price: number; volume: number }));
  const body: Record<string, unknown> = { ticker: r.ticker, queryCount: results.length, resultsCount: results.length, adjusted: r.adjusted };
  if (results.length > 0) body.results = results;
  body.status = 'OK';
  body.request_id = id;
  if (results.length > 0) body.count = results.length;
  if (inRange.length > r.limit) body.next_url = nextAggsUrl(segments, r, (page[page.length - 1] as { bar: DatedBar }).bar.date);
  return jsonResponse(200, body);
}

/** The path restarts the day after (asc) or before (desc) the last bar, as epoch ms; the cursor keeps the options. */
function nextAggsUrl(segments: RangeSegments, r: RangeRequest, lastDate: string): string {
  const cursor = Buffer.from(new URLSearchParams({ adjusted: String(r.adjusted), limit: String(r.limit), sort: r.sort }).toString()).toString('base64url');
  const window = r.sort === 'asc'
    ? `${nyInstant(addDays(lastDate, 1), '00:00')}/${segments.to}`
    : `${segments.from}/${nyInstant(addDays(lastDate, -1), '00:00')}`;
  return `${PUBLIC_HOST}/v2/aggs/ticker/${encodeURIComponent(r.ticker)}/range/1/day/${window}?cursor=${cursor}`;
}

/** `GET /v2/aggs/grouped/locale/us/market/stocks/{date}`: every ticker of one session, `t` at the session's close. */
export function groupedDaily(date: string, query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  const id = ctx.requestId;
  if (!isIsoDate(date)) return polygonError(400, "Could not parse the time parameter: 'date'. Use YYYY-MM-DD", id);
  const adjusted = parseAdjusted(query.get('adjusted'));
  if (adjusted === undefined) return polygonError(400, "Could not parse the parameter 'adjusted'", id);
  if (date < ctx.historyFloor || date > ctx.today) return notAuthorized(TIMEFRAME_MESSAGE, id);
  const session = sessionOf(date);
  const rows = session && date <= ctx.lastCompleted ? ctx.market.barsOn(date) : [];
  const results = rows.map(({ symbol, bar }) => {
    const f = adjusted ? splitFactorAt(ctx.market, symbol, date, ctx.today) : { price: 1, volume: 1 };
    return { T: symbol, ...wireAgg(bar, (session as { closeMs: number }).closeMs, f) };
  });
  if (results.length === 0) return jsonResponse(200, { queryCount: 0, resultsCount: 0, adjusted, status: 'OK', request_id: id });
  return jsonResponse(200, { queryCount: results.length, resultsCount: results.length, adjusted, results, status: 'OK', request_id: id, count: results.length });
}
