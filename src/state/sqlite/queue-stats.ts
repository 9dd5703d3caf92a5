import type Database from 'better-sqlite3';
import { QUEUE_STATUSES, type QueueFilter, type QueueStats, type QueueStatus, type QueueUnit } from '../types.js';
import { CLAIM_ORDER, equalityFilters, statementCache, toQueueUnit } from './queue-rows.js';

interface WaitingRow {
  ready: number | null;
  expired: number | null;
  oldest: number | null;
  next: number | null;
}

/** Read-only views of the queue for the scheduler's decisions and the dashboard. */
export function queueViewOps(db: Database.Database) {
  const byStatus = db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM queue GROUP BY status');
  const byPriority = db.prepare<[], { priority: number; queued: number }>(
    "SELECT priority, COUNT(*) AS queued FROM queue WHERE status = 'queued' GROUP BY priority ORDER BY priority DESC",
  );
  const waiting = db.prepare<{ now: number }, WaitingRow>(
    `SELECT
       SUM(CASE WHEN status = 'queued' AND not_before_ms <= @now THEN 1 ELSE 0 END) AS ready,
       SUM(CASE WHEN status = 'leased' AND lease_expires_at_ms <= @now THEN 1 ELSE 0 END) AS expired,
       MIN(CASE WHEN status = 'queued' THEN created_at_ms END) AS oldest,
       MIN(CASE WHEN status = 'queued' AND not_before_ms > @now THEN not_before_ms END) AS next
     FROM queue WHERE status IN ('queued', 'leased')`,
  );
  const listStatement = statementCache(db);

  const queueStats = (nowMs: number): QueueStats => {
    const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, 0])) as Record<QueueStatus, number>;
    for (const row of byStatus.all()) {
      if ((QUEUE_STATUSES as readonly string[]).includes(row.status)) counts[row.status as QueueStatus] = row.n;
    }
    const w = waiting.get({ now: nowMs });
    return {
      byStatus: counts,
      byPriority: byPriority.all(),
      ready: w?.ready ?? 0,
      expiredLeases: w?.expired ?? 0,
      oldestQueuedAgeMs: w?.oldest == null ? null : nowMs - w.oldest,
      nextNotBeforeMs: w?.next ?? null,
    };
  };

  const listQueue = (filter: QueueFilter = {}): QueueUnit[] => {
    const where = equalityFilters({ status: filter.status, vendor: filter.vendor });
    const sql = `SELECT * FROM queue WHERE 1 = 1${where.sql} ${CLAIM_ORDER} LIMIT ?`;
    // LIMIT -1 is SQLite's "no limit".
    return listStatement(sql).all(...where.values, filter.limit ?? -1).map(toQueueUnit);
  };

  return { queueStats, listQueue };
}
