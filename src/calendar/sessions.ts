import { CalendarRangeError } from './errors.js';
import { CALENDAR_END, CALENDAR_START, addDays, assertInRange, dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from './dates.js';
import { rulesForYear } from './holidays.js';
import { nyDate, nyInstant } from './zone.js';

/** One NYSE trading day: its New York date and its open and close instants (UTC). */
export interface Session {
  date: string;
  openMs: number;
  closeMs: number;
  open: string;
  close: string;
  earlyClose: boolean;
}

interface YearTable {
  sessions: readonly Session[];
  byDate: ReadonlyMap<string, Session>;
  closures: ReadonlyMap<string, string>;
}

const OPEN = '09:30';
const CLOSE = '16:00';
const EARLY_CLOSE = '13:00';

const tables = new Map<number, YearTable>();

/** Sessions of one year, built on first use and cached; they are frozen because they are shared. */
function yearTable(year: number): YearTable {
  const cached = tables.get(year);
  if (cached) return cached;
  const { closures, earlyCloses } = rulesForYear(year);
  const sessions: Session[] = [];
  const last = dayNumberOf(year, 12, 31);
  for (let dayNum = dayNumberOf(year, 1, 1); dayNum <= last; dayNum++) {
    const weekday = weekdayOfDayNumber(dayNum);
    const date = dateOfDayNumber(dayNum);
    if (weekday === 0 || weekday === 6 || closures.has(date)) continue;
    sessions.push(buildSession(date, earlyCloses.has(date)));
  }
  const table = { sessions, byDate: new Map(sessions.map((s) => [s.date, s])), closures };
  tables.set(year, table);
  return table;
}

function buildSession(date: string, earlyClose: boolean): Session {
  const openMs = nyInstant(date, OPEN);
  const closeMs = nyInstant(date, earlyClose ? EARLY_CLOSE : CLOSE);
  return Object.freeze({ date, openMs, closeMs, open: new Date(openMs).toISOString(), close: new Date(closeMs).toISOString(), earlyClose });
}

function lookup(date: string): Session | undefined {
  return yearTable(Number(date.slice(0, 4))).byDate.get(date);
}

export function isSession(date: string): boolean {
  assertInRange(date);
  return lookup(date) !== undefined;
}

/** The session on `date`, or undefined on a weekend or holiday. */
export function sessionOf(date: string): Session | undefined {
  assertInRange(date);
  return lookup(date);
}

/** Sessions from `start` to `end`, both inclusive, ascending; empty when start > end. */
export function sessionsBetween(start: string, end: string): Session[] {
  assertInRange(start);
  assertInRange(end);
  const out: Session[] = [];
  for (let year = Number(start.slice(0, 4)); year <= Number(end.slice(0, 4)); year++) {
    for (const session of yearTable(year).sessions) if (session.date >= start && session.date <= end) out.push(session);
  }
  return out;
}

export function sessionDatesBetween(start: string, end: string): string[] {
  return sessionsBetween(start, end).map((s) => s.date);
}

/** The last session strictly before `date` (which need not be a session itself). */
export function previousSession(date: string): string {
  assertInRange(date);
  for (let d = addDays(date, -1); d >= CALENDAR_START; d = addDays(d, -1)) if (lookup(d)) return d;
  throw new CalendarRangeError(`no NYSE session before ${date} in the calendar range ${CALENDAR_START}..${CALENDAR_END}`);
}

/** The first session strictly after `date` (which need not be a session itself). */
export function nextSession(date: string): string {
  assertInRange(date);
  for (let d = addDays(date, 1); d <= CALENDAR_END; d = addDays(d, 1)) if (lookup(d)) return d;
  throw new CalendarRangeError(`no NYSE session after ${date} in the calendar range ${CALENDAR_START}..${CALENDAR_END}`);
}

/**
 * The latest session whose close, plus `settleMs` (time to let vendors publish the day), is at or
 * before `nowMs`.
 */
export function lastCompletedSession(nowMs: number, settleMs = 0): string {
  if (!Number.isFinite(settleMs) || settleMs < 0) throw new CalendarRangeError(`settleMs must be a finite number >= 0, got ${String(settleMs)}`);
  const today = nyDate(nowMs);
  assertInRange(today);
  let date = today;
  for (;;) {
    const session = lookup(date);
    if (session && session.closeMs + settleMs <= nowMs) return date;
    date = previousSession(date);
  }
}

/** Why a weekday has no session ('Good Friday', 'Hurricane Sandy', …); undefined on sessions and weekends. */
export function holidayName(date: string): string | undefined {
  assertInRange(date);
  return yearTable(Number(date.slice(0, 4))).closures.get(date);
}
