import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from './dates.js';

/**
 * NYSE closures and 13:00 early closes for one year, 2000 on. The rules follow NYSE practice as
 * exchange_calendars' XNYS encodes it (checked against its session table for 2000-2023).
 */

const SUNDAY = 0;
const MONDAY = 1;
const TUESDAY = 2;
const WEDNESDAY = 3;
const THURSDAY = 4;
const FRIDAY = 5;
const SATURDAY = 6;

/** Unscheduled full-day closures. */
const SPECIAL_CLOSURES: ReadonlyArray<readonly [string, string]> = [
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National Day of Mourning for Ronald Reagan'],
  ['2007-01-02', 'National Day of Mourning for Gerald Ford'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National Day of Mourning for George H. W. Bush'],
  ['2025-01-09', 'National Day of Mourning for Jimmy Carter'],
];

/** Early closes no rule produces. */
const SPECIAL_EARLY_CLOSES: readonly string[] = ['2003-12-26'];

export interface YearRules {
  /** Weekday closures by date, with the reason. */
  closures: Map<string, string>;
  /** Dates the exchange closes at 13:00 (only ever weekdays that are sessions). */
  earlyCloses: Set<string>;
}

export function rulesForYear(year: number): YearRules {
  const closures = new Map<string, string>();
  const close = (dayNum: number | undefined, name: string): void => {
    if (dayNum !== undefined) closures.set(dateOfDayNumber(dayNum), name);
  };
  const fixed = (month: number, day: number, name: string, fridayIfSaturday: boolean): void => {
    const nominal = dayNumberOf(year, month, day);
    const observed = observedDay(nominal, fridayIfSaturday);
    close(observed, observed === nominal ? name : `${name} (observed)`);
  };
  fixed(1, 1, "New Year's Day", false);
  close(nthWeekday(year, 1, MONDAY, 3), 'Martin Luther King Jr. Day');
  close(nthWeekday(year, 2, MONDAY, 3), "Washington's Birthday");
  close(easterSunday(year) - 2, 'Good Friday');
  close(lastWeekday(year, 5, MONDAY), 'Memorial Day');
  if (year >= 2022) fixed(6, 19, 'Juneteenth', true);
  fixed(7, 4, 'Independence Day', true);
  close(nthWeekday(year, 9, MONDAY, 1), 'Labor Day');
  close(thanksgiving(year), 'Thanksgiving Day');
  fixed(12, 25, 'Christmas Day', true);
  for (const [date, name] of SPECIAL_CLOSURES) if (date.startsWith(`${year}-`)) closures.set(date, name);

  const earlyCloses = new Set<string>();
  for (const dayNum of earlyCloseCandidates(year)) {
    const date = dateOfDayNumber(dayNum);
    const weekday = weekdayOfDayNumber(dayNum);
    if (weekday !== SATURDAY && weekday !== SUNDAY && !closures.has(date)) earlyCloses.add(date);
  }
  return { closures, earlyCloses };
}

function earlyCloseCandidates(year: number): number[] {
  const candidates: number[] = [thanksgiving(year) + 1];
  const july3 = dayNumberOf(year, 7, 3);
  const july3Weekday = weekdayOfDayNumber(july3);
  // July 3 closes early when July 4 is a Tuesday, Wednesday or Friday; when July 4 is a Thursday
  // NYSE shortened the Friday after until 2012 and the Wednesday before from 2013 on.
  if (july3Weekday === MONDAY || july3Weekday === TUESDAY || july3Weekday === THURSDAY) candidates.push(july3);
  if (july3Weekday === WEDNESDAY && year >= 2013) candidates.push(july3);
  if (july3Weekday === WEDNESDAY && year < 2013) candidates.push(july3 + 2);
  // Christmas Eve on a Friday is already the observed Christmas holiday.
  const christmasEve = dayNumberOf(year, 12, 24);
  if (weekdayOfDayNumber(christmasEve) !== FRIDAY) candidates.push(christmasEve);
  for (const date of SPECIAL_EARLY_CLOSES) {
    if (date.startsWith(`${year}-`)) candidates.push(dayNumberOf(year, Number(date.slice(5, 7)), Number(date.slice(8, 10))));
  }
  return candidates;
}

/**
 * A fixed-date holiday on a weekend moves to the Monday after a Sunday, and to the Friday before a
 * Saturday except for New Year's Day: NYSE does not close on the last session of the old year.
 */
function observedDay(dayNum: number, fridayIfSaturday: boolean): number | undefined {
  const weekday = weekdayOfDayNumber(dayNum);
  if (weekday === SUNDAY) return dayNum + 1;
  if (weekday === SATURDAY) return fridayIfSaturday ? dayNum - 1 : undefined;
  return dayNum;
}

function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayNumberOf(year, month, 1);
  return first + ((weekday - weekdayOfDayNumber(first) + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = dayNumberOf(year, month + 1, 0);
  return last - ((weekdayOfDayNumber(last) - weekday + 7) % 7);
}

function thanksgiving(year: number): number {
  return nthWeekday(year, 11, THURSDAY, 4);
}

/** Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(year, month, day);
}
