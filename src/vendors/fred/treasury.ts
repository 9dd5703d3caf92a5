import type { RowFor } from '../../catalog/index.js';
import { BadRequest } from '../../http/index.js';
import { requireWindow, type FredContext } from './context.js';
import { fetchObservationRows, type FredSeriesParams } from './observations.js';

export type TreasuryRow = RowFor<'treasuries'>;

/**
 * The H.15 constant-maturity curve (vendors/fred.md §5) → canonical tenor labels. DGS2MO and
 * DGS4MO exist too but are unconfirmed in the notes, and the capability's cost (11) counts these.
 */
export const TREASURY_SERIES = {
  DGS1MO: '1M',
  DGS3MO: '3M',
  DGS6MO: '6M',
  DGS1: '1Y',
  DGS2: '2Y',
  DGS3: '3Y',
  DGS5: '5Y',
  DGS7: '7Y',
  DGS10: '10Y',
  DGS20: '20Y',
  DGS30: '30Y',
} as const;
export type TreasurySeriesId = keyof typeof TREASURY_SERIES;
export type TreasuryTenor = (typeof TREASURY_SERIES)[TreasurySeriesId];

export interface FredTreasuryParams extends FredSeriesParams {
  /** A subset of the curve (ids of TREASURY_SERIES, any case); default all 11. */
  series?: readonly string[] | undefined;
}

export function isTreasurySeriesId(value: string): value is TreasurySeriesId {
  return Object.hasOwn(TREASURY_SERIES, value);
}

/**
 * `fred.treasury_curve`: one observations request (plus pages, rarely) per series over the whole
 * window — never one per day (study B32: 8 requests, not 146k). Sequential: FRED punishes bursts.
 * FRED mode: realtime_start = realtime_end = the fetch day. Holidays come back with yield_pct null.
 */
export async function fetchTreasuryCurve(ctx: FredContext, params: FredTreasuryParams = {}): Promise<TreasuryRow[]> {
  const endpoint = 'fred.treasury_curve';
  requireWindow(params.start, params.end, ['start', 'end'], endpoint);
  const ids = (params.series ?? Object.keys(TREASURY_SERIES)).map((id) => id.trim().toUpperCase());
  for (const id of ids) {
    if (!isTreasurySeriesId(id)) throw new BadRequest(`${JSON.stringify(id)} is not a treasury curve series (${Object.keys(TREASURY_SERIES).join(', ')})`, { vendor: 'fred', endpoint });
  }
  const rows: TreasuryRow[] = [];
  for (const id of new Set(ids as TreasurySeriesId[])) {
    const observations = await fetchObservationRows(ctx, { seriesId: id, endpoint, start: params.start, end: params.end, signal: params.signal });
    for (const o of observations) {
      rows.push({
        series_id: id,
        tenor: TREASURY_SERIES[id],
        date: o.date,
        yield_pct: o.value,
        realtime_start: o.realtime_start,
        realtime_end: o.realtime_end,
        source_name: o.source_name,
        source_uri: o.source_uri,
        ingested_at: o.ingested_at,
      });
    }
  }
  return rows;
}
