import type Database from 'better-sqlite3';
import { StateConfigError } from '../errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Ordered schema steps. Append only: a released step is never edited, a change is a new step.
 * Time columns hold epoch milliseconds supplied by callers.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial state schema',
    sql: `
      CREATE TABLE bookmarks (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE TABLE request_counts (
        vendor TEXT NOT NULL,
        day TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (vendor, day)
      );
      CREATE TABLE request_log (
        id INTEGER PRIMARY KEY,
        vendor TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX request_log_vendor_at ON request_log (vendor, at_ms);
      CREATE INDEX request_log_at ON request_log (at_ms);
      CREATE TABLE vendor_health (
        vendor TEXT PRIMARY KEY,
        frozen_until_ms INTEGER,
        reason TEXT,
        consecutive_errors INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE TABLE capability_status (
        vendor TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('available', 'denied')),
        reason TEXT,
        until_ms INTEGER,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (vendor, endpoint)
      );
      CREATE TABLE bad_symbols (
        vendor TEXT NOT NULL,
        symbol TEXT NOT NULL,
        until_ms INTEGER NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (vendor, symbol)
      );
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        owner TEXT,
        generation INTEGER NOT NULL,
        expires_at_ms INTEGER
      );
      CREATE TABLE queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        seq INTEGER NOT NULL,
        identity TEXT NOT NULL UNIQUE,
        vendor TEXT NOT NULL,
        dataset TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        params TEXT NOT NULL,
        priority INTEGER NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('forward', 'backfill', 'smoke', 'reference')),
        cost REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'leased', 'done', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before_ms INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at_ms INTEGER,
        last_error TEXT,
        defer_reason TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE INDEX queue_claim_order ON queue (status, priority DESC, seq);
      CREATE INDEX queue_lease_expiry ON queue (status, lease_expires_at_ms);
      CREATE INDEX queue_vendor_claim_order ON queue (status, vendor, priority DESC, seq);
      CREATE INDEX queue_seq ON queue (seq);
      CREATE TABLE run_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms INTEGER NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
        event TEXT NOT NULL,
        vendor TEXT,
        detail TEXT
      );
      CREATE INDEX run_log_at ON run_log (at_ms);
      CREATE INDEX run_log_vendor_at ON run_log (vendor, at_ms);
      CREATE INDEX run_log_event_at ON run_log (event, at_ms);
    `,
  },
];

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL
  )`;

/**
 * Applies every step not yet recorded in `schema_migrations`, each in its own write transaction
 * that re-checks the version inside, so two processes opening the same file at once apply each
 * step exactly once. Returns the versions applied by this call.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(CREATE_MIGRATIONS_TABLE);
  rejectNewerSchema(db, migrations);
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare<[number, string]>('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const applied: number[] = [];
  for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
    const applyStep = db.transaction(() => {
      if (isApplied.get(step.version) !== undefined) return;
      db.exec(step.sql);
      record.run(step.version, step.name);
      applied.push(step.version);
    });
    applyStep.immediate();
  }
  return applied;
}

/** A file written by a newer build must not be used (or silently downgraded) by an older one. */
function rejectNewerSchema(db: Database.Database, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get();
  const current = row?.v ?? 0;
  if (current > known) {
    throw new StateConfigError(
      `state database schema version ${current} is newer than this build knows (${known}); upgrade trademl`,
    );
  }
}

/** The highest applied schema version (0 for an empty database). */
export function schemaVersion(db: Database.Database): number {
  const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get();
  return row?.v ?? 0;
}
