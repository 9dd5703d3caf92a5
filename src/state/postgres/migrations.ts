import type pg from 'pg';
import { StateConfigError } from '../errors.js';
import { MIGRATIONS, type Migration } from './schema.js';

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`;

/**
 * Brings the schema up to date: creates `schema` when named, then applies every step not yet in
 * `schema_migrations`, each in its own transaction. A session advisory lock (one per schema) makes
 * two processes opening at once take turns, so each step runs exactly once; the second finds the
 * work done. Returns the versions this call applied.
 */
export async function migrate(
  pool: pg.Pool,
  schema: string | undefined,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  const lockKey = `trademl.state.migrate:${schema ?? ''}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      if (schema !== undefined) await ensureSchema(client, schema);
      await client.query(CREATE_MIGRATIONS_TABLE);
      const applied = await appliedVersions(client);
      rejectNewerSchema(applied, migrations);
      const done: number[] = [];
      for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(step.version)) continue;
        await applyStep(client, step);
        done.push(step.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    client.release();
  }
}

/** Creates the schema only when missing, so a role without CREATE on the database can use an existing one. */
async function ensureSchema(client: pg.PoolClient, schema: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  // The name was checked to be a plain lower-case identifier when the url was parsed.
  if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
}

async function applyStep(client: pg.PoolClient, step: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(step.sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [step.version, step.name]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function appliedVersions(client: pg.PoolClient): Promise<Set<number>> {
  const result = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(result.rows.map((r) => r.version));
}

/** A database written by a newer build must not be used (or silently downgraded) by an older one. */
function rejectNewerSchema(applied: Set<number>, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const current = Math.max(0, ...applied);
  if (current > known) {
    throw new StateConfigError(
      `state database schema version ${current} is newer than this build knows (${known}); upgrade trademl`,
    );
  }
}

/** The highest applied schema version (0 for an empty database). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return result.rows[0]?.v ?? 0;
}
