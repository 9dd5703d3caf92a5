import { PostgresStateStore } from './postgres/store.js';
import { SqliteStateStore } from './sqlite/store.js';
import type { StateStore } from './types.js';
import { parseStateUrl } from './url.js';

export type * from './types.js';
export { QUEUE_STATUSES, UNIT_ORIGINS, LOG_LEVELS } from './types.js';
export { StateConfigError, StateClosedError, StateDataError } from './errors.js';
export { parseStateUrl, type StateLocation } from './url.js';
export { holdClockDuringCalls } from './clock-hold.js';
export { SqliteStateStore } from './sqlite/store.js';
export { PostgresStateStore, type PostgresStoreLocation, type PostgresOpenOptions } from './postgres/index.js';

export interface OpenStateStoreOptions {
  /** How long a write waits for another process's transaction before failing (SQLite busy timeout). */
  busyTimeoutMs?: number;
  /** Most connections this process holds (PostgreSQL pool size; default 5). */
  maxConnections?: number;
  /** How long a call waits to connect or for a free connection (PostgreSQL; default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * Opens the state store a url names, schema migrated on open: `sqlite:<path>`, a plain file path or
 * `:memory:` (SQLite, embedded, one machine), or `postgres://user:password@host:port/db[?schema=name]`
 * (PostgreSQL, shared by several workers). Throws `StateConfigError` when it cannot be opened.
 */
export async function openStateStore(url: string, options: OpenStateStoreOptions = {}): Promise<StateStore> {
  const location = parseStateUrl(url);
  if (location.kind === 'postgres') {
    return PostgresStateStore.open(location, {
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
  }
  return new SqliteStateStore(location.path, options);
}
