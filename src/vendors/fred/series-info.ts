import { lineage, type Lineage } from '../shared/index.js';
import { fredGet, requireSeriesId, type FredContext } from './context.js';
import { seriesInfoSchema } from './schemas.js';

/** One `GET /fred/series` record: what to confirm about a series before trusting its observations. */
export interface FredSeriesInfo extends Lineage {
  series_id: string;
  title: string | null;
  observation_start: string;
  observation_end: string;
  /** `D`, `W`, `M`, `Q`, `A`, … */
  frequency_short: string | null;
  units: string | null;
  seasonal_adjustment_short: string | null;
  /** `last_updated` (US Central with its offset, e.g. `2013-07-31 09:26:16-05`) as a UTC instant; null when absent or unreadable. */
  last_updated_at: string | null;
  realtime_start: string;
  realtime_end: string;
}

/**
 * Series metadata (vendors/fred.md §3.2). Several records when the real-time window spans a
 * metadata change; in FRED mode, one. Counted against `fred.series`.
 */
export async function fetchSeriesInfo(ctx: FredContext, seriesId: string, signal?: AbortSignal): Promise<FredSeriesInfo[]> {
  const endpoint = 'fred.series';
  const id = requireSeriesId(seriesId, endpoint);
  const result = await fredGet(ctx, '/fred/series', { series_id: id }, endpoint, seriesInfoSchema, signal);
  const origin = lineage('fred', result.redactedUrl, ctx.clock);
  return result.body.seriess.map((s) => ({
    series_id: s.id,
    title: s.title ?? null,
    observation_start: s.observation_start,
    observation_end: s.observation_end,
    frequency_short: s.frequency_short ?? null,
    units: s.units ?? null,
    seasonal_adjustment_short: s.seasonal_adjustment_short ?? null,
    last_updated_at: parseLastUpdated(s.last_updated),
    realtime_start: s.realtime_start,
    realtime_end: s.realtime_end,
    ...origin,
  }));
}

const LAST_UPDATED_RE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})([+-]\d{2})(?::?(\d{2}))?$/;

/** `2013-07-31 09:26:16-05` → `2013-07-31T14:26:16.000Z`. */
export function parseLastUpdated(value: string | null | undefined): string | null {
  const match = value === null || value === undefined ? null : LAST_UPDATED_RE.exec(value.trim());
  if (!match) return null;
  const [, date, time, hours, minutes] = match;
  const ms = Date.parse(`${date}T${time}${hours}:${minutes ?? '00'}`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
