import { col, DATASETS, type Columns, type DatasetName, type VendorId } from '../../catalog/index.js';
import { sqlFileList, type Lake } from '../../lake/index.js';
import { bucketOf, sqlIdent } from './layout.js';
import { precedenceCase, stringTable } from './shared.js';

/** Lineage that changes on every re-fetch of the same data: curated tables keep only source_name. */
const VOLATILE = new Set(['source_uri', 'ingested_at']);

/** A dataset's columns as curated tables keep them. */
export function curatedColumns(dataset: DatasetName, extra: Columns = {}): Columns {
  const columns: Columns = {};
  for (const [name, spec] of Object.entries(DATASETS[dataset].columns as Columns)) if (!VOLATILE.has(name)) columns[name] = spec;
  return { ...columns, ...extra };
}

export const CORP_ACTION_EXTRA = { source_count: col.bigint(), disagreement: col.boolean() } as const;

/** The column a dataset's rows are bucketed by (symbol, underlying or series id). */
export function bucketColumn(dataset: DatasetName): string | undefined {
  const columns = DATASETS[dataset].columns as Columns;
  return ['symbol', 'underlying', 'series_id', 'tenor', 'contract'].find((c) => c in columns);
}

/** `read_parquet` over part files with a vendor rank and file name, every dataset column typed. */
export function unionSql(files: readonly string[]): string {
  return `read_parquet(${sqlFileList(files)}, union_by_name = true, filename = true, hive_partitioning = false)`;
}

/** One row per `key`: the first vendor of the precedence list, its newest row. */
export function dedupeSql(dataset: DatasetName, files: readonly string[], precedence: readonly VendorId[], key: readonly string[], order = ''): string {
  const columns = Object.keys(DATASETS[dataset].columns).map(sqlIdent).join(', ');
  const prefer = order === '' ? '' : `${order}, `;
  return `SELECT ${columns} FROM ${unionSql(files)}
    QUALIFY row_number() OVER (PARTITION BY ${key.map(sqlIdent).join(', ')} ORDER BY ${prefer}${precedenceCase(precedence)}, ingested_at DESC, filename DESC) = 1`;
}

/** A temp table mapping every distinct value of `column` in `table` to its bucket. */
export async function createBucketTable(lake: Lake, name: string, table: string, column: string): Promise<void> {
  const values = (await lake.query<{ v: string }>(`SELECT DISTINCT CAST(${sqlIdent(column)} AS VARCHAR) AS v FROM ${table} WHERE ${sqlIdent(column)} IS NOT NULL`)).map((r) => r.v);
  await lake.query(`CREATE OR REPLACE TEMP TABLE ${name} AS ${stringTable({ value: values, bucket: values.map(bucketOf) })}`);
}
