import { addDays } from '../../calendar/index.js';
import type { SeriesObservation } from './types.js';

/** FRED's "all of history" bounds of a real-time period. */
export const REALTIME_MIN = '1776-07-04';
export const REALTIME_MAX = '9999-12-31';

/** One output_type=1 row: a value and the closed real-time interval it is reported current for. */
export interface RealtimeRow {
  realtimeStart: string;
  realtimeEnd: string;
  date: string;
  value: string;
}

/**
 * Which real-time the caller asks about: a closed window (default today..today, "FRED mode"), or a
 * list of vintage dates (ascending, unique, non-empty).
 */
export type RealtimeScope = { kind: 'window'; start: string; end: string } | { kind: 'vintages'; dates: readonly string[] };

export interface RowQuery {
  /** The emulator's date: versions released later do not exist yet. */
  today: string;
  scope: RealtimeScope;
  observationStart: string;
  observationEnd: string;
  /** output_type=4: only each observation's first release. */
  initialOnly: boolean;
}

/**
 * ALFRED semantics (fred.md §4): every version known today whose validity interval meets the
 * real-time scope, its interval clipped to the scope. The current version of an observation is valid
 * until 9999-12-31. With vintage dates, a version is reported when it was current on at least one
 * of them, clipped to [first, last] vintage date. Rows come ascending by date, then real-time start.
 */
export function realtimeRows(observations: readonly SeriesObservation[], query: RowQuery): RealtimeRow[] {
  const { scope } = query;
  const [lo, hi] = scopeBounds(scope);
  const rows: RealtimeRow[] = [];
  for (const obs of observations) {
    if (obs.date < query.observationStart) continue;
    if (obs.date > query.observationEnd) break;
    const known = obs.versions.filter((v) => v.realtimeStart <= query.today);
    const versions = query.initialOnly ? known.slice(0, 1) : known;
    versions.forEach((v, i) => {
      const next = known[i + 1];
      const end = next ? addDays(next.realtimeStart, -1) : REALTIME_MAX;
      if (scope.kind === 'vintages' && !anyWithin(scope.dates, v.realtimeStart, end)) return;
      const clippedStart = v.realtimeStart > lo ? v.realtimeStart : lo;
      const clippedEnd = end < hi ? end : hi;
      if (clippedStart <= clippedEnd) rows.push({ realtimeStart: clippedStart, realtimeEnd: clippedEnd, date: obs.date, value: v.value });
    });
  }
  return rows;
}

/** The closed real-time interval a scope covers (its first and last vintage date for a list). */
export function scopeBounds(scope: RealtimeScope): [string, string] {
  return scope.kind === 'window' ? [scope.start, scope.end] : [scope.dates[0] as string, scope.dates.at(-1) as string];
}

/** The series' vintage dates already released on `today` (a prefix of the sorted list). */
export function knownVintages(vintageDates: readonly string[], today: string): readonly string[] {
  return vintageDates.slice(0, upperBound(vintageDates, today));
}

/** How many of the sorted `dates` fall in [start, end]. */
export function countWithin(dates: readonly string[], start: string, end: string): number {
  return Math.max(0, upperBound(dates, end) - lowerBound(dates, start));
}

function anyWithin(sorted: readonly string[], start: string, end: string): boolean {
  const i = lowerBound(sorted, start);
  return i < sorted.length && (sorted[i] as string) <= end;
}

/** First index whose value is >= `x`. */
function lowerBound(sorted: readonly string[], x: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > `x`. */
function upperBound(sorted: readonly string[], x: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
