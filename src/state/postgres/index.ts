export { PostgresStateStore, type PostgresStoreLocation } from './store.js';
export type { PostgresOpenOptions } from './db.js';
