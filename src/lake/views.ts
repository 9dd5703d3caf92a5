import type { DuckDBConnection } from '@duckdb/node-api';
import { DATASETS, DATASET_NAMES, type DatasetName } from '../catalog/index.js';
import { fileList, ident } from './duck.js';
import { dedupedPerVendor, emptyRelation, type VendorParts } from './read-sql.js';

export interface ViewSources {
  raw(dataset: DatasetName): Promise<VendorParts[]>;
  reference(dataset: DatasetName): Promise<VendorParts[]>;
  /** Keys of table files (curated/, qc/, manifests/), in that order. */
  tables(): Promise<string[]>;
  /** Local files DuckDB can read for these keys, in order. */
  locate(keys: readonly string[]): Promise<string[]>;
  /** The tables a SELECT reads by name (see `referencedTables`); undefined when unknown. */
  referencedTables(sql: string): Promise<string[] | undefined>;
}

interface ViewChange {
  readonly name: string;
  /** The view's query, or undefined to drop a table view whose files are gone. */
  readonly sql: string | undefined;
}

const VIEW_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The SQL views `query()` offers, rebuilt from the current file listing before each query (part
 * files are only ever added, so a view over an old listing would miss data):
 * - `raw_<dataset>`: every vendor's raw rows, deduped per vendor on the key, plus a `vendor` column;
 * - `ref_<dataset>`: the same over reference snapshots;
 * - a table view per table file group: `curated/<name>/…` → `<name>`, `qc/<name>.parquet` →
 *   `<name>` (e.g. `partition_status`), `manifests/<name>…` → `<name>`; first root wins on a clash.
 * Only views the SQL mentions are rebuilt, so a query pays for the listings it uses: a SELECT
 * that reads no table by name besides raw_/ref_ views, CTEs and temp tables (most internal queries
 * read explicit file lists) lists no table root at all.
 */
export class ViewRegistry {
  private readonly tableViews = new Set<string>();

  async plan(sql: string, sources: ViewSources): Promise<ViewChange[]> {
    const mentioned = (name: string): boolean => new RegExp(`\\b${name}\\b`, 'i').test(sql);
    const changes: Promise<ViewChange>[] = [];
    for (const dataset of DATASET_NAMES) {
      const kind = DATASETS[dataset].kind;
      const name = kind === 'raw' ? `raw_${dataset}` : kind === 'reference' ? `ref_${dataset}` : undefined;
      if (name === undefined || !mentioned(name)) continue;
      const groups = kind === 'raw' ? sources.raw(dataset) : sources.reference(dataset);
      changes.push(groups.then((g) => ({ name, sql: g.length > 0 ? dedupedPerVendor(dataset, g, {}, { forView: true }).sql : emptyRelation(dataset) })));
    }
    if (!(await mayNameTableView(sql, sources))) return Promise.all(changes);
    const tables = tableGroups(await sources.tables());
    for (const [name, keys] of tables) {
      if (!mentioned(name)) continue;
      changes.push(
        sources
          .locate(keys)
          .then((files) => ({ name, sql: `SELECT * FROM read_parquet(${fileList(files)}, union_by_name = true, hive_partitioning = false)` })),
      );
    }
    for (const name of this.tableViews) {
      if (!tables.has(name) && mentioned(name)) changes.push(Promise.resolve({ name, sql: undefined }));
    }
    return Promise.all(changes);
  }

  async apply(connection: DuckDBConnection, changes: readonly ViewChange[]): Promise<void> {
    for (const change of changes) {
      if (change.sql === undefined) {
        await connection.run(`DROP VIEW IF EXISTS ${ident(change.name)}`);
        this.tableViews.delete(change.name);
        continue;
      }
      await connection.run(`CREATE OR REPLACE TEMP VIEW ${ident(change.name)} AS ${change.sql}`);
      if (!/^(raw|ref)_/.test(change.name)) this.tableViews.add(change.name);
    }
  }
}

/** False only when DuckDB's parser shows the SELECT reads no table that could be a table view. */
async function mayNameTableView(sql: string, sources: ViewSources): Promise<boolean> {
  const names = await sources.referencedTables(sql);
  return names === undefined || names.some((name) => !/^(raw|ref)_/.test(name));
}

/** Groups table keys by view name (first segment under the root, without `.parquet`). */
function tableGroups(keys: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const owner = new Map<string, string>();
  for (const key of keys) {
    if (!key.endsWith('.parquet')) continue;
    const [root, first] = key.split('/');
    if (root === undefined || first === undefined) continue;
    const name = first.replace(/\.parquet$/, '');
    if (!VIEW_NAME.test(name) || /^(raw|ref)_/i.test(name)) continue;
    if ((owner.get(name) ?? root) !== root) continue;
    owner.set(name, root);
    const files = groups.get(name) ?? [];
    files.push(key);
    groups.set(name, files);
  }
  return groups;
}
