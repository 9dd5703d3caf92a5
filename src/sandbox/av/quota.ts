import { nyDate } from '../../calendar/index.js';

/** Where the vendor's day turns over. Undocumented by Alpha Vantage; see `AvPlan.dailyResetZone`. */
export type AvResetZone = 'America/New_York' | 'UTC';

/** The calendar day a request falls in for quota purposes. */
export function quotaDay(now: number, zone: AvResetZone): string {
  return zone === 'UTC' ? new Date(now).toISOString().slice(0, 10) : nyDate(now);
}

/**
 * Requests per key per day. Every request counts, refused ones included (the vendor notes' working
 * assumption), so a client that keeps calling after the limit stays limited until the day turns.
 */
export class DailyQuota {
  private readonly used = new Map<string, { day: string; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly zone: AvResetZone,
  ) {}

  /** Counts one request; true while the key is within its daily allowance (this request included). */
  take(key: string, now: number): boolean {
    const day = quotaDay(now, this.zone);
    const entry = this.used.get(key);
    const count = entry !== undefined && entry.day === day ? entry.count + 1 : 1;
    this.used.set(key, { day, count });
    return count <= this.limit;
  }
}
