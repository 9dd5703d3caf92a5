import type Database from 'better-sqlite3';
import type { ClaimRequest, FailOptions, QueueUnit } from '../types.js';
import { CLAIM_ORDER, equalityFilters, statementCache, toQueueUnit, type QueueRow } from './queue-rows.js';

/**
 * Claiming and settling queue units. A claim is one write transaction (BEGIN IMMEDIATE: select
 * then update), so concurrent claimers in other processes wait for it and then see its result.
 * Settling (complete / defer / fail) is one conditional UPDATE that matches only while the unit is
 * still leased to the caller: a holder whose expired claim was taken by someone else changes nothing.
 */
export function queueOps(db: Database.Database) {
  const candidateStatement = statementCache(db);
  const lease = db.prepare<[string, number, number, number]>(
    `UPDATE queue SET status = 'leased', lease_owner = ?, lease_expires_at_ms = ?, attempts = attempts + 1,
       updated_at_ms = ? WHERE id = ?`,
  );
  const complete = db.prepare<[number, number, string]>(
    `UPDATE queue SET status = 'done', lease_owner = NULL, lease_expires_at_ms = NULL, updated_at_ms = ?
     WHERE id = ? AND status = 'leased' AND lease_owner = ?`,
  );
  const defer = db.prepare<[number, string, number, number, string]>(
    `UPDATE queue SET status = 'queued', not_before_ms = ?, defer_reason = ?, attempts = MAX(attempts - 1, 0),
       lease_owner = NULL, lease_expires_at_ms = NULL, updated_at_ms = ?
     WHERE id = ? AND status = 'leased' AND lease_owner = ?`,
  );
  const fail = db.prepare<[string, number, string, number, number, string]>(
    `UPDATE queue SET status = ?, not_before_ms = ?, last_error = ?, defer_reason = NULL, lease_owner = NULL,
       lease_expires_at_ms = NULL, updated_at_ms = ?
     WHERE id = ? AND status = 'leased' AND lease_owner = ?`,
  );

  const extend = db.prepare<[number, number, string, number]>(
    `UPDATE queue SET lease_expires_at_ms = ? WHERE id = ? AND status = 'leased' AND lease_owner = ? AND lease_expires_at_ms > ?`,
  );

  const renewOwned = db.prepare<[number, number, string, number]>(
    `UPDATE queue SET lease_expires_at_ms = ?, updated_at_ms = ? WHERE status = 'leased' AND lease_owner = ? AND lease_expires_at_ms > ?`,
  );

  const releaseOwned = db.prepare<[number, string]>(
    `UPDATE queue SET status = 'queued', attempts = MAX(attempts - 1, 0), lease_owner = NULL, lease_expires_at_ms = NULL,
       updated_at_ms = ? WHERE status = 'leased' AND lease_owner = ?`,
  );

  // Ready queued units and expired leases are read separately (each walks its own index) and merged.
  const pickCandidates = (request: ClaimRequest): QueueRow[] => {
    const filter = equalityFilters({ vendor: request.vendor, dataset: request.dataset });
    const ready = candidateStatement(
      `SELECT * FROM queue WHERE status = 'queued' AND not_before_ms <= ?${filter.sql} ${CLAIM_ORDER} LIMIT ?`,
    ).all(request.nowMs, ...filter.values, request.limit);
    const expired = candidateStatement(
      `SELECT * FROM queue WHERE status = 'leased' AND lease_expires_at_ms <= ?${filter.sql} ${CLAIM_ORDER} LIMIT ?`,
    ).all(request.nowMs, ...filter.values, request.limit);
    return [...ready, ...expired]
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq)
      .slice(0, request.limit);
  };

  const claimAll = db.transaction((request: ClaimRequest): QueueUnit[] => {
    const leaseExpiresAtMs = request.nowMs + request.leaseMs;
    return pickCandidates(request).map((row) => {
      lease.run(request.owner, leaseExpiresAtMs, request.nowMs, row.id);
      return toQueueUnit({
        ...row,
        status: 'leased',
        lease_owner: request.owner,
        lease_expires_at_ms: leaseExpiresAtMs,
        attempts: row.attempts + 1,
        updated_at_ms: request.nowMs,
      });
    });
  });

  return {
    claim: (request: ClaimRequest): QueueUnit[] => (request.limit <= 0 ? [] : claimAll.immediate(request)),
    complete: (id: number, owner: string, nowMs: number): boolean => complete.run(nowMs, id, owner).changes === 1,
    extendClaim: (id: number, owner: string, leaseMs: number, nowMs: number): boolean =>
      extend.run(nowMs + leaseMs, id, owner, nowMs).changes === 1,
    defer: (id: number, owner: string, notBeforeMs: number, reason: string, nowMs: number): boolean =>
      defer.run(notBeforeMs, reason, nowMs, id, owner).changes === 1,
    releaseClaims: (owner: string, nowMs: number): number => releaseOwned.run(nowMs, owner).changes,
    renewClaims: (owner: string, leaseMs: number, nowMs: number): number => renewOwned.run(nowMs + leaseMs, nowMs, owner, nowMs).changes,
    fail: (id: number, owner: string, error: string, nowMs: number, options: FailOptions): boolean => {
      const status = options.permanent === true ? 'dead' : 'queued';
      const notBeforeMs = options.retryAtMs ?? nowMs;
      return fail.run(status, notBeforeMs, error, nowMs, id, owner).changes === 1;
    },
  };
}
