import { Malformed } from '../../http/index.js';
import { invariantBroken } from '../shared/index.js';
import { fredGet, requireSeriesId, requireWindow, type FredContext } from './context.js';
import { fetchObservationRows, type FredSeriesParams, type MacroSeriesRow } from './observations.js';
import { vintageDatesPageSchema } from './schemas.js';

/** FRED refuses an observations request whose real-time window spans more vintage dates (json/xml). */
export const MAX_VINTAGE_DATES_PER_REQUEST = 2_000;
/** FRED's maximum `limit` for series/vintagedates. */
export const VINTAGE_DATES_PAGE_LIMIT = 10_000;
/** ALFRED's "all of time" real-time window. */
export const ALFRED_REALTIME_START = '1776-07-04';
export const ALFRED_REALTIME_END = '9999-12-31';
const MAX_PAGES = 1_000;

export interface FredRealtimeWindow {
  /** Inclusive real-time (vintage) bounds; default the whole ALFRED history, 1776-07-04..9999-12-31. */
  realtimeStart?: string | undefined;
  realtimeEnd?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface FredVintageParams extends FredSeriesParams, FredRealtimeWindow {}

/** One ALFRED observations request of a chunked vintage pull. */
export interface VintageWindow {
  realtimeStart: string;
  realtimeEnd: string;
  /** Vintage dates of the series inside this window. */
  vintageDates: number;
}

/** `GET /fred/series/vintagedates`, all pages (offset/limit 10,000): the series' release dates in the window, ascending. */
export async function fetchVintageDates(ctx: FredContext, seriesId: string, params: FredRealtimeWindow = {}): Promise<string[]> {
  const endpoint = 'fred.vintages';
  const id = requireSeriesId(seriesId, endpoint);
  const start = params.realtimeStart ?? ALFRED_REALTIME_START;
  const end = params.realtimeEnd ?? ALFRED_REALTIME_END;
  requireWindow(start, end, ['realtimeStart', 'realtimeEnd'], endpoint);
  const dates = new Set<string>();
  for (let offset = 0, page = 1; ; page += 1) {
    const query = { series_id: id, realtime_start: start, realtime_end: end, sort_order: 'asc', limit: VINTAGE_DATES_PAGE_LIMIT, offset };
    const result = await fredGet(ctx, '/fred/series/vintagedates', query, endpoint, vintageDatesPageSchema, params.signal);
    const { vintage_dates: got, count } = result.body;
    const stray = got.find((date) => date < start || date > end);
    if (stray !== undefined) throw invariantBroken(result, 'fred', endpoint, `vintage date ${stray} lies outside ${start}..${end}`);
    got.forEach((date) => dates.add(date));
    if (got.length === 0 && count !== undefined && offset < count) throw invariantBroken(result, 'fred', endpoint, `empty page at offset ${offset} although count is ${count}`);
    offset += got.length;
    if (got.length === 0 || (count === undefined ? got.length < VINTAGE_DATES_PAGE_LIMIT : offset >= count)) break;
    if (page >= MAX_PAGES) throw invariantBroken(result, 'fred', endpoint, `offset pagination did not end after ${page} pages`);
  }
  return [...dates].sort();
}

/**
 * Splits a real-time window into requests of at most `perRequest` vintage dates (fred.md §4):
 * window k covers vintage dates V[k·n … k·n+n−1] and starts on a vintage date, except that the
 * first starts at the requested start and the last ends at the requested end (so a value still
 * current keeps realtime_end 9999-12-31). No vintage dates in the window → one request.
 */
export function planVintageWindows(vintageDates: readonly string[], realtimeStart: string, realtimeEnd: string, perRequest = MAX_VINTAGE_DATES_PER_REQUEST): VintageWindow[] {
  const dates = [...new Set(vintageDates)].filter((d) => d >= realtimeStart && d <= realtimeEnd).sort();
  if (dates.length === 0) return [{ realtimeStart, realtimeEnd, vintageDates: 0 }];
  const size = Math.max(1, Math.floor(perRequest));
  const windows: VintageWindow[] = [];
  for (let first = 0; first < dates.length; first += size) {
    const last = Math.min(first + size, dates.length) - 1;
    windows.push({
      realtimeStart: first === 0 ? realtimeStart : (dates[first] as string),
      realtimeEnd: last === dates.length - 1 ? realtimeEnd : (dates[last] as string),
      vintageDates: last - first + 1,
    });
  }
  return windows;
}

/**
 * `fred.vintages`: every version of a series' observations (ALFRED, output_type 1) inside a
 * real-time window, fetched as vintagedates + one observations request (plus pages) per window
 * of ≤ 2,000 vintage dates, then stitched.
 *
 * Output: one row per (series_id, date, realtime_start) — one version of one observation, the
 * value that was current over the closed interval [realtime_start, realtime_end];
 * realtime_end 9999-12-31 = still current. FRED clips intervals to each request's window; the
 * stitching undoes that at the internal boundaries (a version continued across windows becomes
 * one row; a version cut at a window end runs until the day before the next window's first
 * vintage, since nothing is released in between). Only the requested bounds clip.
 */
export async function fetchVintages(ctx: FredContext, seriesId: string, params: FredVintageParams = {}): Promise<MacroSeriesRow[]> {
  const endpoint = 'fred.vintages';
  const id = requireSeriesId(seriesId, endpoint);
  requireWindow(params.start, params.end, ['start', 'end'], endpoint);
  const realtimeStart = params.realtimeStart ?? ALFRED_REALTIME_START;
  const realtimeEnd = params.realtimeEnd ?? ALFRED_REALTIME_END;
  const vintageDates = await fetchVintageDates(ctx, id, { realtimeStart, realtimeEnd, signal: params.signal });
  const windows = planVintageWindows(vintageDates, realtimeStart, realtimeEnd, ctx.vintageDatesPerRequest);
  const chunks: MacroSeriesRow[][] = [];
  for (const window of windows) {
    const rows = await fetchObservationRows(ctx, { seriesId: id, endpoint, start: params.start, end: params.end, realtimeStart: window.realtimeStart, realtimeEnd: window.realtimeEnd, signal: params.signal });
    chunks.push(rows.map((row) => clipToWindow(row, window)));
  }
  return stitchWindows(chunks, windows);
}

/** FRED clips to the query window; doing it again here makes stitching independent of whether it did. */
function clipToWindow(row: MacroSeriesRow, window: VintageWindow): MacroSeriesRow {
  const realtime_start = row.realtime_start < window.realtimeStart ? window.realtimeStart : row.realtime_start;
  const realtime_end = row.realtime_end > window.realtimeEnd ? window.realtimeEnd : row.realtime_end;
  if (realtime_start > realtime_end) {
    const reason = `${row.series_id} ${row.date}: version ${row.realtime_start}..${row.realtime_end} lies outside the requested real-time window ${window.realtimeStart}..${window.realtimeEnd}`;
    throw new Malformed(reason, { vendor: 'fred', endpoint: 'fred.vintages', url: row.source_uri });
  }
  return { ...row, realtime_start, realtime_end };
}

/** A version being stitched: its end moves while later windows are read. */
type OpenVersion = { -readonly [K in keyof MacroSeriesRow]: MacroSeriesRow[K] };

function stitchWindows(chunks: readonly MacroSeriesRow[][], windows: readonly VintageWindow[]): MacroSeriesRow[] {
  const out: OpenVersion[] = [];
  // Versions cut at the previous window's end, by observation date.
  let cut = new Map<string, OpenVersion>();
  chunks.forEach((rows, k) => {
    const window = windows[k] as VintageWindow;
    const isLast = k === windows.length - 1;
    const next = new Map<string, OpenVersion>();
    const continued = new Set<string>();
    for (const row of rows) {
      const before = row.realtime_start === window.realtimeStart ? cut.get(row.date) : undefined;
      let version: OpenVersion = { ...row };
      if (before !== undefined && before.value === row.value) {
        before.realtime_end = row.realtime_end;
        continued.add(row.date);
        version = before;
      } else {
        out.push(version);
      }
      if (!isLast && version.realtime_end === window.realtimeEnd) next.set(row.date, version);
    }
    for (const [date, version] of cut) if (!continued.has(date)) version.realtime_end = dayBefore(window.realtimeStart);
    cut = next;
  });
  return out.sort((a, b) => (a.date === b.date ? compare(a.realtime_start, b.realtime_start) : compare(a.date, b.date)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
