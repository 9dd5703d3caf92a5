import { datasetOf, endpointOf, oneOf, vendorOf } from '../decode.js';
import { StateDataError } from '../errors.js';
import { QUEUE_STATUSES, UNIT_ORIGINS, type QueueUnit } from '../types.js';
import { num, numOrNull } from './db.js';

/** One `queue` row as node-postgres returns it (BIGINT as text, JSON parsed). */
export interface QueueRow {
  id: string;
  seq: string;
  identity: string;
  vendor: string;
  dataset: string;
  endpoint: string;
  params: unknown;
  priority: number;
  origin: string;
  cost: number;
  status: string;
  attempts: number;
  not_before_ms: string;
  lease_owner: string | null;
  lease_expires_at_ms: string | null;
  last_error: string | null;
  defer_reason: string | null;
  created_at_ms: string;
  updated_at_ms: string;
}

function paramsOf(value: unknown, id: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new StateDataError(`state store holds params of queue unit ${id} that are not a JSON object`);
}

export function toQueueUnit(row: QueueRow): QueueUnit {
  return {
    id: num(row.id),
    identity: row.identity,
    vendor: vendorOf(row.vendor),
    dataset: datasetOf(row.dataset),
    endpoint: endpointOf(row.endpoint),
    params: paramsOf(row.params, row.id),
    priority: row.priority,
    origin: oneOf(UNIT_ORIGINS, row.origin, 'unit origin'),
    cost: row.cost,
    status: oneOf(QUEUE_STATUSES, row.status, 'queue status'),
    attempts: row.attempts,
    notBeforeMs: num(row.not_before_ms),
    leaseOwner: row.lease_owner,
    leaseExpiresAtMs: numOrNull(row.lease_expires_at_ms),
    lastError: row.last_error,
    deferReason: row.defer_reason,
    createdAtMs: num(row.created_at_ms),
    updatedAtMs: num(row.updated_at_ms),
  };
}

/** Claim order: priority descending, then first in first out. */
export const CLAIM_ORDER = 'ORDER BY priority DESC, seq ASC';

/** Sorts rows (e.g. an UPDATE's RETURNING, which has no order) into claim order. */
export function inClaimOrder(rows: QueueRow[]): QueueRow[] {
  return [...rows].sort((a, b) => b.priority - a.priority || num(a.seq) - num(b.seq));
}

/**
 * Appends `AND column = $n` for each set filter, numbering placeholders after `values` already
 * holds, so each filter shape is one plain statement.
 */
export function equalityFilters(filters: Record<string, string | undefined>, values: unknown[]): string {
  let sql = '';
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    values.push(value);
    sql += ` AND ${column} = $${values.length}`;
  }
  return sql;
}
