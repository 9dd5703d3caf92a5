/**
 * Column specs: one declaration gives the Parquet/DuckDB type, nullability and the TypeScript type
 * of a row, so datasets are declared once and reused by the lake, the connectors and the curator.
 */
export type ColumnKind = 'string' | 'date' | 'timestamp' | 'double' | 'bigint' | 'boolean';

export interface ColumnSpec<K extends ColumnKind = ColumnKind, N extends boolean = boolean> {
  readonly kind: K;
  readonly nullable: N;
}

/** DuckDB SQL type per column kind. Dates are `YYYY-MM-DD` New York session dates; timestamps UTC. */
export const DUCKDB_TYPE: Record<ColumnKind, string> = {
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  double: 'DOUBLE',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
};

interface KindToTs {
  string: string;
  /** `YYYY-MM-DD` */
  date: string;
  /** ISO-8601 UTC instant, e.g. `2024-01-02T21:00:00.000Z` */
  timestamp: string;
  double: number;
  bigint: number;
  boolean: boolean;
}

export type ValueOf<C> = C extends ColumnSpec<infer K, infer N>
  ? N extends true
    ? KindToTs[K] | null
    : KindToTs[K]
  : never;

function required<K extends ColumnKind>(kind: K): ColumnSpec<K, false> {
  return { kind, nullable: false };
}
function optional<K extends ColumnKind>(kind: K): ColumnSpec<K, true> {
  return { kind, nullable: true };
}

export const col = {
  string: () => required('string'),
  date: () => required('date'),
  timestamp: () => required('timestamp'),
  double: () => required('double'),
  bigint: () => required('bigint'),
  boolean: () => required('boolean'),
  optString: () => optional('string'),
  optDate: () => optional('date'),
  optTimestamp: () => optional('timestamp'),
  optDouble: () => optional('double'),
  optBigint: () => optional('bigint'),
  optBoolean: () => optional('boolean'),
};

export type Columns = Record<string, ColumnSpec>;

/** A row of a dataset: required columns are present and non-null; optional ones may be null. */
export type RowOf<C extends Columns> = { [K in keyof C]: ValueOf<C[K]> };
