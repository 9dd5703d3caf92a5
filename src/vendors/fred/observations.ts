import type { EndpointId, RowFor } from '../../catalog/index.js';
import type { HttpResult } from '../../http/index.js';
import { invariantBroken, lineage } from '../shared/index.js';
import { fredGet, requireSeriesId, requireWindow, type FredContext } from './context.js';
import { observationsPageSchema, type ObservationsPage } from './schemas.js';

export type MacroSeriesRow = RowFor<'macro_series'>;

/** FRED's documented maximum `limit` for series/observations. */
export const OBSERVATIONS_PAGE_LIMIT = 100_000;
/** An offset chain longer than this is a vendor loop, not data. */
const MAX_PAGES = 10_000;

export interface FredSeriesParams {
  /** Inclusive observation-date bounds (`observation_start` / `observation_end`); absent = the whole history. */
  start?: string | undefined;
  end?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** One observations query: the series, its observation window and, for ALFRED, a real-time window. */
export interface ObservationQuery {
  seriesId: string;
  endpoint: EndpointId;
  start?: string | undefined;
  end?: string | undefined;
  realtimeStart?: string | undefined;
  realtimeEnd?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Every page of `GET /fred/series/observations` with `offset`/`limit`: `count` is the total
 * matching rows (not the page length), so the next offset is `offset + rows` until it reaches
 * `count`; without `count`, a short page is the last. An empty page before `count` is Malformed.
 */
export async function* observationPages(ctx: FredContext, query: ObservationQuery): AsyncGenerator<HttpResult<ObservationsPage>> {
  let offset = 0;
  for (let page = 1; ; page += 1) {
    const params = {
      series_id: query.seriesId,
      realtime_start: query.realtimeStart,
      realtime_end: query.realtimeEnd,
      observation_start: query.start,
      observation_end: query.end,
      sort_order: 'asc',
      limit: ctx.observationsPageLimit,
      offset,
    };
    const result = await fredGet(ctx, '/fred/series/observations', params, query.endpoint, observationsPageSchema, query.signal);
    yield result;
    const rows = result.body.observations.length;
    const total = result.body.count;
    if (rows === 0) {
      if (total !== undefined && offset < total) throw invariantBroken(result, 'fred', query.endpoint, `empty page at offset ${offset} although count is ${total}`);
      return;
    }
    offset += rows;
    if (total === undefined ? rows < ctx.observationsPageLimit : offset >= total) return;
    if (page >= MAX_PAGES) throw invariantBroken(result, 'fred', query.endpoint, `offset pagination did not end after ${page} pages`);
  }
}

/**
 * All observations of one query as macro_series rows, in FRED's order. `"."` becomes null; any
 * other non-decimal value, a date outside the observation window or an inverted real-time
 * interval makes the page Malformed (nothing half-returned). A row repeated across pages (the
 * series moved while we paged) is kept once; a repeat with another value is Malformed.
 */
export async function fetchObservationRows(ctx: FredContext, query: ObservationQuery): Promise<MacroSeriesRow[]> {
  const rows = new Map<string, MacroSeriesRow>();
  for await (const result of observationPages(ctx, query)) {
    const origin = lineage('fred', result.redactedUrl, ctx.clock);
    for (const obs of result.body.observations) {
      const value = parseFredValue(obs.value);
      const broken = (reason: string): Error => invariantBroken(result, 'fred', query.endpoint, `${query.seriesId} ${obs.date}: ${reason}`);
      if (value === undefined) throw broken(`value ${JSON.stringify(obs.value)} is neither a decimal nor "."`);
      if ((query.start !== undefined && obs.date < query.start) || (query.end !== undefined && obs.date > query.end)) {
        throw broken(`observation lies outside ${query.start ?? '…'}..${query.end ?? '…'}`);
      }
      if (obs.realtime_start > obs.realtime_end) throw broken(`realtime_start ${obs.realtime_start} is after realtime_end ${obs.realtime_end}`);
      const row: MacroSeriesRow = { series_id: query.seriesId, date: obs.date, value, realtime_start: obs.realtime_start, realtime_end: obs.realtime_end, ...origin };
      const key = `${row.date}|${row.realtime_start}`;
      const seen = rows.get(key);
      if (seen === undefined) rows.set(key, row);
      else if (seen.value !== row.value || seen.realtime_end !== row.realtime_end) throw broken(`two different versions share realtime_start ${row.realtime_start}`);
    }
  }
  return [...rows.values()];
}

/** `fred.series`: one series in FRED mode (real-time window = today, so both realtime columns are the fetch day). */
export async function fetchSeries(ctx: FredContext, seriesId: string, params: FredSeriesParams = {}): Promise<MacroSeriesRow[]> {
  const endpoint = 'fred.series';
  const id = requireSeriesId(seriesId, endpoint);
  requireWindow(params.start, params.end, ['start', 'end'], endpoint);
  return fetchObservationRows(ctx, { seriesId: id, endpoint, start: params.start, end: params.end, signal: params.signal });
}

const DECIMAL_RE = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A FRED value: a decimal string, or `"."` for missing (→ null). Anything else → undefined (junk). */
export function parseFredValue(text: string): number | null | undefined {
  if (text === '.') return null;
  if (!DECIMAL_RE.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
