import { createHash } from 'node:crypto';
import { col, type Columns } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { Lake } from '../../lake/index.js';
import { commitQuery } from './commit.js';
import { sqlIdent, sqlText } from './layout.js';

export interface ManifestEntry {
  path: string;
  hash: string;
  rows: number;
}

const MANIFEST_COLUMNS = { path: col.string(), hash: col.string(), rows: col.bigint() } as const;

export async function readManifest(lake: Lake, path: string): Promise<Map<string, ManifestEntry>> {
  const rows = await lake.readTable<ManifestEntry>(path);
  return new Map(rows.map((r) => [r.path, { path: r.path, hash: r.hash, rows: Number(r.rows) }]));
}

export async function writeManifest(lake: Lake, path: string, entries: Iterable<ManifestEntry>): Promise<void> {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  await lake.writeTable(path, MANIFEST_COLUMNS, sorted as unknown as Record<string, unknown>[]);
}

/** sha256 over every file's path and content hash: equal tables give equal hashes. */
export function manifestHash(entries: Iterable<ManifestEntry>): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return createHash('sha256').update(sorted.map((m) => `${m.path}:${m.hash}`).join('\n')).digest('hex');
}

export interface StagedParts {
  /** A temp table (in the lake's DuckDB session), or a parenthesised query, with the table's columns plus `__part` (the file key). */
  table: string;
  columns: Columns;
  /** Row order inside each file. */
  orderBy: readonly string[];
  /** The file key of a `__part` value (default: the value itself). */
  pathOf?: (part: string) => string;
  /**
   * A query of one file's rows (the table's columns), where filtering `table` on `__part` would
   * compute every row first: a query whose own predicates let DuckDB skip the rest.
   */
  rowsOf?: (part: string) => string;
}

/**
 * Commits each file (`__part`) of a staged table whose content differs from the manifest. A file's
 * hash is its row count and the XOR of DuckDB's 64-bit hash of every row (bit-exact on doubles,
 * independent of row order), computed in one GROUP BY, so unchanged files cost no write at all.
 */
export async function commitChangedParts(
  lake: Lake,
  staged: StagedParts,
  previous: ReadonlyMap<string, ManifestEntry>,
  clock?: Clock,
): Promise<{ entries: ManifestEntry[]; written: string[] }> {
  const names = Object.keys(staged.columns).map(sqlIdent);
  const hashes = await lake.query<{ path: string; rows: number; h: string }>(
    `SELECT __part AS path, count(*) AS rows, CAST(bit_xor(hash(${names.join(', ')})) AS VARCHAR) AS h FROM ${staged.table} GROUP BY __part ORDER BY __part`,
  );
  const entries: ManifestEntry[] = [];
  const written: string[] = [];
  for (const { path: part, rows, h } of hashes) {
    const path = staged.pathOf ? staged.pathOf(part) : part;
    const entry = { path, hash: `x${rows}-${h}`, rows: Number(rows) };
    entries.push(entry);
    if (previous.get(path)?.hash === entry.hash) continue;
    const fileRows = staged.rowsOf ? staged.rowsOf(part) : `SELECT * FROM ${staged.table} WHERE __part = ${sqlText(part)}`;
    const select = `SELECT ${names.join(', ')} FROM (${fileRows}) ORDER BY ${staged.orderBy.map(sqlIdent).join(', ')}`;
    await commitQuery(lake, path, select, staged.columns, { clock });
    written.push(path);
  }
  return { entries, written };
}
