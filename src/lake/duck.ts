import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  TIMESTAMPTZ,
  VARCHAR,
  listValue,
  type DuckDBVector,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { DUCKDB_TYPE, type ColumnKind } from '../catalog/index.js';
import { LakeError } from './errors.js';
import { Mutex } from './mutex.js';
import { daysToIsoDate, microsToIso, type NormalizedTable } from './rows.js';

/**
 * One in-memory DuckDB instance and one connection per Lake. DuckDB connections are not safe for
 * interleaved use, and a streamed result occupies its connection until read, so every use goes
 * through `exclusive()`.
 */
/** DuckDB's memory budget unless TRADEML_DUCKDB_MEMORY_LIMIT says otherwise (DuckDB size syntax, e.g. 512MB). */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export class DuckSession {
  private readonly mutex = new Mutex();
  private stageCounter = 0;
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly spillDir: string,
  ) {}

  static async open(): Promise<DuckSession> {
    // An in-memory instance spills to `.tmp` in the working directory by default; keep it out of
    // it. DuckDB creates this directory only when it spills, and removes it on close.
    const spillDir = join(tmpdir(), `trademl-duckdb-${process.pid}-${randomUUID().slice(0, 8)}`);
    // DuckDB would take up to 80% of RAM; a bounded share keeps a small node (a Pi, a VPS) healthy and
    // makes large sorts and joins spill to disk instead. TRADEML_DUCKDB_MEMORY_LIMIT overrides it.
    const memoryLimit = process.env.TRADEML_DUCKDB_MEMORY_LIMIT?.trim() || DEFAULT_MEMORY_LIMIT;
    const instance = await DuckDBInstance.create(':memory:', { temp_directory: spillDir, memory_limit: memoryLimit });
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    // DuckDB would keep the bytes of every file it reads in memory, up to its whole budget (924 MB
    // after one pass over 12k raw parts). The lake only ever reads local files (S3 objects are
    // downloaded to a local cache first), which the operating system's page cache already keeps.
    await connection.run('SET enable_external_file_cache = false');
    return new DuckSession(instance, connection, spillDir);
  }

  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.mutex.run(() => {
      if (this.closed) throw new LakeError('the lake is closed');
      return work(this.connection);
    });
  }

  /** A fresh name for a staging table (unique within this session). */
  nextStageName(): string {
    this.stageCounter += 1;
    return `__stage_${this.stageCounter}`;
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.connection.closeSync();
      this.instance.closeSync();
      await rm(this.spillDir, { recursive: true, force: true });
    });
  }
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A DuckDB list literal of file paths: explicit lists, never globs (globs match dot-files). */
export function fileList(paths: readonly string[]): string {
  return `[${paths.map(sqlString).join(', ')}]`;
}

/** Creates (or replaces) temp table `name`, typed from the columns, and appends the rows. */
export async function stageTable(connection: DuckDBConnection, name: string, table: NormalizedTable): Promise<void> {
  const columns = table.names.map((column, i) => `${ident(column)} ${DUCKDB_TYPE[table.kinds[i] as ColumnKind]}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${ident(name)} (${columns.join(', ')})`);
  await appendRows(connection, name, table);
}

/**
 * Appends rows to an existing table, a vector-sized data chunk at a time: numbers, dates and
 * instants are copied into each column's buffer in bulk, where a row-wise appender makes one
 * native call per value.
 */
