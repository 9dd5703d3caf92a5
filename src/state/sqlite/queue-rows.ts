import type Database from 'better-sqlite3';
import { QUEUE_STATUSES, UNIT_ORIGINS, type QueueUnit } from '../types.js';
import { datasetOf, endpointOf, jsonObjectOf, oneOf, vendorOf } from '../decode.js';

/** One `queue` row as SQLite returns it. */
export interface QueueRow {
  id: number;
  seq: number;
  identity: string;
  vendor: string;
  dataset: string;
  endpoint: string;
  params: string;
  priority: number;
  origin: string;
  cost: number;
  status: string;
  attempts: number;
  not_before_ms: number;
  lease_owner: string | null;
  lease_expires_at_ms: number | null;
  last_error: string | null;
  defer_reason: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export function toQueueUnit(row: QueueRow): QueueUnit {
  return {
    id: row.id,
    identity: row.identity,
    vendor: vendorOf(row.vendor),
    dataset: datasetOf(row.dataset),
    endpoint: endpointOf(row.endpoint),
    params: jsonObjectOf(row.params, `params of queue unit ${row.id}`),
    priority: row.priority,
    origin: oneOf(UNIT_ORIGINS, row.origin, 'unit origin'),
    cost: row.cost,
    status: oneOf(QUEUE_STATUSES, row.status, 'queue status'),
    attempts: row.attempts,
    notBeforeMs: row.not_before_ms,
    leaseOwner: row.lease_owner,
    leaseExpiresAtMs: row.lease_expires_at_ms,
    lastError: row.last_error,
    deferReason: row.defer_reason,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

/** Claim order: priority descending, then first in first out. */
export const CLAIM_ORDER = 'ORDER BY priority DESC, seq ASC';

/**
 * Builds a WHERE clause from optional equality filters, so each filter shape gets its own
 * statement (and SQLite can use the matching index) instead of `(? IS NULL OR col = ?)`.
 */
export function equalityFilters(filters: Record<string, string | undefined>): { sql: string; values: string[] } {
  const parts: string[] = [];
  const values: string[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    parts.push(`${column} = ?`);
    values.push(value);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), values };
}

/** Prepares each distinct SQL text once (queries whose shape depends on which filters are set). */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement<unknown[], QueueRow> {
  const cache = new Map<string, Database.Statement<unknown[], QueueRow>>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[], QueueRow>(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
