import { addDays, isSession, nextSession, nyInstant } from '../../calendar/index.js';
import type { Rng } from '../market/index.js';

export type FiscalPeriod = 'FY' | 'Q1' | 'Q2' | 'Q3' | 'Q4';

export interface FiscalQuarter {
  /** FMP's `fiscalYear`: the calendar year in which the fiscal year ends. */
  fiscalYear: string;
  quarter: 1 | 2 | 3 | 4;
  /** First and last day of the quarter, `YYYY-MM-DD`. */
  start: string;
  end: string;
}

export interface Filing {
  filingDate: string;
  /** `YYYY-MM-DD HH:MM:SS`, New York wall time, as FMP writes SEC acceptance times. */
  acceptedDate: string;
  acceptedMs: number;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Last day of `month` (1–12, may be ≤ 0 or > 12: rolls the year). */
export function monthEnd(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/**
 * The quarters of every fiscal year (ending on the last day of `fyEndMonth`) from the first fiscal
 * year ending on or after `from` up to the last quarter ending on or before `to`, oldest first.
 * The first fiscal year is complete even when it starts before `from`, so annual rows can sum it.
 */
export function fiscalQuarters(fyEndMonth: number, from: string, to: string): FiscalQuarter[] {
  let year = Number(from.slice(0, 4));
  if (monthEnd(year, fyEndMonth) < from) year += 1;
  const out: FiscalQuarter[] = [];
  for (;; year++) {
    for (const quarter of [1, 2, 3, 4] as const) {
      const end = monthEnd(year, fyEndMonth - 3 * (4 - quarter));
      if (end > to) return out;
      const start = addDays(monthEnd(year, fyEndMonth - 3 * (5 - quarter)), 1);
      out.push({ fiscalYear: String(year), quarter, start, end });
    }
  }
}

/**
 * An SEC acceptance some weeks after the period end (10-Q: 25–44 days, 10-K: 40–70), on a business
 * day, between 06:00 and 21:59 New York; accepted after 17:30 it is filed the next business day.
 */
export function fileReport(rng: Rng, periodEnd: string, annual: boolean): Filing {
  let day = addDays(periodEnd, annual ? rng.int(40, 70) : rng.int(25, 44));
  if (!isSession(day)) day = nextSession(day);
  const hour = rng.int(6, 21);
  const minute = rng.int(0, 59);
  const second = rng.int(0, 59);
  const hhmm = `${pad2(hour)}:${pad2(minute)}`;
  return {
    filingDate: hour * 60 + minute >= 17 * 60 + 30 ? nextSession(day) : day,
    acceptedDate: `${day} ${hhmm}:${pad2(second)}`,
    acceptedMs: nyInstant(day, hhmm) + second * 1000,
  };
}
