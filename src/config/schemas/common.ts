import { z } from 'zod';

/** A New York calendar date, `YYYY-MM-DD`. */
export const isoDate = z.iso.date({ error: 'a date YYYY-MM-DD' });

/**
 * A vendor's daily request budget: a bare number or the original's `{requests: n}` form.
 * Vendor keys stay raw strings here; the loader normalises aliases and reports unknown names.
 */
export const dailyBudget = z.union(
  [
    z.number().min(0).describe('requests per day'),
    z.strictObject({ requests: z.number().min(0).describe('requests per day') }),
  ],
  { error: 'a number ≥ 0 or {requests: <number ≥ 0>}' },
);
export type DailyBudgetInput = z.infer<typeof dailyBudget>;

export const dailyBudgets = z
  .record(z.string(), dailyBudget)
  .describe('requests per day per vendor (id or alias): a number or {requests: n}');

export function budgetRequests(budget: DailyBudgetInput): number {
  return typeof budget === 'number' ? budget : budget.requests;
}

/** A list of vendor ids or aliases; the loader checks each name. */
export const vendorNames = z.array(z.string()).min(1);
