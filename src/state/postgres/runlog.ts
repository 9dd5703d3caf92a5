import type { VendorId } from '../../catalog/index.js';
import { oneOf, vendorOf } from '../decode.js';
import { StateDataError } from '../errors.js';
import { LOG_LEVELS, type RunLogEntry } from '../types.js';
import { num, type Queryable } from './db.js';

interface LogRow {
  at_ms: string;
  level: string;
  event: string;
  vendor: string | null;
  detail: unknown;
}

function toEntry(row: LogRow): RunLogEntry {
  const entry: RunLogEntry = { atMs: num(row.at_ms), level: oneOf(LOG_LEVELS, row.level, 'log level'), event: row.event };
  if (row.vendor !== null) entry.vendor = vendorOf(row.vendor);
  if (row.detail !== null) {
    if (typeof row.detail !== 'object' || Array.isArray(row.detail)) {
      throw new StateDataError('state store holds a run log detail that is not a JSON object');
    }
    entry.detail = row.detail as Record<string, unknown>;
  }
  return entry;
}

/** The run log: every scheduler decision, newest first on read, pruned by age. */
export function runLogOps(db: Queryable) {
  return {
    appendLog: async (entry: RunLogEntry): Promise<void> => {
      const detail = entry.detail === undefined ? null : JSON.stringify(entry.detail);
      await db.query('INSERT INTO run_log (at_ms, level, event, vendor, detail) VALUES ($1, $2, $3, $4, $5::json)', [
        entry.atMs,
        entry.level,
        entry.event,
        entry.vendor ?? null,
        detail,
      ]);
    },
    recentLog: async (limit: number, filter: { vendor?: VendorId; event?: string } = {}): Promise<RunLogEntry[]> => {
      const values: unknown[] = [];
      const where = [
        filter.vendor === undefined ? '' : ` AND vendor = $${values.push(filter.vendor)}`,
        filter.event === undefined ? '' : ` AND event = $${values.push(filter.event)}`,
      ].join('');
      values.push(Math.max(0, limit));
      const result = await db.query<LogRow>(
        `SELECT at_ms, level, event, vendor, detail FROM run_log WHERE TRUE${where}
         ORDER BY at_ms DESC, id DESC LIMIT $${values.length}`,
        values,
      );
      return result.rows.map(toEntry);
    },
    pruneLog: async (beforeMs: number): Promise<void> => {
      await db.query('DELETE FROM run_log WHERE at_ms < $1', [beforeMs]);
    },
  };
}
