import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StateConfigError } from '../errors.js';
import { migrate } from './migrations.js';

export const MEMORY_PATH = ':memory:';
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export interface SqliteOpenOptions {
  /** How long a writer waits for another process's write transaction before failing. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a state database with the pragmas the store relies on, then
 * brings its schema up to date. WAL lets readers run beside one writer; NORMAL sync is durable
 * across process crashes under WAL (only an OS crash may lose the last commits). SQLite must
 * sit on a local disk: its locks are unreliable on network file systems.
 */
export function openDatabase(path: string, options: SqliteOpenOptions = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (path !== MEMORY_PATH) mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (cause) {
    throw new StateConfigError(`cannot open state database ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (cause) {
    db.close();
    if (cause instanceof StateConfigError) throw cause;
    throw new StateConfigError(`cannot prepare state database ${path}: ${(cause as Error).message}`, { cause });
  }
}
