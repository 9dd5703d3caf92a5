import type Database from 'better-sqlite3';
import type { VendorId } from '../../catalog/index.js';
import { dayKeys, refusalOf, windowFloor } from '../reserve.js';
import type { ReserveRequest, ReserveResult } from '../types.js';

/** Request accounting: a daily count per (vendor, day) and the instants behind sliding windows. */
export function requestOps(db: Database.Database) {
  const bump = db.prepare<[string, string], { count: number }>(
    `INSERT INTO request_counts (vendor, day, count) VALUES (?, ?, 1)
     ON CONFLICT (vendor, day) DO UPDATE SET count = count + 1
     RETURNING count`,
  );
  const logInstant = db.prepare<[string, number]>('INSERT INTO request_log (vendor, at_ms) VALUES (?, ?)');
  const spend = db.prepare<[string, string], { count: number }>(
    'SELECT count FROM request_counts WHERE vendor = ? AND day = ?',
  );
  const recent = db
    .prepare<[string, number], number>('SELECT at_ms FROM request_log WHERE vendor = ? AND at_ms >= ? ORDER BY at_ms, id')
    .pluck();
  const prune = db.prepare<[number]>('DELETE FROM request_log WHERE at_ms < ?');
  const newest = db
    .prepare<[string, number, number], number>('SELECT at_ms FROM request_log WHERE vendor = ? AND at_ms > ? ORDER BY at_ms DESC, id DESC LIMIT ?')
    .pluck();

  // Count and instant are written together so the two views of spend never disagree.
  const record = db.transaction((vendor: VendorId, day: string, atMs: number, extraDays: readonly string[] = []): number => {
    const row = bump.get(vendor, day);
    for (const extra of extraDays) bump.get(vendor, extra);
    logInstant.run(vendor, atMs);
    return row?.count ?? 1;
  });

  // BEGIN IMMEDIATE takes the database's write lock before the first read, so another process's
  // reservation cannot read the same window in between: check and record are one step fleet-wide.
  const reserve = db.transaction((request: ReserveRequest): ReserveResult => {
    const [day, ...extraDays] = dayKeys(request);
    const spent = [day, ...extraDays].map((d) => spend.get(request.vendor, d as string)?.count ?? 0);
    const recentNewestFirst = newest.all(request.vendor, windowFloor(request), Math.max(1, Math.floor(request.rpm)));
    const refusal = refusalOf(request, spent, recentNewestFirst);
    if (refusal) return refusal;
    return { granted: true, spent: record(request.vendor, request.day, request.atMs, extraDays) };
  });

  return {
    reserveRequest: (request: ReserveRequest): ReserveResult => reserve.immediate(request),
    recordRequest: (vendor: VendorId, day: string, atMs: number): number => record.immediate(vendor, day, atMs),
    getSpend: (vendor: VendorId, day: string): number => spend.get(vendor, day)?.count ?? 0,
    recentRequests: (vendor: VendorId, sinceMs: number): number[] => recent.all(vendor, sinceMs),
    pruneRequests: (beforeMs: number): void => {
      prune.run(beforeMs);
    },
  };
}
