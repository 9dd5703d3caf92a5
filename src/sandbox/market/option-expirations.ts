import { CALENDAR_START, addDays, isSession, previousSession, sessionDatesBetween } from '../../calendar/index.js';

export type ExpiryPeriod = 'WEEKLY' | 'MONTHLY';

/** One expiration date of the listing cycle, the same for every optionable underlying. */
export interface ExpiryCycle {
  expiration: string;
  period: ExpiryPeriod;
  /** First session its contracts trade. */
  listDate: string;
}

/** Monthlies list this many sessions before they expire (≈ three months ahead). */
export const MONTHLY_LEAD_SESSIONS = 60;
/** A weekly lists the session after the expiration this many weeks earlier: four weeklies are always open. */
export const WEEKLY_LEAD_WEEKS = 4;

const cycles = new Map<string, ExpiryCycle>();

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The week's expiration: its Friday, or the session before when Friday is a holiday (Thursday, as a rule). */
function expirationOfWeek(friday: string): string {
  return isSession(friday) ? friday : previousSession(friday);
}

function isThirdFriday(friday: string): boolean {
  const day = Number(friday.slice(8, 10));
  return day >= 15 && day <= 21;
}

/** The session `count` sessions before `date` (a session). */
function sessionsBefore(date: string, count: number): string {
  const from = addDays(date, -Math.ceil(count * 1.6) - 14);
  const dates = sessionDatesBetween(from < CALENDAR_START ? CALENDAR_START : from, date);
  const at = dates.length - 1 - count;
  return dates[at < 0 ? 0 : at] as string;
}

function cycleOfFriday(friday: string): ExpiryCycle {
  const cached = cycles.get(friday);
  if (cached) return cached;
  const expiration = expirationOfWeek(friday);
  const monthly = isThirdFriday(friday);
  const earlier = expirationOfWeek(addDays(friday, -7 * WEEKLY_LEAD_WEEKS));
  const listDate = monthly ? sessionsBefore(expiration, MONTHLY_LEAD_SESSIONS) : sessionDatesBetween(addDays(earlier, 1), addDays(earlier, 10))[0] as string;
  const cycle = { expiration, period: monthly ? 'MONTHLY' : 'WEEKLY', listDate } as const;
  cycles.set(friday, cycle);
  return cycle;
}

/** The Friday of the week (Monday–Sunday) holding `date`. */
function fridayOfWeek(date: string): string {
  const weekday = weekdayOf(date);
  return addDays(date, 5 - (weekday === 0 ? 7 : weekday));
}

/** Expirations in [from, to], ascending. */
export function expiryCyclesBetween(from: string, to: string): ExpiryCycle[] {
  const out: ExpiryCycle[] = [];
  for (let friday = fridayOfWeek(from); friday <= addDays(to, 7); friday = addDays(friday, 7)) {
    const cycle = cycleOfFriday(friday);
    if (cycle.expiration >= from && cycle.expiration <= to) out.push(cycle);
  }
  return out;
}

/** Expirations whose contracts trade on `date`: listed on or before it, expiring on or after it. */
export function expiryCyclesOpenOn(date: string): ExpiryCycle[] {
  return expiryCyclesBetween(date, addDays(date, 120)).filter((c) => c.listDate <= date);
}

/** Whether an expiration date is a monthly (third-Friday cycle) or a weekly. */
export function expiryPeriodOf(expiration: string): ExpiryPeriod {
  return isThirdFriday(fridayOfWeek(expiration)) ? 'MONTHLY' : 'WEEKLY';
}
