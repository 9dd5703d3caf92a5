import type pg from 'pg';
import type { ClaimRequest, FailOptions, QueueUnit } from '../types.js';
import { CLAIM_ORDER, equalityFilters, inClaimOrder, toQueueUnit, type QueueRow } from './queue-rows.js';

const SETTLE_GUARD = "WHERE id = $1 AND status = 'leased' AND lease_owner = $2";

/**
 * Claiming and settling queue units. A claim is one statement: the candidates are picked with
 * `FOR UPDATE SKIP LOCKED` (a row another worker is claiming right now is passed over, never waited
 * for nor taken twice) and leased by the UPDATE around them. Settling (complete / defer / fail) is
 * one conditional UPDATE that matches only while the unit is still leased to the caller: a holder
 * whose expired claim was taken by someone else changes nothing.
 */
export function queueOps(pool: pg.Pool) {
  const claim = async (request: ClaimRequest): Promise<QueueUnit[]> => {
    if (request.limit <= 0) return [];
    const values: unknown[] = [request.nowMs];
    const filter = equalityFilters({ vendor: request.vendor, dataset: request.dataset }, values);
    values.push(request.limit, request.owner, request.nowMs + request.leaseMs);
    const n = values.length;
    const result = await pool.query<QueueRow>(
      `WITH picked AS (
         SELECT id FROM queue
         WHERE ((status = 'queued' AND not_before_ms <= $1) OR (status = 'leased' AND lease_expires_at_ms <= $1))${filter}
         ${CLAIM_ORDER}
         LIMIT $${n - 2}
         FOR UPDATE SKIP LOCKED
       )
       UPDATE queue SET status = 'leased', lease_owner = $${n - 1}, lease_expires_at_ms = $${n},
         attempts = queue.attempts + 1, updated_at_ms = $1
       FROM picked WHERE queue.id = picked.id
       RETURNING queue.*`,
      values,
    );
    return inClaimOrder(result.rows).map(toQueueUnit);
  };

  const settle = async (sql: string, values: unknown[]): Promise<boolean> =>
    (await pool.query(sql, values)).rowCount === 1;

  return {
    claim,
    complete: (id: number, owner: string, nowMs: number): Promise<boolean> =>
      settle(
        `UPDATE queue SET status = 'done', lease_owner = NULL, lease_expires_at_ms = NULL, updated_at_ms = $3
         ${SETTLE_GUARD}`,
        [id, owner, nowMs],
      ),
    extendClaim: (id: number, owner: string, leaseMs: number, nowMs: number): Promise<boolean> =>
      settle(`UPDATE queue SET lease_expires_at_ms = $3 ${SETTLE_GUARD} AND lease_expires_at_ms > $4`, [id, owner, nowMs + leaseMs, nowMs]),
    defer: (id: number, owner: string, notBeforeMs: number, reason: string, nowMs: number): Promise<boolean> =>
      settle(
        `UPDATE queue SET status = 'queued', not_before_ms = $3, defer_reason = $4, attempts = GREATEST(attempts - 1, 0),
           lease_owner = NULL, lease_expires_at_ms = NULL, updated_at_ms = $5
         ${SETTLE_GUARD}`,
        [id, owner, notBeforeMs, reason, nowMs],
      ),
    fail: (id: number, owner: string, error: string, nowMs: number, options: FailOptions): Promise<boolean> =>
      settle(
        `UPDATE queue SET status = $3, not_before_ms = $4, last_error = $5, defer_reason = NULL, lease_owner = NULL,
           lease_expires_at_ms = NULL, updated_at_ms = $6
         ${SETTLE_GUARD}`,
        [id, owner, options.permanent === true ? 'dead' : 'queued', options.retryAtMs ?? nowMs, error, nowMs],
      ),
    renewClaims: async (owner: string, leaseMs: number, nowMs: number): Promise<number> => {
      const result = await pool.query(
        `UPDATE queue SET lease_expires_at_ms = $2, updated_at_ms = $3
         WHERE status = 'leased' AND lease_owner = $1 AND lease_expires_at_ms > $3`,
        [owner, nowMs + leaseMs, nowMs],
      );
      return result.rowCount ?? 0;
    },
    releaseClaims: async (owner: string, nowMs: number): Promise<number> => {
      const result = await pool.query(
        `UPDATE queue SET status = 'queued', attempts = GREATEST(attempts - 1, 0), lease_owner = NULL,
           lease_expires_at_ms = NULL, updated_at_ms = $2
         WHERE status = 'leased' AND lease_owner = $1`,
        [owner, nowMs],
      );
      return result.rowCount ?? 0;
    },
  };
}
