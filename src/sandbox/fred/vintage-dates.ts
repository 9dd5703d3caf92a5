import type { EmulatorResponse } from '../shared/http.js';
import { VINTAGE_DATES_MAX_LIMIT, type FredContext } from './context.js';
import { limitParam, offsetParam, seriesParam, sortOrderParam, windowParam } from './params.js';
import { knownVintages, REALTIME_MAX, REALTIME_MIN } from './realtime.js';
import { json, xml } from './wire.js';

/** `GET /fred/series/vintagedates`: release dates that changed the series, whole history by default. */
export function vintageDates(query: URLSearchParams, ctx: FredContext): EmulatorResponse {
  const series = seriesParam(query, ctx.data);
  const [realtimeStart, realtimeEnd] = windowParam(query, 'realtime', [REALTIME_MIN, REALTIME_MAX]);
  const limit = limitParam(query, VINTAGE_DATES_MAX_LIMIT);
  const offset = offsetParam(query);
  const sortOrder = sortOrderParam(query);
  const dates = knownVintages(series.vintageDates, ctx.today).filter((d) => d >= realtimeStart && d <= realtimeEnd);
  if (sortOrder === 'desc') dates.reverse();
  const page = dates.slice(offset, offset + limit);
  const envelope = [
    ['realtime_start', realtimeStart],
    ['realtime_end', realtimeEnd],
    ['order_by', 'vintage_date'],
    ['sort_order', sortOrder],
    ['count', dates.length],
    ['offset', offset],
    ['limit', limit],
  ] as const;
  if (ctx.fileType === 'xml') {
    return xml(200, { name: 'vintage_dates', attributes: envelope, children: page.map((d) => ({ name: 'vintage_date', attributes: [], text: d })) });
  }
  return json(200, { ...Object.fromEntries(envelope), vintage_dates: page });
}
