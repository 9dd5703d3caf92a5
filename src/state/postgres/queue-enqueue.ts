import type pg from 'pg';
import type { EnqueueOptions, QueueStatus, QueueUnitInput } from '../types.js';
import { inTransaction } from './db.js';

interface ExistingRow {
  id: string;
  status: QueueStatus;
  priority: number;
}

/** A fixed advisory-lock key: enqueues take turns, claims (row locks) are never blocked by it. */
const ENQUEUE_LOCK = 'trademl.state.enqueue';

function unitValues(unit: QueueUnitInput, nowMs: number): unknown[] {
  return [
    unit.vendor,
    unit.dataset,
    unit.endpoint,
    JSON.stringify(unit.params),
    unit.priority,
    unit.origin,
    unit.cost,
    unit.notBeforeMs ?? nowMs,
  ];
}

/**
 * Enqueue with identity de-duplication, one transaction per batch. Batches from several workers are
 * serialised by a transaction advisory lock: a batch locks existing rows in its own order, and two
 * batches doing that at once could deadlock. A revived unit starts over (attempts 0, errors
 * cleared) at the back of its priority's FIFO.
 */
export function enqueueOp(pool: pg.Pool) {
  const enqueueOne = async (
    client: pg.PoolClient,
    unit: QueueUnitInput,
    nowMs: number,
    options: EnqueueOptions,
  ): Promise<boolean> => {
    const found = await client.query<ExistingRow>(
      'SELECT id, status, priority FROM queue WHERE identity = $1 FOR UPDATE',
      [unit.identity],
    );
    const existing = found.rows[0];
    if (existing === undefined) {
      await client.query(
        `INSERT INTO queue (identity, vendor, dataset, endpoint, params, priority, origin, cost, not_before_ms,
           status, attempts, created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8, $9, 'queued', 0, $10, $10)`,
        [unit.identity, ...unitValues(unit, nowMs), nowMs],
      );
      return true;
    }
    if (shouldRevive(existing.status, options)) {
      await client.query(
        `UPDATE queue SET seq = nextval('queue_fifo'), vendor = $1, dataset = $2, endpoint = $3, params = $4::json,
           priority = $5, origin = $6, cost = $7, not_before_ms = $8, status = 'queued', attempts = 0,
           lease_owner = NULL, lease_expires_at_ms = NULL, last_error = NULL, defer_reason = NULL,
           created_at_ms = $9, updated_at_ms = $9
         WHERE id = $10`,
        [...unitValues(unit, nowMs), nowMs, existing.id],
      );
      return true;
    }
    // Re-emitting known work with a higher priority must take effect.
    if (existing.status === 'queued' && unit.priority > existing.priority) {
      await client.query('UPDATE queue SET priority = $1, updated_at_ms = $2 WHERE id = $3', [
        unit.priority,
        nowMs,
        existing.id,
      ]);
    }
    return false;
  };

  return async (units: QueueUnitInput[], nowMs: number, options: EnqueueOptions = {}): Promise<number> => {
    if (units.length === 0) return 0;
    return inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1 || current_schema()))', [ENQUEUE_LOCK]);
      let added = 0;
      for (const unit of units) {
        if (await enqueueOne(client, unit, nowMs, options)) added += 1;
      }
      return added;
    });
  };
}

function shouldRevive(status: QueueStatus, options: EnqueueOptions): boolean {
  return (status === 'done' && options.redoDone === true) || (status === 'dead' && options.reviveDead === true);
}
