import { QUEUE_STATUSES, type QueueFilter, type QueueStats, type QueueStatus, type QueueUnit } from '../types.js';
import { num, numOrNull, type Queryable } from './db.js';
import { CLAIM_ORDER, equalityFilters, toQueueUnit, type QueueRow } from './queue-rows.js';

interface WaitingRow {
  ready: string;
  expired: string;
  oldest: string | null;
  next: string | null;
}

/** Read-only views of the queue for the scheduler's decisions and the dashboard. */
export function queueViewOps(db: Queryable) {
  const queueStats = async (nowMs: number): Promise<QueueStats> => {
    const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, 0])) as Record<QueueStatus, number>;
    const byStatus = await db.query<{ status: string; n: string }>('SELECT status, COUNT(*) AS n FROM queue GROUP BY status');
    for (const row of byStatus.rows) {
      if ((QUEUE_STATUSES as readonly string[]).includes(row.status)) counts[row.status as QueueStatus] = num(row.n);
    }
    const byPriority = await db.query<{ priority: number; queued: string }>(
      "SELECT priority, COUNT(*) AS queued FROM queue WHERE status = 'queued' GROUP BY priority ORDER BY priority DESC",
    );
    const waiting = await db.query<WaitingRow>(
      `SELECT
         COUNT(*) FILTER (WHERE status = 'queued' AND not_before_ms <= $1) AS ready,
         COUNT(*) FILTER (WHERE status = 'leased' AND lease_expires_at_ms <= $1) AS expired,
         MIN(created_at_ms) FILTER (WHERE status = 'queued') AS oldest,
         MIN(not_before_ms) FILTER (WHERE status = 'queued' AND not_before_ms > $1) AS next
       FROM queue WHERE status IN ('queued', 'leased')`,
      [nowMs],
    );
    const w = waiting.rows[0];
    const oldest = numOrNull(w?.oldest ?? null);
    return {
      byStatus: counts,
      byPriority: byPriority.rows.map((r) => ({ priority: r.priority, queued: num(r.queued) })),
      ready: num(w?.ready ?? 0),
      expiredLeases: num(w?.expired ?? 0),
      oldestQueuedAgeMs: oldest === null ? null : nowMs - oldest,
      nextNotBeforeMs: numOrNull(w?.next ?? null),
    };
  };

  const listQueue = async (filter: QueueFilter = {}): Promise<QueueUnit[]> => {
    const values: unknown[] = [];
    const where = equalityFilters({ status: filter.status, vendor: filter.vendor }, values);
    // LIMIT NULL is PostgreSQL's "no limit".
    values.push(filter.limit ?? null);
    const result = await db.query<QueueRow>(
      `SELECT * FROM queue WHERE TRUE${where} ${CLAIM_ORDER} LIMIT $${values.length}`,
      values,
    );
    return result.rows.map(toQueueUnit);
  };

  return { queueStats, listQueue };
}
