import type pg from 'pg';
import type { VendorId } from '../../catalog/index.js';
import { dayKeys, refusalOf, windowFloor } from '../reserve.js';
import type { ReserveRequest, ReserveResult } from '../types.js';
import { inTransaction, num, type Queryable } from './db.js';

/**
 * Request accounting shared by every worker on the database: the daily count per (vendor, day) is
 * one row bumped by an upsert (row-locked, so concurrent recorders serialise and all count), and
 * written in the same transaction as the instant behind the sliding windows.
 */
export function requestOps(pool: pg.Pool) {
  return {
    recordRequest: (vendor: VendorId, day: string, atMs: number): Promise<number> =>
      inTransaction(pool, (client) => record(client, vendor, day, atMs)),
    reserveRequest: (request: ReserveRequest): Promise<ReserveResult> =>
      inTransaction(pool, async (client) => {
        // One transaction-scoped lock per (schema, vendor): every worker's reservation of this vendor
        // queues here, so the window and the day's count it reads cannot change before it records.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('trademl.reserve:' || current_schema() || ':' || $1))", [request.vendor]);
        const days = dayKeys(request);
        const counts = await client.query<{ day: string; count: string }>('SELECT day, count FROM request_counts WHERE vendor = $1 AND day = ANY($2::text[])', [request.vendor, days]);
        const spent = days.map((d) => num(counts.rows.find((r) => r.day === d)?.count ?? 0));
        const recent = await client.query<{ at_ms: string | number }>(
          'SELECT at_ms FROM request_log WHERE vendor = $1 AND at_ms > $2 ORDER BY at_ms DESC, id DESC LIMIT $3',
          [request.vendor, windowFloor(request), Math.max(1, Math.floor(request.rpm))],
        );
        const refusal = refusalOf(request, spent, recent.rows.map((r) => num(r.at_ms)));
        if (refusal) return refusal;
        for (const extra of days.slice(1)) await bump(client, request.vendor, extra);
        return { granted: true, spent: await record(client, request.vendor, request.day, request.atMs) };
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

async function record(client: Queryable, vendor: VendorId, day: string, atMs: number): Promise<number> {
  const count = await bump(client, vendor, day);
  await client.query('INSERT INTO request_log (vendor, at_ms) VALUES ($1, $2)', [vendor, atMs]);
  return count;
}

async function bump(client: Queryable, vendor: VendorId, day: string): Promise<number> {
  const bumped = await client.query<{ count: string }>(
    `INSERT INTO request_counts (vendor, day, count) VALUES ($1, $2, 1)
     ON CONFLICT (vendor, day) DO UPDATE SET count = request_counts.count + 1
     RETURNING count`,
    [vendor, day],
  );
  return num(bumped.rows[0]?.count ?? 1);
}
