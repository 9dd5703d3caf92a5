import { addDays } from '../../calendar/index.js';

/**
 * The H.15 treasury series follow the Federal Reserve's holiday schedule, not NYSE's: Columbus Day
 * and Veterans Day are "." rows while Good Friday has a value. A fixed-date holiday on a Sunday is
 * observed the Monday after; on a Saturday the Fed does not close the Friday before.
 */

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;

const holidaysByYear = new Map<number, ReadonlySet<string>>();

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekday(date: string): boolean {
  const day = weekdayOf(date);
  return day !== SUNDAY && day !== SATURDAY;
}

export function isFedHoliday(date: string): boolean {
  return fedHolidays(Number(date.slice(0, 4))).has(date);
}

export function isFedBusinessDay(date: string): boolean {
  return isWeekday(date) && !isFedHoliday(date);
}

/** The first Fed business day strictly after `date`. */
export function nextFedBusinessDay(date: string): string {
  let d = addDays(date, 1);
  while (!isFedBusinessDay(d)) d = addDays(d, 1);
  return d;
}

/** `date` itself when it is a Fed business day, else the first one after it. */
export function onOrAfterBusinessDay(date: string): string {
  return isFedBusinessDay(date) ? date : nextFedBusinessDay(date);
}

/** `date` itself when it is a Fed business day, else the last one before it. */
export function onOrBeforeBusinessDay(date: string): string {
  let d = date;
  while (!isFedBusinessDay(d)) d = addDays(d, -1);
  return d;
}

/** Monday-to-Friday dates of [start, end], holidays included (they become "." rows). */
export function weekdaysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) if (isWeekday(d)) out.push(d);
  return out;
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): string {
  if (n === -1) {
    const last = new Date(Date.UTC(year, month, 0));
    const back = (last.getUTCDay() - weekday + 7) % 7;
    return isoOf(new Date(Date.UTC(year, month - 1, last.getUTCDate() - back)));
  }
  const first = new Date(Date.UTC(year, month - 1, 1));
  const forward = (weekday - first.getUTCDay() + 7) % 7;
  return isoOf(new Date(Date.UTC(year, month - 1, 1 + forward + (n - 1) * 7)));
}

function fedHolidays(year: number): ReadonlySet<string> {
  const cached = holidaysByYear.get(year);
  if (cached) return cached;
  const days = new Set<string>();
  const fixed = (month: number, day: number): void => {
    const date = isoOf(new Date(Date.UTC(year, month - 1, day)));
    const weekday = weekdayOf(date);
    if (weekday === SUNDAY) days.add(addDays(date, 1));
    else if (weekday !== SATURDAY) days.add(date);
  };
  fixed(1, 1);
  days.add(nthWeekdayOfMonth(year, 1, MONDAY, 3)); // Martin Luther King Jr. Day
  days.add(nthWeekdayOfMonth(year, 2, MONDAY, 3)); // Washington's Birthday
  days.add(nthWeekdayOfMonth(year, 5, MONDAY, -1)); // Memorial Day
  if (year >= 2022) fixed(6, 19); // Juneteenth: first observed by the Fed in 2022
  fixed(7, 4);
  days.add(nthWeekdayOfMonth(year, 9, MONDAY, 1)); // Labor Day
  days.add(nthWeekdayOfMonth(year, 10, MONDAY, 2)); // Columbus Day
  fixed(11, 11); // Veterans Day
  days.add(nthWeekdayOfMonth(year, 11, THURSDAY, 4)); // Thanksgiving
  fixed(12, 25);
  holidaysByYear.set(year, days);
  return days;
}

function isoOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}
