import pg from 'pg';
import { StateConfigError } from '../errors.js';

/** Anything that runs a parameterised query: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface PostgresOpenOptions {
  /** Most connections this process holds to the server. */
  maxConnections?: number;
  /** How long a call waits for a free connection or for the server to answer a connect. */
  connectTimeoutMs?: number;
}

/**
 * A pool whose every connection uses `schema` as its search path (sent as a startup option, so no
 * query can run before it takes effect). Idle connections the server drops are replaced on the
 * next call instead of crashing the process.
 */
export function createPool(url: string, schema: string | undefined, options: PostgresOpenOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool discards it and the next call reconnects.
  });
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The url without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/** A failure to reach or prepare the database, named without the password. */
export function openError(url: string, cause: unknown): StateConfigError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StateConfigError(`cannot open PostgreSQL state store ${redactedUrl(url)}: ${reason}`, { cause });
}

/** BIGINT and COUNT come back as text (they may exceed 2^53); every value the store keeps fits a double. */
export function num(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: string | number | null): number | null {
  return value === null ? null : num(value);
}