async function appendRows(connection: DuckDBConnection, name: string, table: NormalizedTable): Promise<void> {
  const appender = await connection.createAppender(name);
  try {
    const types = table.kinds.map((kind) => CHUNK_TYPE[kind]);
    const setters = table.kinds.map(chunkSetter);
    for (let offset = 0; offset < table.rowCount; offset += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, table.rowCount - offset);
      const chunk = DuckDBDataChunk.create(types, n);
      for (let c = 0; c < setters.length; c++) {
        const values = table.columns[c] as readonly (string | number | boolean | null)[];
        const vector = chunk.getColumnVector(c);
        const set = setters[c] as ChunkSetter;
        for (let i = 0; i < n; i++) {
          const value = values[offset + i];
          if (value === null || value === undefined) vector.setItem(i, null);
          else set(vector, i, value);
        }
        vector.flush();
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** DuckDB's STANDARD_VECTOR_SIZE: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;

const CHUNK_TYPE: Record<ColumnKind, DuckDBType> = {
  string: VARCHAR,
  double: DOUBLE,
  bigint: BIGINT,
  boolean: BOOLEAN,
  date: DATE,
  timestamp: TIMESTAMPTZ,
};

type ChunkSetter = (vector: DuckDBVector, index: number, value: string | number | boolean) => void;

function chunkSetter(kind: ColumnKind): ChunkSetter {
  switch (kind) {
    case 'string':
    case 'double':
    case 'boolean':
      return (vector, i, v) => vector.setItem(i, v);
    case 'bigint':
      return (vector, i, v) => vector.setItem(i, BigInt(v as number));
    case 'date':
      return (vector, i, v) => vector.setItem(i, new DuckDBDateValue(v as number));
    case 'timestamp':
      return (vector, i, v) => vector.setItem(i, new DuckDBTimestampTZValue(BigInt(v as number)));
  }
}

/** Runs a statement that returns no rows, with `readRows`' parameter conversions. */
export async function execute(connection: DuckDBConnection, sql: string, params: readonly unknown[] = []): Promise<void> {
  await connection.run(sql, params.map(toDuckValue));
}

export async function dropTable(connection: DuckDBConnection, name: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${ident(name)}`);
}

export type ParquetCompression = 'zstd' | 'snappy';

/** Writes a query's result to one Parquet file (zstd unless told) with key/value metadata. */
export async function copyToParquet(
  connection: DuckDBConnection,
  select: string,
  target: string,
  metadata: Record<string, string>,
  compression: ParquetCompression = 'zstd',
): Promise<void> {
  const kv = Object.entries(metadata)
    .map(([key, value]) => `${ident(key)}: ${sqlString(value)}`)
    .join(', ');
  await connection.run(
    `COPY (${select}) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION ${compression}${kv ? `, KV_METADATA {${kv}}` : ''})`,
  );
}

/**
 * sha256 of a table's content, independent of row order, computed without bringing rows into JS:
 * DuckDB hashes each row (its 64-bit `hash()` of the row struct, bit-exact on doubles) and sums
 * and XORs those hashes over all rows (multiset hashes: equal rows in any order give equal
 * values); the column names and types, the row count, the sum and the XOR are then hashed with
 * sha256. Cheap (a few hundred ms per million rows, where rendering rows as text for md5 cost
 * 5 s). Trade-offs: DuckDB's hash may change between DuckDB versions (then one unchanged table is
 * rewritten once), and a 64-bit row-hash collision could keep an old file (odds ~2^-64 a write).
 * Not comparable with `contentHash`, so a table dedupes only against writes made the same way.
 */
export async function tableContentHash(connection: DuckDBConnection, table: string): Promise<{ hash: string; rows: number }> {
  const schema = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${ident(table)})`);
  const sums = await connection.runAndReadAll(
    `SELECT count(*)::VARCHAR, coalesce(sum(h), 0)::VARCHAR, coalesce(bit_xor(h), 0)::VARCHAR
     FROM (SELECT hash(__trademl_row) AS h FROM ${ident(table)} AS __trademl_row)`,
  );
  const [count, sum, xor] = (sums.getRowsJS()[0] ?? []) as string[];
  const hash = createHash('sha256');
  hash.update(`trademl-sql-rows-v1\n${JSON.stringify(schema.getRowsJS())}\n${count}\n${sum}\n${xor}\n`);
  return { hash: hash.digest('hex'), rows: Number(count) };
}

/** A Parquet file's key/value metadata entry, or undefined. */
export async function readKvMetadata(connection: DuckDBConnection, file: string, key: string): Promise<string | undefined> {
  const reader = await connection.runAndReadAll(
    `SELECT decode(value) AS value FROM parquet_kv_metadata(${sqlString(file)}) WHERE decode(key) = $1`,
    [key],
  );
  const value = reader.getRowsJS()[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs a query and returns plain JS rows: DATE → 'YYYY-MM-DD', TIMESTAMP[TZ] → ISO UTC string,
 * integers and decimals → number, NULL → null. Chunks are converted as they stream in, so only
 * the result's rows (not DuckDB's value objects) are held in memory.
 */
export async function readRows<T>(connection: DuckDBConnection, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const result = await connection.stream(sql, params.map(toDuckValue));
  const names = result.deduplicatedColumnNames();
  const converters = result.columnTypes().map(converterFor);
  const rows: Record<string, unknown>[] = [];
  const columnValues: unknown[][] = names.map(() => []);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    for (let c = 0; c < names.length; c++) {
      const vector = chunk.getColumnVector(c);
      const convert = converters[c] as Converter;
      const values = columnValues[c] as unknown[];
      values.length = count;
      for (let i = 0; i < count; i++) {
        const item = vector.getItem(i);
        values[i] = item === null ? null : convert(item);
      }
    }
    for (let i = 0; i < count; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) row[names[c] as string] = (columnValues[c] as unknown[])[i];
      rows.push(row);
    }
  }
  return rows as T[];
}

