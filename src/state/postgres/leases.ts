import type { Lease } from '../types.js';
import { num, type Queryable } from './db.js';

/**
 * Named leases with a fencing generation, each operation one statement. A released lease keeps its
 * row (owner cleared) so the generation never goes back. Acquisition is a single upsert whose
 * conflict branch only fires when the lease is free, expired or already the caller's: the row lock
 * makes two nodes racing for one lease serialise, and exactly one of them wins.
 */
export function leaseOps(db: Queryable) {
  return {
    acquireLease: async (name: string, owner: string, ttlMs: number, nowMs: number): Promise<Lease | undefined> => {
      const expiresAtMs = nowMs + ttlMs;
      const result = await db.query<{ generation: string }>(
        `INSERT INTO leases (name, owner, generation, expires_at_ms) VALUES ($1, $2, 1, $3)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, generation = leases.generation + 1,
           expires_at_ms = excluded.expires_at_ms
         WHERE leases.owner IS NULL OR leases.owner = excluded.owner OR leases.expires_at_ms <= $4
         RETURNING generation`,
        [name, owner, expiresAtMs, nowMs],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : { name, owner, generation: num(row.generation), expiresAtMs };
    },
    renewLease: async (lease: Lease, ttlMs: number, nowMs: number): Promise<Lease | undefined> => {
      const expiresAtMs = nowMs + ttlMs;
      const result = await db.query(
        'UPDATE leases SET expires_at_ms = $1 WHERE name = $2 AND owner = $3 AND generation = $4',
        [expiresAtMs, lease.name, lease.owner, lease.generation],
      );
      return result.rowCount === 1 ? { ...lease, expiresAtMs } : undefined;
    },
    releaseLease: async (lease: Lease): Promise<void> => {
      await db.query(
        'UPDATE leases SET owner = NULL, expires_at_ms = NULL WHERE name = $1 AND owner = $2 AND generation = $3',
        [lease.name, lease.owner, lease.generation],
      );
    },
    listLeases: async (prefix: string): Promise<Lease[]> => {
      const result = await db.query<{ name: string; owner: string; generation: string; expires_at_ms: string | null }>(
        'SELECT name, owner, generation, expires_at_ms FROM leases WHERE owner IS NOT NULL AND left(name, $1) = $2 ORDER BY name',
        [prefix.length, prefix],
      );
      return result.rows.map((row) => ({ name: row.name, owner: row.owner, generation: num(row.generation), expiresAtMs: row.expires_at_ms === null ? 0 : num(row.expires_at_ms) }));
    },
    isLeaseCurrent: async (lease: Lease, nowMs: number): Promise<boolean> => {
      const result = await db.query(
        'SELECT 1 FROM leases WHERE name = $1 AND owner = $2 AND generation = $3 AND expires_at_ms > $4',
        [lease.name, lease.owner, lease.generation, nowMs],
      );
      return result.rowCount === 1;
    },
  };
}
