import { CalendarRangeError } from './errors.js';
import { DAY_MS, dateOfDayNumber, dayNumber, pad2 } from './dates.js';

/**
 * America/New_York conversions. The zone's UTC offset is read from the platform's tz data through
 * Intl, but Intl is slow, so each UTC year's offset changes are found once (a weekly scan, then a
 * binary search to the minute) and cached; every later conversion is arithmetic.
 */

const NEW_YORK = 'America/New_York';
const MINUTE_MS = 60_000;
const WEEK_MS = 7 * DAY_MS;
// Instants whose New York date has a four-digit year; beyond it ISO dates stop being YYYY-MM-DD.
const MIN_MS = Date.UTC(1000, 0, 2);
const MAX_MS = Date.UTC(9999, 11, 30);

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

interface OffsetChange {
  atMs: number;
  offsetMs: number;
}

interface YearOffsets {
  initialMs: number;
  changes: OffsetChange[];
}

const offsetsByYear = new Map<number, YearOffsets>();

/** New York's UTC offset at an instant (negative: New York is behind UTC), straight from Intl. */
function intlOffsetMs(epochMs: number): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of wallClock.formatToParts(wholeSecond)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year ?? 0, (fields.month ?? 1) - 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  return wall - wholeSecond;
}

function scanYear(year: number): YearOffsets {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1) - MINUTE_MS;
  const initialMs = intlOffsetMs(start);
  const changes: OffsetChange[] = [];
  let prevAt = start;
  let prevOffset = initialMs;
  for (let at = Math.min(start + WEEK_MS, end); ; at = Math.min(at + WEEK_MS, end)) {
    const offset = intlOffsetMs(at);
    if (offset !== prevOffset) changes.push({ atMs: firstMinuteWithOffset(prevAt, at, offset), offsetMs: offset });
    prevAt = at;
    prevOffset = offset;
    if (at === end) break;
  }
  return { initialMs, changes };
}

/** The first whole minute in (lo, hi] whose offset is `offset`; assumes one change in between. */
function firstMinuteWithOffset(lo: number, hi: number, offset: number): number {
  let low = lo;
  let high = hi;
  while (high - low > MINUTE_MS) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (intlOffsetMs(mid) === offset) high = mid;
    else low = mid;
  }
  return high;
}

function offsetAt(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  let table = offsetsByYear.get(year);
  if (!table) {
    table = scanYear(year);
    offsetsByYear.set(year, table);
  }
  let offset = table.initialMs;
  for (const change of table.changes) if (epochMs >= change.atMs) offset = change.offsetMs;
  return offset;
}

function assertInstant(epochMs: number): void {
  if (!Number.isFinite(epochMs) || epochMs < MIN_MS || epochMs > MAX_MS) {
    throw new CalendarRangeError(`instant ${String(epochMs)} is not a supported epoch-milliseconds value`);
  }
}

/** Milliseconds since the New York midnight that began `epochMs`'s New York day, and that day. */
function nyWall(epochMs: number): { dayNum: number; msOfDay: number } {
  assertInstant(epochMs);
  const local = epochMs + offsetAt(epochMs);
  const dayNum = Math.floor(local / DAY_MS);
  return { dayNum, msOfDay: local - dayNum * DAY_MS };
}

/** The America/New_York calendar date of an instant. */
export function nyDate(epochMs: number): string {
  return dateOfDayNumber(nyWall(epochMs).dayNum);
}

/** The America/New_York wall-clock time `HH:MM` of an instant. */
export function nyTime(epochMs: number): string {
  const minutes = Math.floor(nyWall(epochMs).msOfDay / MINUTE_MS);
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Epoch ms of New York wall-clock `hhmm` on `date`. A time repeated when clocks fall back resolves
 * to its first (daylight) occurrence; a time skipped when they spring forward is moved later by the
 * gap (02:30 → 03:30 EDT), as Temporal's 'compatible' disambiguation does.
 */
export function nyInstant(date: string, hhmm: string): number {
  const match = typeof hhmm === 'string' ? HHMM_RE.exec(hhmm) : null;
  if (!match) throw new CalendarRangeError(`invalid time ${JSON.stringify(hhmm)}: expected HH:MM (00:00-23:59)`);
  const wall = dayNumber(date) * DAY_MS + Number(match[1]) * 3_600_000 + Number(match[2]) * MINUTE_MS;
  assertInstant(wall);
  const instant = wall - offsetAt(wall - offsetAt(wall));
  if (instant + offsetAt(instant) === wall) return instant;
  return wall - offsetAt(instant - DAY_MS); // in the spring gap: read it with the offset before the change
}
