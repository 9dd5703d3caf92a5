import { createHash } from 'node:crypto';
import { DUCKDB_TYPE, type ColumnKind, type Columns } from '../catalog/index.js';
import { isIsoDate } from './layout.js';
import { LakeWriteError } from './errors.js';

/**
 * Rows checked against their column specs and turned into columns of storage values:
 * string/double/boolean as is, bigint as a safe integer number, date as days since 1970-01-01,
 * timestamp as microseconds since the epoch (a number: exact up to year 2255). null is NULL.
 */
export interface NormalizedTable {
  readonly names: readonly string[];
  readonly kinds: readonly ColumnKind[];
  readonly columns: readonly (readonly (string | number | boolean | null)[])[];
  readonly rowCount: number;
}

export interface NormalizeOptions {
  /** Dataset name or table path, for error messages. */
  readonly label: string;
  readonly vendor?: string;
  /** Raw partitions: every row's partition column must equal the partition being written. */
  readonly partition?: { readonly column: string; readonly value: string };
}

const DAY_MS = 86_400_000;
/** FRED/ALFRED's "still current" end of a vintage (realtime_end); a value, not a partition date. */
const OPEN_ENDED_DATE = '9999-12-31';

export function normalizeRows(columns: Columns, rows: readonly unknown[], options: NormalizeOptions): NormalizedTable {
  if (!Array.isArray(rows)) throw writeError(options, 'rows must be an array');
  const names = Object.keys(columns);
  const specs = names.map((name) => columns[name] as Columns[string]);
  specs.forEach((spec, c) => {
    if (!Object.hasOwn(DUCKDB_TYPE, spec?.kind)) throw writeError(options, 'column spec has no known kind', names[c]);
  });
  const known = new Set(names);
  const converters = specs.map((spec) => storageConverter(spec.kind));
  const out = names.map(() => new Array<string | number | boolean | null>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw writeError(options, 'row is not an object', undefined, r);
    }
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!known.has(key)) throw writeError(options, 'column is not in the catalog (it would be lost)', key, r);
    }
    for (let c = 0; c < names.length; c++) {
      const name = names[c] as string;
      const spec = specs[c] as Columns[string];
      const raw = record[name];
      if (raw === null || raw === undefined) {
        if (!spec.nullable) throw writeError(options, 'required value is missing', name, r);
        (out[c] as unknown[])[r] = null;
        continue;
      }
      const value = (converters[c] as ToStorage)(raw);
      if (value === undefined) throw writeError(options, `expected ${describeKind(spec.kind)}, got ${show(raw)}`, name, r);
      (out[c] as unknown[])[r] = value;
    }
    const partition = options.partition;
    if (partition && record[partition.column] !== partition.value) {
      throw writeError(
        options,
        `row belongs to partition ${show(record[partition.column])}, not ${partition.value}`,
        partition.column,
        r,
      );
    }
  }
  return { names, kinds: specs.map((spec) => spec.kind), columns: out, rowCount: rows.length };
}

type ToStorage = (value: unknown) => string | number | boolean | undefined;

/** Per-column converter to the storage value; undefined means "wrong type". */
function storageConverter(kind: ColumnKind): ToStorage {
  switch (kind) {
    case 'string':
      return (value) => (typeof value === 'string' ? value : undefined);
    case 'double':
      return (value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
    case 'bigint':
      return (value) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : undefined);
    case 'date':
      return memoized((text) => (isIsoDate(text) || text === OPEN_ENDED_DATE ? Date.parse(`${text}T00:00:00Z`) / DAY_MS : undefined));
    case 'timestamp':
      return memoized(parseInstantMicros);
  }
}

/** Dates and instants repeat across a write's rows (one session, a few fetch times): parse each once. */
function memoized(parse: (text: string) => number | undefined): ToStorage {
  const cache = new Map<string, number | undefined>();
  return (value) => {
    if (typeof value !== 'string') return undefined;
    if (cache.has(value)) return cache.get(value);
    const parsed = parse(value);
    cache.set(value, parsed);
    return parsed;
  };
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Parses an ISO-8601 instant that names its offset (`Z` or `±hh:mm`) into epoch microseconds. */
export function parseInstantMicros(text: string): number | undefined {
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? '0');
  if (!isIsoDate(`${m[1]}-${m[2]}-${m[3]}`) || (hour as number) > 23 || (minute as number) > 59 || second > 59) {
    return undefined;
  }
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  const offsetMinutes = parseOffset(m[8] as string);
  if (offsetMinutes === undefined) return undefined;
  const ms = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const micros = ms * 1000 + Number(fraction);
  return Number.isSafeInteger(micros) ? micros : undefined;
}

