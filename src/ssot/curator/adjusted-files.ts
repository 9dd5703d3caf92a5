import { EQUITIES_OHLCV_ADJ } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { Lake } from '../../lake/index.js';
import { curatedPath, sqlText } from './layout.js';
import { commitChangedParts, type ManifestEntry } from './parts.js';

/** Temp tables of one adjusted run: canonical bars (with their `bucket`) and per-symbol factor steps. */
export interface AdjustedTables {
  bars: string;
  steps: string;
}

/** A curated file of the adjusted table: a calendar year of one symbol bucket (`2024/07`). */
export interface PartCode {
  year: string;
  bucket: string;
}

/**
 * Hashes the curated files in scope in one pass over the bars, then writes each file whose hash
 * differs from the manifest with its own COPY of just its rows (a date range and a bucket). No
 * adjusted copy of the table is ever materialised: under DuckDB's memory limit a second
 * 2.4-million-row table made every later statement spill.
 */
export function commitAdjustedFiles(
  lake: Lake,
  t: AdjustedTables,
  scope: 'all' | ReadonlySet<string>,
  previous: ReadonlyMap<string, ManifestEntry>,
  clock?: Clock,
): Promise<{ entries: ManifestEntry[]; written: string[] }> {
  const where = scope === 'all' ? 'true' : inScope([...scope].map(partCodeOf).filter((c): c is PartCode => c !== undefined));
  return commitChangedParts(
    lake,
    {
      table: `(${adjustedRows(t, where)})`,
      columns: EQUITIES_OHLCV_ADJ.columns,
      orderBy: ['symbol', 'date'],
      pathOf: (code) => curatedPath(...(code.split('/') as [string, string])),
      rowsOf: (code) => {
        const [year, bucket] = code.split('/') as [string, string];
        return adjustedRows(t, inScope([{ year, bucket }]));
      },
    },
    previous,
    clock,
  );
}

/**
 * The curated rows (plus `__part`, the file's `year/bucket`) of the bars matching `where`: each bar
 * joined to the step covering its date, found by a hash join on the symbol with the range
 * [lo, ex_date) as a residual; no sort.
 */
function adjustedRows(t: AdjustedTables, where: string): string {
  return `SELECT b.symbol, b.date, b.open, b.high, b.low, b.close, b.volume,
      b.open * f AS adj_open, b.high * f AS adj_high, b.low * f AS adj_low, b.close * f AS adj_close, b.volume / sf AS adj_volume,
      f AS adj_factor, sf AS split_factor, b.source_name, strftime(b.date, '%Y') || '/' || b.bucket AS __part
    FROM (SELECT b.*, coalesce(s.factor, CAST(1 AS DOUBLE)) AS f, coalesce(s.split_factor, CAST(1 AS DOUBLE)) AS sf
          FROM ${t.bars} b LEFT JOIN ${t.steps} s ON b.symbol = s.symbol AND b.date < s.ex_date AND b.date >= s.lo
          WHERE ${where}) b`;
}

/** A predicate on `b.date` and `b.bucket` selecting these files (date ranges let DuckDB skip row groups). */
function inScope(codes: readonly PartCode[]): string {
  const byYear = new Map<string, string[]>();
  for (const { year, bucket } of codes) byYear.set(year, [...(byYear.get(year) ?? []), bucket]);
  if (byYear.size === 0) return 'false';
  return [...byYear]
    .map(([year, buckets]) => `(b.date BETWEEN DATE ${sqlText(`${year}-01-01`)} AND DATE ${sqlText(`${year}-12-31`)} AND b.bucket IN (${buckets.map(sqlText).join(', ')}))`)
    .join(' OR ');
}

/** The (year, bucket) of a curated file key. */
function partCodeOf(path: string): PartCode | undefined {
  const match = /year=(\d{4})\/bucket=(\d+)\//.exec(path);
  return match ? { year: match[1] as string, bucket: match[2] as string } : undefined;
}
