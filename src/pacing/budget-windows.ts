import type { VendorId } from '../catalog/index.js';
import { addDays, nyDate, nyInstant } from '../calendar/index.js';
import type { StateStore } from '../state/index.js';

/** One daily counter a request is counted against, and the instant it turns over. */
export interface BudgetWindow {
  /** The state store's day key: `YYYY-MM-DD` for the UTC day, `YYYY-MM-DD@America/New_York` for New York's. */
  key: string;
  resetAtMs: number;
}

const NEW_YORK_SUFFIX = '@America/New_York';

/** Budget days are UTC calendar days; the reset is the next UTC midnight. */
export function budgetDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/**
 * The daily counters a request at `ms` counts against: its UTC day (the budget day every report
 * shows) and its New York day. Alpha Vantage and FMP do not document when their daily counter
 * turns over (vendors/alphavantage.md §2, fmp.md §2); the candidates are UTC and New York midnight.
 * Holding the cap on both days means neither possible vendor counter can pass it: a loop that spent
 * its budget during New York's afternoon does not start again at 00:00 UTC (19:00/20:00 New York)
 * and trip the vendor's limit. A steady daily spend is unchanged; only its timing can shift.
 */
export function budgetWindows(ms: number): [BudgetWindow, BudgetWindow] {
  const newYork = nyDate(ms);
  return [
    { key: budgetDay(ms), resetAtMs: nextUtcMidnight(ms) },
    { key: `${newYork}${NEW_YORK_SUFFIX}`, resetAtMs: nyInstant(addDays(newYork, 1), '00:00') },
  ];
}

/** What `vendor` has spent of today's budget: the fuller of its two daily counters. */
export async function spentToday(state: StateStore, vendor: VendorId, ms: number): Promise<number> {
  const counts = await Promise.all(budgetWindows(ms).map((w) => state.getSpend(vendor, w.key)));
  return Math.max(...counts);
}