function parseOffset(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** Epoch microseconds → ISO UTC; `.sssZ` unless the instant has sub-millisecond digits. */
export function microsToIso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  const sub = micros - ms * 1000;
  return sub === 0 ? iso : `${iso.slice(0, -1)}${String(sub).padStart(3, '0')}Z`;
}

export function daysToIsoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * sha256 over the canonical rows: the named columns in catalog order, minus `exclude`, one JSON
 * line per row, lines sorted by the key columns (then by the whole line, for duplicate keys), so
 * the hash depends on the content only, not on row order or fetch time.
 */
export function contentHash(table: NormalizedTable, key: readonly string[], exclude: readonly string[] = []): string {
  const included = table.names.map((name, i) => (exclude.includes(name) ? -1 : i)).filter((i) => i >= 0);
  const keyIndexes = key.map((name) => table.names.indexOf(name)).filter((i) => i >= 0);
  // Usually the key columns lead the line (symbol, date, …): then a row's sort key is a prefix of
  // its line and each row is rendered once.
  const keyLeads = keyIndexes.every((column, i) => included[i] === column);
  const render = table.columns.map((_, c) => cellRenderer(table.kinds[c] as ColumnKind));
  const lines = new Array<string>(table.rowCount);
  const sortKeys = new Array<string>(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) {
    const { line, prefixLength } = canonicalLine(table, render, included, keyLeads ? keyIndexes.length : 0, r);
    lines[r] = line;
    sortKeys[r] = keyLeads ? line.slice(0, prefixLength) : canonicalLine(table, render, keyIndexes, 0, r).line;
  }
  const byKey = (a: number, b: number): number => compare(sortKeys[a] as string, sortKeys[b] as string) || compare(lines[a] as string, lines[b] as string);
  const order = Array.from({ length: table.rowCount }, (_, r) => r);
  // Vendors mostly answer in key order: skip the sort when the rows already are.
  if (!order.every((r) => r === 0 || byKey(r - 1, r) <= 0)) order.sort(byKey);
  const hash = createHash('sha256');
  hash.update(`trademl-rows-v1\n${JSON.stringify(included.map((i) => [table.names[i], table.kinds[i]]))}\n`);
  for (let i = 0; i < order.length; i += HASH_BATCH) {
    hash.update(`${order.slice(i, i + HASH_BATCH).map((r) => lines[r]).join('\n')}\n`);
  }
  return hash.digest('hex');
}

const HASH_BATCH = 1024;

type CellRenderer = (value: string | number | boolean | null) => string;

/** Strings JSON-quoted, numbers in their shortest round-trip form, booleans and null as words. */
function cellRenderer(kind: ColumnKind): CellRenderer {
  return kind === 'string' ? (value) => (typeof value === 'string' ? JSON.stringify(value) : String(value)) : String;
}

/** The row's cells joined by commas, and the length of its first `prefixCells` cells. */
function canonicalLine(
  table: NormalizedTable,
  render: readonly CellRenderer[],
  columnIndexes: readonly number[],
  prefixCells: number,
  row: number,
): { line: string; prefixLength: number } {
  let line = '';
  let prefixLength = 0;
  for (let i = 0; i < columnIndexes.length; i++) {
    const c = columnIndexes[i] as number;
    if (i > 0) line += ',';
    line += (render[c] as CellRenderer)((table.columns[c] as readonly (string | number | boolean | null)[])[row] as string | number | boolean | null);
    if (i + 1 === prefixCells) prefixLength = line.length;
  }
  return { line, prefixLength };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeKind(kind: ColumnKind): string {
  switch (kind) {
    case 'string':
      return 'a string';
    case 'double':
      return 'a finite number';
    case 'bigint':
      return 'a safe integer';
    case 'boolean':
      return 'a boolean';
    case 'date':
      return 'a date YYYY-MM-DD';
    case 'timestamp':
      return 'an ISO-8601 instant with offset (e.g. 2024-01-02T21:00:00Z)';
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}

function writeError(options: NormalizeOptions, message: string, column?: string, rowIndex?: number): LakeWriteError {
  return new LakeWriteError(message, { dataset: options.label, column, rowIndex, vendor: options.vendor });
}
