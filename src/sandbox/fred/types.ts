/** One published value of an observation: current from `realtimeStart` until the next version's. */
export interface ObservationVersion {
  /** Release (vintage) date of this value. */
  realtimeStart: string;
  /** Decimal text as FRED sends it, or "." for a missing value (holiday, suspended tenor). */
  value: string;
}

export interface SeriesObservation {
  /** Observation period start (the day; the 1st of the month; the 1st of the quarter). */
  date: string;
  /** Ascending by `realtimeStart`; consecutive versions always differ in value. */
  versions: readonly ObservationVersion[];
}

export type FredFrequency = 'D' | 'M' | 'Q';

/** Static metadata, as `fred/series` reports it. */
export interface FredSeriesInfo {
  id: string;
  title: string;
  frequency: 'Daily' | 'Monthly' | 'Quarterly';
  frequencyShort: FredFrequency;
  units: string;
  unitsShort: string;
  seasonalAdjustment: string;
  seasonalAdjustmentShort: string;
  popularity: number;
  notes?: string;
  /** Central-time wall clock of the daily update, for `last_updated`. */
  updateTime: string;
}

export interface SandboxSeries {
  info: FredSeriesInfo;
  /** Ascending by date. */
  observations: readonly SeriesObservation[];
  /** Every distinct version start, ascending: the series' vintage dates. */
  vintageDates: readonly string[];
}

/** A treasury constant-maturity series and the canonical tenor label it maps to. */
export interface TreasuryTenor {
  seriesId: string;
  /** `1M` … `30Y` (DESIGN.md canonical tenor). */
  tenor: string;
  /** Maturity in years (drives the curve shape). */
  years: number;
  /** First observation FRED has for the series. */
  observationStart: string;
  /** Periods the tenor was not published: rows exist with ".". */
  suspended: ReadonlyArray<readonly [string, string]>;
}
