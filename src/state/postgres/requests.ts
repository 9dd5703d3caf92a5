import type pg from 'pg';
import type { VendorId } from '../../catalog/index.js';
import { inTransaction, num } from './db.js';

/**
 * Request accounting shared by every worker on the database: the daily count per (vendor, day) is
 * one row bumped by an upsert (row-locked, so concurrent recorders serialise and all count), and
 * written in the same transaction as the instant behind the sliding windows.
 */
export function requestOps(pool: pg.Pool) {
  return {
    recordRequest: (vendor: VendorId, day: string, atMs: number): Promise<number> =>
      inTransaction(pool, async (client) => {
        const bumped = await client.query<{ count: string }>(
          `INSERT INTO request_counts (vendor, day, count) VALUES ($1, $2, 1)
           ON CONFLICT (vendor, day) DO UPDATE SET count = request_counts.count + 1
           RETURNING count`,
          [vendor, day],
        );
        await client.query('INSERT INTO request_log (vendor, at_ms) VALUES ($1, $2)', [vendor, atMs]);
        return num(bumped.rows[0]?.count ?? 1);
      }),
    getSpend: async (vendor: VendorId, day: string): Promise<number> => {
      const result = await pool.query<{ count: string }>(
        'SELECT count FROM request_counts WHERE vendor = $1 AND day = $2',
        [vendor, day],
      );
      return num(result.rows[0]?.count ?? 0);
    },
    recentRequests: async (vendor: VendorId, sinceMs: number): Promise<number[]> => {
      const result = await pool.query<{ at_ms: string }>(
        'SELECT at_ms FROM request_log WHERE vendor = $1 AND at_ms >= $2 ORDER BY at_ms, id',
        [vendor, sinceMs],
      );
      return result.rows.map((r) => num(r.at_ms));
    },
    pruneRequests: async (beforeMs: number): Promise<void> => {
      await pool.query('DELETE FROM request_log WHERE at_ms < $1', [beforeMs]);
    },
  };
}
