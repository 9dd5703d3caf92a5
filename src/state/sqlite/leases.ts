import type Database from 'better-sqlite3';
import type { Lease } from '../types.js';

interface LeaseRow {
  name: string;
  owner: string | null;
  generation: number;
  expires_at_ms: number | null;
}

/**
 * Named leases with a fencing generation. A released lease keeps its row (owner cleared) so the
 * generation never goes back: every acquisition, ever, gets a larger number than the one before.
 */
export function leaseOps(db: Database.Database) {
  const get = db.prepare<[string], LeaseRow>('SELECT * FROM leases WHERE name = ?');
  const put = db.prepare<[string, string, number, number]>(
    `INSERT INTO leases (name, owner, generation, expires_at_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, generation = excluded.generation,
       expires_at_ms = excluded.expires_at_ms`,
  );
  const extend = db.prepare<[number, string, string, number]>(
    'UPDATE leases SET expires_at_ms = ? WHERE name = ? AND owner = ? AND generation = ?',
  );
  const release = db.prepare<[string, string, number]>(
    'UPDATE leases SET owner = NULL, expires_at_ms = NULL WHERE name = ? AND owner = ? AND generation = ?',
  );
  const held = db.prepare<[number, string], LeaseRow>(
    "SELECT * FROM leases WHERE owner IS NOT NULL AND substr(name, 1, ?) = ? ORDER BY name",
  );
  const current = db.prepare<[string, string, number, number], { ok: number }>(
    'SELECT 1 AS ok FROM leases WHERE name = ? AND owner = ? AND generation = ? AND expires_at_ms > ?',
  );

  const acquire = db.transaction((name: string, owner: string, ttlMs: number, nowMs: number): Lease | undefined => {
    const row = get.get(name);
    const heldByOther = row?.owner != null && row.owner !== owner && (row.expires_at_ms ?? 0) > nowMs;
    if (heldByOther) return undefined;
    const lease: Lease = { name, owner, generation: (row?.generation ?? 0) + 1, expiresAtMs: nowMs + ttlMs };
    put.run(name, owner, lease.generation, lease.expiresAtMs);
    return lease;
  });

  return {
    acquireLease: (name: string, owner: string, ttlMs: number, nowMs: number): Lease | undefined =>
      acquire.immediate(name, owner, ttlMs, nowMs),
    renewLease: (lease: Lease, ttlMs: number, nowMs: number): Lease | undefined => {
      const expiresAtMs = nowMs + ttlMs;
      const changed = extend.run(expiresAtMs, lease.name, lease.owner, lease.generation).changes;
      return changed === 1 ? { ...lease, expiresAtMs } : undefined;
    },
    releaseLease: (lease: Lease): void => {
      release.run(lease.name, lease.owner, lease.generation);
    },
    listLeases: (prefix: string): Lease[] =>
      held.all(prefix.length, prefix).map((row) => ({ name: row.name, owner: row.owner as string, generation: row.generation, expiresAtMs: row.expires_at_ms ?? 0 })),
    isLeaseCurrent: (lease: Lease, nowMs: number): boolean =>
      current.get(lease.name, lease.owner, lease.generation, nowMs) !== undefined,
  };
}
