import type Database from 'better-sqlite3';
import type { VendorId } from '../../catalog/index.js';
import { LOG_LEVELS, type RunLogEntry } from '../types.js';
import { jsonObjectOf, oneOf, vendorOf } from '../decode.js';

interface LogRow {
  at_ms: number;
  level: string;
  event: string;
  vendor: string | null;
  detail: string | null;
}

function toEntry(row: LogRow): RunLogEntry {
  const entry: RunLogEntry = { atMs: row.at_ms, level: oneOf(LOG_LEVELS, row.level, 'log level'), event: row.event };
  if (row.vendor !== null) entry.vendor = vendorOf(row.vendor);
  if (row.detail !== null) entry.detail = jsonObjectOf(row.detail, 'run log detail');
  return entry;
}

/** The run log: every scheduler decision, newest first on read, pruned by age. */
export function runLogOps(db: Database.Database) {
  const append = db.prepare<[number, string, string, string | null, string | null]>(
    'INSERT INTO run_log (at_ms, level, event, vendor, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const recent = new Map<string, Database.Statement<unknown[], LogRow>>();
  const prune = db.prepare<[number]>('DELETE FROM run_log WHERE at_ms < ?');

  const recentStatement = (byVendor: boolean, byEvent: boolean): Database.Statement<unknown[], LogRow> => {
    const key = `${byVendor}:${byEvent}`;
    let statement = recent.get(key);
    if (statement === undefined) {
      const where = [byVendor ? ' AND vendor = ?' : '', byEvent ? ' AND event = ?' : ''].join('');
      statement = db.prepare<unknown[], LogRow>(
        `SELECT at_ms, level, event, vendor, detail FROM run_log WHERE 1 = 1${where} ORDER BY at_ms DESC, id DESC LIMIT ?`,
      );
      recent.set(key, statement);
    }
    return statement;
  };

  return {
    appendLog: (entry: RunLogEntry): void => {
      const detail = entry.detail === undefined ? null : JSON.stringify(entry.detail);
      append.run(entry.atMs, entry.level, entry.event, entry.vendor ?? null, detail);
    },
    recentLog: (limit: number, filter: { vendor?: VendorId; event?: string } = {}): RunLogEntry[] => {
      const values = [filter.vendor, filter.event].filter((v): v is string => v !== undefined);
      const statement = recentStatement(filter.vendor !== undefined, filter.event !== undefined);
      return statement.all(...values, Math.max(0, limit)).map(toEntry);
    },
    pruneLog: (beforeMs: number): void => {
      prune.run(beforeMs);
    },
  };
}
