import type { EmulatorResponse } from '../shared/http.js';
import { OBSERVATIONS_MAX_LIMIT, type FredContext } from './context.js';
import { FredApiError, MESSAGES } from './messages.js';
import {
  checkFrequency,
  checkUnits,
  limitParam,
  offsetParam,
  outputTypeParam,
  seriesParam,
  sortOrderParam,
  vintageDatesParam,
  windowParam,
} from './params.js';
import { countWithin, knownVintages, realtimeRows, REALTIME_MAX, REALTIME_MIN, scopeBounds, type RealtimeRow, type RealtimeScope } from './realtime.js';
import { json, xml } from './wire.js';

/** `GET /fred/series/observations` (output_type 1 and 4, units lin, native frequency). */
export function observations(query: URLSearchParams, ctx: FredContext): EmulatorResponse {
  const series = seriesParam(query, ctx.data);
  const [observationStart, observationEnd] = windowParam(query, 'observation', [REALTIME_MIN, REALTIME_MAX]);
  const scope = scopeOf(query, ctx, series.vintageDates);
  const limit = limitParam(query, OBSERVATIONS_MAX_LIMIT);
  const offset = offsetParam(query);
  const sortOrder = sortOrderParam(query);
  const outputType = outputTypeParam(query);
  checkUnits(query);
  checkFrequency(query, series.info.frequencyShort);

  const rows = realtimeRows(series.observations, { today: ctx.today, scope, observationStart, observationEnd, initialOnly: outputType === 4 });
  // Array#sort is stable: descending by date keeps each date's versions in real-time order.
  if (sortOrder === 'desc') rows.sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? 1 : -1));
  const page = rows.slice(offset, offset + limit);
  const [realtimeStart, realtimeEnd] = scopeBounds(scope);
  const envelope = [
    ['realtime_start', realtimeStart],
    ['realtime_end', realtimeEnd],
    ['observation_start', observationStart],
    ['observation_end', observationEnd],
    ['units', 'lin'],
    ['output_type', outputType],
    ['file_type', ctx.fileType],
    ['order_by', 'observation_date'],
    ['sort_order', sortOrder],
    ['count', rows.length],
    ['offset', offset],
    ['limit', limit],
  ] as const;
  if (ctx.fileType === 'xml') return xml(200, { name: 'observations', attributes: envelope, children: page.map(xmlRow) });
  return json(200, { ...Object.fromEntries(envelope), observations: page.map(jsonRow) });
}

/**
 * `vintage_dates` replaces the real-time window when both are given. Either way a request may span
 * at most `maxVintageDates` vintage dates (fred.md §4): counted in the list, or among the series'
 * vintage dates inside the window.
 */
function scopeOf(query: URLSearchParams, ctx: FredContext, vintageDates: readonly string[]): RealtimeScope {
  const dates = vintageDatesParam(query, ctx.maxVintageDates);
  if (dates) return { kind: 'vintages', dates };
  const [start, end] = windowParam(query, 'realtime', [ctx.today, ctx.today]);
  if (countWithin(knownVintages(vintageDates, ctx.today), start, end) > ctx.maxVintageDates) {
    throw new FredApiError(400, MESSAGES.tooManyVintageDates(ctx.maxVintageDates));
  }
  return { kind: 'window', start, end };
}

function jsonRow(r: RealtimeRow): Record<string, string> {
  return { realtime_start: r.realtimeStart, realtime_end: r.realtimeEnd, date: r.date, value: r.value };
}

function xmlRow(r: RealtimeRow): { name: string; attributes: ReadonlyArray<readonly [string, string]> } {
  return { name: 'observation', attributes: Object.entries(jsonRow(r)) };
}
