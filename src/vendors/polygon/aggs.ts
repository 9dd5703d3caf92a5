import type { EquityBarRow } from '../../catalog/index.js';
import { nyDate } from '../../calendar/index.js';
import { BadRequest, buildUrl, type HttpResult } from '../../http/index.js';
import { invariantBroken, lineage, requireDate, requireOrderedRange } from '../shared/index.js';
import { POLYGON_TICKER_RE, pages, type PolygonContext, type SkippedRow } from './context.js';
import { aggsPageSchema, type Agg, type AggsPage } from './schemas.js';

export const RANGE_LIMIT = 50_000;

export interface GroupedDailyResult {
  rows: EquityBarRow[];
  /** Rows dropped for a ticker failing the sanity check (also reported to the client's onSkip hook). */
  skipped: SkippedRow[];
  redactedUrl: string;
}

/**
 * `GET /v2/aggs/grouped/locale/us/market/stocks/{date}?adjusted=false`: every US ticker's bar for
 * one session. `t` marks the session end (16:00 New York); every row's New York date must be the
 * requested session, or the whole payload is Malformed: nothing is half-returned.
 */
export async function fetchGroupedDaily(ctx: PolygonContext, date: string, signal?: AbortSignal): Promise<GroupedDailyResult> {
  const endpoint = 'polygon.aggs.grouped_daily';
  requireDate(date, 'date', 'polygon', endpoint);
  const url = buildUrl(ctx.baseUrl, `/v2/aggs/grouped/locale/us/market/stocks/${date}`, { adjusted: 'false' });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: aggsPageSchema, signal });
  assertUnadjusted(result, endpoint);
  const origin = lineage('polygon', result.redactedUrl, ctx.clock);
  const rows: EquityBarRow[] = [];
  const skipped: SkippedRow[] = [];
  for (const agg of result.body.results ?? []) {
    const ticker = agg.T ?? '';
    if (!POLYGON_TICKER_RE.test(ticker)) {
      skipped.push({ endpoint, value: JSON.stringify(ticker), reason: 'ticker fails the sanity check' });
      continue;
    }
    const row = barRow(ticker, agg, origin);
    if (row.date !== date) throw invariantBroken(result, 'polygon', endpoint, `row ${ticker} is dated ${row.date} (t=${agg.t}), not the requested session ${date}`);
    rows.push(row);
  }
  skipped.forEach(ctx.onSkip);
  return { rows, skipped, redactedUrl: result.redactedUrl };
}

/**
 * `GET /v2/aggs/ticker/{T}/range/1/day/{from}/{to}?adjusted=false&sort=asc&limit=50000`, all
 * pages. `t` is the bar start (00:00 New York). A bar outside [from, to] makes the page Malformed.
 */
export async function fetchDailyRange(ctx: PolygonContext, symbol: string, from: string, to: string, signal?: AbortSignal): Promise<EquityBarRow[]> {
  const endpoint = 'polygon.aggs.day';
  if (!POLYGON_TICKER_RE.test(symbol)) throw new BadRequest(`invalid ticker ${JSON.stringify(symbol)}`, { vendor: 'polygon', endpoint });
  requireDate(from, 'from', 'polygon', endpoint);
  requireDate(to, 'to', 'polygon', endpoint);
  requireOrderedRange(from, to, 'polygon', endpoint);
  const path = `/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/1/day/${from}/${to}`;
  const first = buildUrl(ctx.baseUrl, path, { adjusted: 'false', sort: 'asc', limit: RANGE_LIMIT });
  const rows: EquityBarRow[] = [];
  for await (const result of pages(ctx, first, { endpoint, schema: aggsPageSchema, signal, keepUnadjusted: true })) {
    assertUnadjusted(result, endpoint);
    const origin = lineage('polygon', result.redactedUrl, ctx.clock);
    for (const agg of result.body.results ?? []) {
      const row = barRow(symbol, agg, origin);
      if (row.date < from || row.date > to) throw invariantBroken(result, 'polygon', endpoint, `bar dated ${row.date} lies outside ${from}..${to}`);
      rows.push(row);
    }
  }
  return rows;
}

export interface PolygonPreviousCloseOptions {
  /** Ask for split-adjusted prices; rows then say `adjusted: true` and do not belong in raw/. @default false */
  adjusted?: boolean;
  signal?: AbortSignal;
}

/**
 * `GET /v2/aggs/ticker/{T}/prev?adjusted=false`: the ticker's bar of the last completed session
 * (vendors/polygon.md §4.3), counted against `polygon.aggs.day`. `t` marks the session end (16:00
 * New York), so the row's date is `nyDate(t)`. Raw unless `adjusted: true` is asked for; a payload
 * whose `adjusted` flag contradicts the request is Malformed (the vendor default is adjusted), as
 * is more than one bar or a bar of another ticker. No bar at all (nothing traded) is null.
 */
export async function fetchPreviousClose(ctx: PolygonContext, ticker: string, options: PolygonPreviousCloseOptions = {}): Promise<EquityBarRow | null> {
  const endpoint = 'polygon.aggs.day';
  if (!POLYGON_TICKER_RE.test(ticker)) throw new BadRequest(`invalid ticker ${JSON.stringify(ticker)}`, { vendor: 'polygon', endpoint });
  const adjusted = options.adjusted ?? false;
  const url = buildUrl(ctx.baseUrl, `/v2/aggs/ticker/${encodeURIComponent(ticker)}/prev`, { adjusted: String(adjusted) });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: aggsPageSchema, signal: options.signal });
  const said = result.body.adjusted;
  if (said !== undefined && said !== adjusted) throw invariantBroken(result, 'polygon', endpoint, `asked for adjusted=${adjusted} but the payload says adjusted=${said}`);
  const bars = result.body.results ?? [];
  if (bars.length > 1) throw invariantBroken(result, 'polygon', endpoint, `expected one previous-close bar, got ${bars.length}`);
  const [agg] = bars;
  if (agg === undefined) return null;
  if (agg.T !== undefined && agg.T !== ticker) throw invariantBroken(result, 'polygon', endpoint, `asked for ${ticker}, got a bar of ${JSON.stringify(agg.T)}`);
  return { ...barRow(ticker, agg, lineage('polygon', result.redactedUrl, ctx.clock)), adjusted };
}

/** We always ask for raw prices; a payload that says it is split-adjusted must not be stored as raw. */
function assertUnadjusted(result: HttpResult<AggsPage>, endpoint: 'polygon.aggs.day' | 'polygon.aggs.grouped_daily'): void {
  if (result.body.adjusted === true) throw invariantBroken(result, 'polygon', endpoint, 'asked for adjusted=false but the payload says adjusted=true');
}

function barRow(symbol: string, agg: Agg, origin: ReturnType<typeof lineage>): EquityBarRow {
  return {
    symbol,
    // Range bars start at 00:00 New York, grouped bars end at 16:00 New York: the NY date is the session either way.
    date: nyDate(agg.t),
    open: agg.o,
    high: agg.h,
    low: agg.l,
    close: agg.c,
    volume: agg.v,
    vwap: agg.vw ?? null,
    trades: agg.n ?? null,
    feed: null,
    adjusted: false,
    ...origin,
  };
}
