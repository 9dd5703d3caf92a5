import { DATASETS, DUCKDB_TYPE, type Columns, type DatasetName, type VendorId } from '../catalog/index.js';
import { fileList, ident, sqlString } from './duck.js';

/** The committed part files of one vendor, as DuckDB should read them. */
export interface VendorParts {
  readonly vendor: VendorId;
  readonly files: readonly string[];
}

export interface RowFilter {
  readonly start?: string;
  readonly end?: string;
  readonly symbols?: readonly string[];
}

/** A SQL statement with its positional parameters. */
export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * The column a `symbols` filter applies to: `symbol` where a dataset has one, the underlying for
 * options, the series id for FRED data.
 */
export function symbolColumn(dataset: DatasetName): string | undefined {
  const columns = DATASETS[dataset].columns;
  for (const candidate of ['symbol', 'underlying', 'series_id']) if (candidate in columns) return candidate;
  return undefined;
}

function columnNames(dataset: DatasetName): string[] {
  return Object.keys(DATASETS[dataset].columns);
}

/** Every part of every vendor, tagged with its vendor, precedence rank and file (ULID order). */
function unionOfParts(dataset: DatasetName, groups: readonly VendorParts[], rank?: readonly VendorId[]): string {
  const select = columnNames(dataset).map(ident).join(', ');
  return groups
    .map((group) => {
      const rankValue = rank ? rank.indexOf(group.vendor) : 0;
      return (
        `SELECT ${select}, ${sqlString(group.vendor)} AS __vendor, ${rankValue} AS __rank, filename AS __file ` +
        `FROM read_parquet(${fileList(group.files)}, union_by_name = true, filename = true, hive_partitioning = false)`
      );
    })
    .join(' UNION ALL ');
}

function whereClause(dataset: DatasetName, filter: RowFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const dateColumn = DATASETS[dataset].partitionColumn;
  if (dateColumn && filter.start !== undefined) {
    params.push(filter.start);
    conditions.push(`${ident(dateColumn)} >= CAST($${params.length} AS DATE)`);
  }
  if (dateColumn && filter.end !== undefined) {
    params.push(filter.end);
    conditions.push(`${ident(dateColumn)} <= CAST($${params.length} AS DATE)`);
  }
  const symbols = symbolColumn(dataset);
  if (symbols && filter.symbols !== undefined) {
    params.push([...filter.symbols]);
    conditions.push(`list_contains(CAST($${params.length} AS VARCHAR[]), ${ident(symbols)})`);
  }
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

const keyList = (dataset: DatasetName): string => DATASETS[dataset].key.map(ident).join(', ');

/**
 * Rows deduped on the dataset key per vendor: the newest `ingested_at` wins, the later part (ULID)
 * breaks ties. Views add a `vendor` column and skip the final sort (a query sorts what it needs).
 */
export function dedupedPerVendor(
  dataset: DatasetName,
  groups: readonly VendorParts[],
  filter: RowFilter,
  shape: { readonly forView: boolean } = { forView: false },
): Statement {
  const params: unknown[] = [];
  const output = [...columnNames(dataset).map(ident), ...(shape.forView ? ['__vendor AS vendor'] : [])].join(', ');
  const sql =
    `SELECT ${output} FROM (${unionOfParts(dataset, groups)})${whereClause(dataset, filter, params)} ` +
    `QUALIFY row_number() OVER (PARTITION BY __vendor, ${keyList(dataset)} ORDER BY ingested_at DESC, __file DESC) = 1` +
    (shape.forView ? '' : ` ORDER BY ${keyList(dataset)}, __vendor`);
  return { sql, params };
}

/** One row per key: the first vendor of `precedence` that has the key, its newest row. */
export function canonicalRows(
  dataset: DatasetName,
  groups: readonly VendorParts[],
  precedence: readonly VendorId[],
  filter: RowFilter,
): Statement {
  const params: unknown[] = [];
  const output = columnNames(dataset).map(ident).join(', ');
  const sql =
    `SELECT ${output} FROM (${unionOfParts(dataset, groups, precedence)})${whereClause(dataset, filter, params)} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${keyList(dataset)} ORDER BY __rank, ingested_at DESC, __file DESC) = 1 ` +
    `ORDER BY ${keyList(dataset)}`;
  return { sql, params };
}

/** A typed, empty relation with a dataset's columns (and `vendor`), for views over no files. */
export function emptyRelation(dataset: DatasetName): string {
  const columns = Object.entries(DATASETS[dataset].columns as Columns).map(
    ([name, spec]) => `CAST(NULL AS ${DUCKDB_TYPE[spec.kind]}) AS ${ident(name)}`,
  );
  return `SELECT ${columns.join(', ')}, CAST(NULL AS VARCHAR) AS vendor WHERE false`;
}

/**
 * True when a part newer than a content twin holds one of the staged keys with different values
 * (lineage aside): skipping the write would then let that newer row win, so it must be written.
 */
export function supersededSql(dataset: DatasetName, stage: string, newerFiles: readonly string[], lineage: readonly string[]): string {
  const spec = DATASETS[dataset];
  const join = spec.key.map((k) => `p.${ident(k)} = s.${ident(k)}`).join(' AND ');
  const compared = Object.keys(spec.columns).filter((c) => !lineage.includes(c) && !(spec.key as readonly string[]).includes(c));
  const differs = compared.length > 0 ? compared.map((c) => `p.${ident(c)} IS DISTINCT FROM s.${ident(c)}`).join(' OR ') : 'false';
  return (
    `SELECT count(*) AS n FROM read_parquet(${fileList(newerFiles)}, union_by_name = true, hive_partitioning = false) p ` +
    `JOIN ${ident(stage)} s ON ${join} WHERE ${differs}`
  );
}
