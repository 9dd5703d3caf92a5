import { CalendarRangeError } from './errors.js';

/** The span the NYSE calendar covers; session questions outside it are refused, not guessed. */
export const CALENDAR_START = '2000-01-01';
export const CALENDAR_END = '2100-12-31';

export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

/** Parses a real calendar date `YYYY-MM-DD` (no 2024-02-30), naming the value when it does not. */
export function parseDate(value: unknown): YearMonthDay {
  const match = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (match) {
    const ymd = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    if (ymd.year >= 1000 && ymd.month >= 1 && ymd.month <= 12 && ymd.day >= 1 && ymd.day <= daysInMonth(ymd.year, ymd.month)) return ymd;
  }
  throw new CalendarRangeError(`invalid date ${JSON.stringify(value)}: expected a calendar date YYYY-MM-DD`);
}

/** Days since 1970-01-01 of a validated date string. */
export function dayNumber(date: string): number {
  const { year, month, day } = parseDate(date);
  return dayNumberOf(year, month, day);
}

export function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dateOfDayNumber(dayNum: number): string {
  const d = new Date(dayNum * DAY_MS);
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new CalendarRangeError(`date out of range: year ${year} has not four digits`);
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Calendar arithmetic on `YYYY-MM-DD`; `days` may be negative. */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new CalendarRangeError(`addDays: days must be an integer, got ${String(days)}`);
  return dateOfDayNumber(dayNumber(date) + days);
}

/** Throws unless `date` is well formed and inside the calendar's span. */
export function assertInRange(date: string): void {
  parseDate(date);
  if (date < CALENDAR_START || date > CALENDAR_END) {
    throw new CalendarRangeError(`date ${date} is outside the NYSE calendar range ${CALENDAR_START}..${CALENDAR_END}`);
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
