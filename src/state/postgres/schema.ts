/** One schema step: append only, a released step is never edited (a change is a new step). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, table for table the SQLite one. Instants are epoch milliseconds supplied
 * by callers, stored as DOUBLE PRECISION: exact for every integer millisecond, and a computed
 * fractional instant (a pacer's `now + 60000 / rpm`) is kept as given, as SQLite keeps it, instead
 * of failing a BIGINT cast. Counters and the fencing generation are BIGINT. `seq` is the FIFO
 * position, drawn again when finished work is revived.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial state schema',
    sql: `
      CREATE TABLE bookmarks (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at_ms DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE request_counts (
        vendor TEXT NOT NULL,
        day TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (vendor, day)
      );
      CREATE TABLE request_log (
        id BIGSERIAL PRIMARY KEY,
        vendor TEXT NOT NULL,
        at_ms DOUBLE PRECISION NOT NULL
      );
      CREATE INDEX request_log_vendor_at ON request_log (vendor, at_ms);
      CREATE INDEX request_log_at ON request_log (at_ms);
      CREATE TABLE vendor_health (
        vendor TEXT PRIMARY KEY,
        frozen_until_ms DOUBLE PRECISION,
        reason TEXT,
        consecutive_errors INTEGER NOT NULL,
        updated_at_ms DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE capability_status (
        vendor TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('available', 'denied')),
        reason TEXT,
        until_ms DOUBLE PRECISION,
        updated_at_ms DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (vendor, endpoint)
      );
      CREATE TABLE bad_symbols (
        vendor TEXT NOT NULL,
        symbol TEXT NOT NULL,
        until_ms DOUBLE PRECISION NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (vendor, symbol)
      );
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        owner TEXT,
        generation BIGINT NOT NULL,
        expires_at_ms DOUBLE PRECISION
      );
      CREATE SEQUENCE queue_fifo;
      CREATE TABLE queue (
        id BIGSERIAL PRIMARY KEY,
        seq BIGINT NOT NULL DEFAULT nextval('queue_fifo'),
        identity TEXT NOT NULL UNIQUE,
        vendor TEXT NOT NULL,
        dataset TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        params JSON NOT NULL,
        priority DOUBLE PRECISION NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('forward', 'backfill', 'smoke', 'reference')),
        cost DOUBLE PRECISION NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'leased', 'done', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before_ms DOUBLE PRECISION NOT NULL,
        lease_owner TEXT,
        lease_expires_at_ms DOUBLE PRECISION,
        last_error TEXT,
        defer_reason TEXT,
        created_at_ms DOUBLE PRECISION NOT NULL,
        updated_at_ms DOUBLE PRECISION NOT NULL
      );
      CREATE INDEX queue_ready ON queue (priority DESC, seq) WHERE status = 'queued';
      CREATE INDEX queue_leased ON queue (lease_expires_at_ms) WHERE status = 'leased';
      CREATE INDEX queue_owner ON queue (lease_owner) WHERE status = 'leased';
      CREATE INDEX queue_status_order ON queue (status, priority DESC, seq);
      CREATE TABLE run_log (
        id BIGSERIAL PRIMARY KEY,
        at_ms DOUBLE PRECISION NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
        event TEXT NOT NULL,
        vendor TEXT,
        detail JSON
      );
      CREATE INDEX run_log_at ON run_log (at_ms);
      CREATE INDEX run_log_vendor_at ON run_log (vendor, at_ms);
      CREATE INDEX run_log_event_at ON run_log (event, at_ms);
    `,
  },
];
