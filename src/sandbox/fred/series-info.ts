import { nyInstant } from '../../calendar/index.js';
import type { EmulatorResponse } from '../shared/http.js';
import type { FredContext } from './context.js';
import { FredApiError, MESSAGES } from './messages.js';
import { seriesParam, windowParam } from './params.js';
import { knownVintages, REALTIME_MAX } from './realtime.js';
import { json, xml } from './wire.js';

/**
 * `GET /fred/series`: one `seriess` row (the sandbox's metadata never changes over real time, so
 * the row carries the requested window). Observation bounds and `last_updated` are as known at the
 * window's end (or today); a series with nothing released by then does not exist yet.
 */
export function seriesMetadata(query: URLSearchParams, ctx: FredContext): EmulatorResponse {
  const series = seriesParam(query, ctx.data);
  const [realtimeStart, realtimeEnd] = windowParam(query, 'realtime', [ctx.today, ctx.today]);
  const asOf = realtimeEnd < ctx.today ? realtimeEnd : ctx.today;
  const released = series.observations.filter((o) => (o.versions[0]?.realtimeStart ?? REALTIME_MAX) <= asOf);
  const [firstObservation, lastObservation] = [released[0], released.at(-1)];
  const lastVintage = knownVintages(series.vintageDates, asOf).at(-1);
  if (!firstObservation || !lastObservation || lastVintage === undefined) throw new FredApiError(400, MESSAGES.seriesDoesNotExist);

  const { info } = series;
  const row: Record<string, string | number> = {
    id: info.id,
    realtime_start: realtimeStart,
    realtime_end: realtimeEnd,
    title: info.title,
    observation_start: firstObservation.date,
    observation_end: lastObservation.date,
    frequency: info.frequency,
    frequency_short: info.frequencyShort,
    units: info.units,
    units_short: info.unitsShort,
    seasonal_adjustment: info.seasonalAdjustment,
    seasonal_adjustment_short: info.seasonalAdjustmentShort,
    last_updated: `${lastVintage} ${info.updateTime}${centralOffset(lastVintage)}`,
    popularity: info.popularity,
    ...(info.notes === undefined ? {} : { notes: info.notes }),
  };
  if (ctx.fileType === 'xml') {
    const attributes = [['realtime_start', realtimeStart], ['realtime_end', realtimeEnd]] as const;
    return xml(200, { name: 'seriess', attributes, children: [{ name: 'series', attributes: Object.entries(row) }] });
  }
  return json(200, { realtime_start: realtimeStart, realtime_end: realtimeEnd, seriess: [row] });
}

/** US Central time's UTC offset on a date, as FRED writes it (`-05` CDT, `-06` CST). */
function centralOffset(date: string): string {
  const newYorkHours = (Date.parse(`${date}T12:00:00Z`) - nyInstant(date, '12:00')) / 3_600_000;
  const central = newYorkHours - 1;
  return `${central < 0 ? '-' : '+'}${String(Math.abs(central)).padStart(2, '0')}`;
}
