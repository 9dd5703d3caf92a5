import { SqliteStateStore } from './sqlite/store.js';
import type { StateStore } from './types.js';
import { parseStateUrl } from './url.js';

export type * from './types.js';
export { QUEUE_STATUSES, UNIT_ORIGINS, LOG_LEVELS } from './types.js';
export { StateConfigError, StateClosedError, StateDataError } from './errors.js';
export { parseStateUrl, type StateLocation } from './url.js';
export { SqliteStateStore } from './sqlite/store.js';

export interface OpenStateStoreOptions {
  /** How long a write waits for another process's transaction before failing (SQLite busy timeout). */
  busyTimeoutMs?: number;
}

/**
 * Opens the state store a url names: `sqlite:<path>`, a plain file path or `:memory:` (SQLite,
 * schema migrated on open). A `postgres://` url throws `StateConfigError` until that backend exists.
 */
export async function openStateStore(url: string, options: OpenStateStoreOptions = {}): Promise<StateStore> {
  const location = parseStateUrl(url);
  return new SqliteStateStore(location.path, options);
}
