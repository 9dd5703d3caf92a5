import { addDays } from '../../calendar/index.js';

/**
 * Requests per key per New York calendar day. The vendor does not document its reset time (notes
 * §2.2); a New York day is what the notes tell connectors to assume, so a connector that waits for
 * New York midnight is right here and one that assumes UTC midnight is caught out.
 */
export class DailyQuota {
  private readonly days = new Map<string, { day: string; count: number }>();

  constructor(private readonly limit: number) {}

  /** Counts one request; false once the day's limit has been passed (the refused ones count too). */
  take(key: string, day: string): boolean {
    const current = this.days.get(key);
    const entry = current && current.day === day ? current : { day, count: 0 };
    entry.count += 1;
    this.days.set(key, entry);
    return entry.count <= this.limit;
  }
}

/** Response bytes per key over the trailing 30 New York days. */
export class BandwidthMeter {
  private readonly usage = new Map<string, Map<string, number>>();

  constructor(private readonly limitBytes: number) {}

  exhausted(key: string, day: string): boolean {
    if (!Number.isFinite(this.limitBytes)) return false;
    const byDay = this.usage.get(key);
    if (!byDay) return false;
    const oldest = addDays(day, -29);
    let total = 0;
    for (const [d, bytes] of byDay) {
      if (d < oldest) byDay.delete(d);
      else total += bytes;
    }
    return total >= this.limitBytes;
  }

  record(key: string, day: string, bytes: number): void {
    const byDay = this.usage.get(key) ?? new Map<string, number>();
    byDay.set(day, (byDay.get(day) ?? 0) + bytes);
    this.usage.set(key, byDay);
  }
}
