/**
 * Where curated tables live. Files are consolidated per (period, symbol bucket): a scan reads a few
 * dozen files instead of one per session (day files cost 4–7× on scans), and a corporate action
 * that changes one symbol rewrites only the files of that symbol's bucket.
 */
export const CURATED_BUCKETS = 16;

/** FNV-1a of the symbol, modulo CURATED_BUCKETS, two digits. */
export function bucketOf(symbol: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i += 1) {
    hash ^= symbol.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % CURATED_BUCKETS).padStart(2, '0');
}

export const ADJUSTED_TABLE = 'equities_ohlcv_adj';

export function curatedPath(year: string, bucket: string): string {
  return `curated/${ADJUSTED_TABLE}/year=${year}/bucket=${bucket}/data.parquet`;
}

/** Minute bars: one file per (New York month of the session, bucket). */
export function minutePath(table: string, month: string, bucket: string): string {
  return `curated/${table}/month=${month}/bucket=${bucket}/data.parquet`;
}

/** Reference-style tables are small: one file. */
export function singleFilePath(table: string): string {
  return `curated/${table}/data.parquet`;
}

/** Larger reference tables (fundamentals): one file per symbol bucket. */
export function bucketFilePath(table: string, bucket: string): string {
  return `curated/${table}/bucket=${bucket}/data.parquet`;
}

export function manifestPath(table: string): string {
  return `manifests/curated_${table}.parquet`;
}

/** SQL string literal. */
export function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
