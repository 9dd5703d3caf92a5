import { sqlFileList } from '../../lake/index.js';

/** A SQL string literal. */
export function lit(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A DuckDB list literal of strings (empty list typed as VARCHAR[]). */
export function stringList(values: readonly string[]): string {
  return values.length === 0 ? `[]::VARCHAR[]` : `[${values.map(lit).join(', ')}]`;
}

/** `read_parquet` over explicit files: never a glob (globs match staged dot-files). */
export function readParquet(files: readonly string[]): string {
  return `read_parquet(${sqlFileList(files)}, union_by_name = true, hive_partitioning = false)`;
}

/** A one-column table of dates, or an empty one of the same type. */
export function dateTable(dates: readonly string[], column = 'date'): string {
  if (dates.length === 0) return `SELECT NULL::DATE AS ${column} WHERE false`;
  return `SELECT CAST(d AS DATE) AS ${column} FROM (VALUES ${dates.map((d) => `('${d}')`).join(',')}) v(d)`;
}

export interface RawFile {
  /** Readable local path (what DuckDB opens). */
  path: string;
  vendor: string;
  date: string;
  /** `<vendor>/<part file name>`: stable across runs (part names carry a ULID and content hash). */
  name: string;
}

const RAW_PART = /(?:^|[\\/])([a-z]+)[\\/]([a-z_]+)[\\/]date=(\d{4}-\d{2}-\d{2})[\\/](part-[^\\/]+\.parquet)$/;

/** Vendor, session and stable name of each raw part path (paths keep the lake's key layout). */
export function indexRawFiles(paths: readonly string[], dataset: string): RawFile[] {
  const out: RawFile[] = [];
  for (const path of paths) {
    const match = RAW_PART.exec(path);
    if (!match || match[2] !== dataset) continue;
    out.push({ path, vendor: match[1] as string, date: match[3] as string, name: `${match[1] as string}/${match[4] as string}` });
  }
  return out;
}

/** Files grouped by partition date, names sorted: the fingerprint the incremental audit compares. */
export function filesByDate(files: readonly RawFile[]): Map<string, RawFile[]> {
  const byDate = new Map<string, RawFile[]>();
  for (const file of files) {
    const list = byDate.get(file.date) ?? [];
    list.push(file);
    byDate.set(file.date, list);
  }
  for (const list of byDate.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return byDate;
}

/** A column of `packedRowsSql`: its name, DuckDB type, and whether '' stands for NULL (never for VARCHAR). */
export interface PackedColumn {
  name: string;
  type: 'VARCHAR' | 'DATE' | 'BIGINT' | 'DOUBLE';
  nullable?: boolean;
}

const UNIT = 'chr(31)';
const UNIT_CHAR = '\u001f';

/**
 * A SELECT yielding `rows` (values as text, in `columns` order), for `lake.writeTableFromQuery`:
 * each column is one string literal, values joined by U+001F (no value contains it) and split back
 * in DuckDB, so ten thousand rows cost one short parse instead of a literal per value, and the rows
 * never pass through the JS row writer.
 */
export function packedRowsSql(columns: readonly PackedColumn[], rows: readonly (readonly (string | null)[])[]): string {
  if (rows.length === 0) return `SELECT ${columns.map((c) => `NULL::${c.type} AS ${c.name}`).join(', ')} WHERE false`;
  const select = columns.map((c, i) => {
    const packed = lit(rows.map((r) => r[i] ?? '').join(UNIT_CHAR));
    const text = `unnest(string_split(${packed}, ${UNIT}))`;
    const value = c.type === 'VARCHAR' ? text : `CAST(${c.nullable ? `nullif(${text}, '')` : text} AS ${c.type})`;
    return `${value} AS ${c.name}`;
  });
  return `SELECT ${select.join(', ')}`;
}