type Converter = (value: DuckDBValue) => unknown;

const identity: Converter = (value) => value;
const toNumber: Converter = (value) => Number(value);

function converterFor(type: DuckDBType): Converter {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UTINYINT:
      return identity;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return toNumber;
    case DuckDBTypeId.DECIMAL:
      return (value) => (value as DuckDBDecimalValue).toDouble();
    case DuckDBTypeId.DATE:
      return dateConverter();
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP:
      return (value) => {
        const ts = value as DuckDBTimestampTZValue | DuckDBTimestampValue;
        return ts.isFinite ? microsToIso(Number(ts.micros)) : ts.toString();
      };
    default:
      return (value) => {
        const js = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
        return js instanceof Date ? js.toISOString() : js;
      };
  }
}

/** Session dates repeat across millions of rows: format each distinct day once. */
function dateConverter(): Converter {
  const cache = new Map<number, string>();
  return (value) => {
    const date = value as DuckDBDateValue;
    if (!date.isFinite) return date.toString();
    let text = cache.get(date.days);
    if (text === undefined) {
      text = daysToIsoDate(date.days);
      cache.set(date.days, text);
    }
    return text;
  };
}

function toDuckValue(value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return value;
  }
  if (Array.isArray(value)) return listValue(value.map(toDuckValue));
  throw new LakeError(`query parameter of type ${typeof value} is not supported (use strings, numbers, booleans, lists)`);
}

const CREATE_AS = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\w."]+\s+AS\s+([\s\S]+)$/i;

/**
 * The tables a SELECT reads by name, as DuckDB's own parser sees them, less its CTEs and this
 * session's temp tables: the names that could be views over lake files. Undefined for a statement
 * DuckDB cannot serialise (anything but a SELECT), about which nothing is known.
 */
export async function referencedTables(connection: DuckDBConnection, sql: string): Promise<string[] | undefined> {
  // `CREATE … TABLE name AS <select>` reads what its SELECT reads.
  const select = CREATE_AS.exec(sql)?.[1] ?? sql;
  // A literal: the function takes a constant, not a parameter.
  const [row] = await readRows<{ ast: string }>(connection, `SELECT json_serialize_sql(${sqlString(select)}) AS ast`);
  const ast = JSON.parse(row?.ast ?? '{}') as { error?: boolean };
  if (ast.error !== false) return undefined;
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') tables.add(record.table_name.toLowerCase());
    const cteMap = record.cte_map as { map?: { key?: unknown }[] } | undefined;
    for (const entry of cteMap?.map ?? []) if (typeof entry.key === 'string') ctes.add(entry.key.toLowerCase());
    Object.values(record).forEach(walk);
  };
  walk(ast);
  const temp = await readRows<{ name: string }>(connection, 'SELECT lower(table_name) AS name FROM duckdb_tables() WHERE temporary');
  for (const { name } of temp) tables.delete(name);
  for (const name of ctes) tables.delete(name);
  return [...tables].sort();
}
