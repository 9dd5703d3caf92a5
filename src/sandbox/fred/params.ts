import { isIsoDate } from '../shared/dates.js';
import { FredApiError, MESSAGES } from './messages.js';
import type { FredData } from './series.js';
import type { FredFrequency, SandboxSeries } from './types.js';

/** Query parsing shared by the endpoints; every refusal is a FredApiError with FRED's wording. */

export type SortOrder = 'asc' | 'desc';

const bad = (message: string): FredApiError => new FredApiError(400, message);

export function checkFileType(query: URLSearchParams): void {
  const fileType = query.get('file_type');
  if (fileType === null || fileType === 'json' || fileType === 'xml') return;
  if (fileType === 'xlsx' || fileType === 'csv') throw bad(MESSAGES.fileTypeUnsupported(fileType));
  throw bad(MESSAGES.fileTypeInvalid);
}

/** Series ids are matched case-insensitively, as FRED does; the answer uses the canonical id. */
export function seriesParam(query: URLSearchParams, data: FredData): SandboxSeries {
  const id = query.get('series_id');
  if (id === null || id.length === 0) throw bad(MESSAGES.seriesIdNotSet);
  const series = data.series(id.toUpperCase());
  if (!series) throw bad(MESSAGES.seriesDoesNotExist);
  return series;
}

export function dateParam(query: URLSearchParams, name: string, fallback: string): string {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (!isIsoDate(value)) throw bad(MESSAGES.notADate(name));
  return value;
}

/** A closed window from `<prefix>_start` / `<prefix>_end`, refusing an inverted one. */
export function windowParam(query: URLSearchParams, prefix: 'realtime' | 'observation', defaults: readonly [string, string]): [string, string] {
  const start = dateParam(query, `${prefix}_start`, defaults[0]);
  const end = dateParam(query, `${prefix}_end`, defaults[1]);
  if (start > end) throw bad(MESSAGES.startAfterEnd(prefix));
  return [start, end];
}

export function limitParam(query: URLSearchParams, max: number): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return max;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max)) throw bad(MESSAGES.limitOutOfRange(max));
  return n;
}

export function offsetParam(query: URLSearchParams): number {
  const raw = query.get('offset');
  if (raw === null || raw === '') return 0;
  if (!/^\d{1,9}$/.test(raw)) throw bad(MESSAGES.offsetInvalid);
  return Number(raw);
}

export function sortOrderParam(query: URLSearchParams): SortOrder {
  const raw = query.get('sort_order');
  if (raw === null || raw === '' || raw === 'asc') return 'asc';
  if (raw === 'desc') return 'desc';
  throw bad(MESSAGES.sortOrderInvalid);
}

/** `vintage_dates=A,B,…`: ascending unique dates, at most `max` of them; undefined when absent. */
export function vintageDatesParam(query: URLSearchParams, max: number): string[] | undefined {
  const raw = query.get('vintage_dates');
  if (raw === null || raw === '') return undefined;
  const dates = raw.split(',').map((d) => d.trim());
  if (dates.length > max) throw bad(MESSAGES.tooManyVintageDates(max));
  for (const d of dates) if (!isIsoDate(d)) throw bad(MESSAGES.notADate('vintage_dates'));
  return [...new Set(dates)].sort();
}

const UNITS = ['cap', 'cca', 'cch', 'ch1', 'chg', 'lin', 'log', 'pc1', 'pca', 'pch'];

/** Only levels are served; a transformation FRED knows is refused as unsupported, not as invalid. */
export function checkUnits(query: URLSearchParams): void {
  const units = query.get('units');
  if (units === null || units === '' || units === 'lin') return;
  throw bad(UNITS.includes(units) ? MESSAGES.unitsUnsupported(units) : MESSAGES.badUnits);
}

const FREQUENCIES = ['d', 'w', 'bw', 'm', 'q', 'sa', 'a', 'wef', 'weth', 'wew', 'wetu', 'wem', 'wesu', 'wesa', 'bwew', 'bwem'];

/** The native frequency may be named; any aggregation is refused. `aggregation_method` is ignored. */
export function checkFrequency(query: URLSearchParams, native: FredFrequency): void {
  const frequency = query.get('frequency');
  if (frequency === null || frequency === '' || frequency === native.toLowerCase()) return;
  throw bad(FREQUENCIES.includes(frequency) ? MESSAGES.frequencyUnsupported : MESSAGES.frequencyInvalid);
}

export function outputTypeParam(query: URLSearchParams): 1 | 4 {
  const raw = query.get('output_type');
  if (raw === null || raw === '' || raw === '1') return 1;
  if (raw === '4') return 4;
  throw bad(raw === '2' || raw === '3' ? MESSAGES.outputTypeUnsupported : MESSAGES.outputTypeInvalid);
}
