import type Database from 'better-sqlite3';
import type { EnqueueOptions, QueueStatus, QueueUnitInput } from '../types.js';

interface ExistingRow {
  id: number;
  status: QueueStatus;
  priority: number;
}

type UnitValues = [string, string, string, string, number, string, number, number];

function unitValues(unit: QueueUnitInput, nowMs: number): UnitValues {
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
 * Enqueue with identity de-duplication. A finished identity (done, dead) is revived only on
 * explicit request; a revived unit starts over (attempts 0, errors cleared) at the back of its
 * priority's FIFO.
 */
export function enqueueOp(db: Database.Database) {
  const find = db.prepare<[string], ExistingRow>('SELECT id, status, priority FROM queue WHERE identity = ?');
  const nextSeq = db.prepare<[], { seq: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM queue');
  const insert = db.prepare<[number, string, ...UnitValues, number, number]>(
    `INSERT INTO queue (seq, identity, vendor, dataset, endpoint, params, priority, origin, cost, not_before_ms,
       status, attempts, created_at_ms, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
  );
  const revive = db.prepare<[number, ...UnitValues, number, number, number]>(
    `UPDATE queue SET seq = ?, vendor = ?, dataset = ?, endpoint = ?, params = ?, priority = ?, origin = ?,
       cost = ?, not_before_ms = ?, status = 'queued', attempts = 0, lease_owner = NULL,
       lease_expires_at_ms = NULL, last_error = NULL, defer_reason = NULL, created_at_ms = ?, updated_at_ms = ?
     WHERE id = ?`,
  );
  // Re-emitting known work with a higher priority must take effect (a static ON CONFLICT DO NOTHING would not).
  const raisePriority = db.prepare<[number, number, number]>(
    "UPDATE queue SET priority = ?, updated_at_ms = ? WHERE id = ? AND status = 'queued'",
  );

  const seqOf = (): number => nextSeq.get()?.seq ?? 1;

  const enqueueAll = db.transaction((units: QueueUnitInput[], nowMs: number, options: EnqueueOptions): number => {
    let added = 0;
    for (const unit of units) {
      const existing = find.get(unit.identity);
      if (existing === undefined) {
        insert.run(seqOf(), unit.identity, ...unitValues(unit, nowMs), nowMs, nowMs);
        added += 1;
      } else if (shouldRevive(existing.status, options)) {
        revive.run(seqOf(), ...unitValues(unit, nowMs), nowMs, nowMs, existing.id);
        added += 1;
      } else if (existing.status === 'queued' && unit.priority > existing.priority) {
        raisePriority.run(unit.priority, nowMs, existing.id);
      }
    }
    return added;
  });

  return (units: QueueUnitInput[], nowMs: number, options: EnqueueOptions = {}): number =>
    units.length === 0 ? 0 : enqueueAll.immediate(units, nowMs, options);
}

function shouldRevive(status: QueueStatus, options: EnqueueOptions): boolean {
  return (status === 'done' && options.redoDone === true) || (status === 'dead' && options.reviveDead === true);
}
