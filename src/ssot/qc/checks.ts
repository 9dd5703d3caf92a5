import { col, DATASETS, RAW_DATASETS, type Columns, type DatasetName } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { sqlFileList, type Lake } from '../../lake/index.js';
import { sqlIdent } from '../curator/layout.js';

export const QC_VERDICTS_PATH = 'qc/verdicts.parquet';
export type QcStatus = 'pass' | 'warn' | 'fail';

export interface QcVerdict {
  dataset: string;
  date: string;
  check: string;
  status: QcStatus;
  detail: string;
  checked_at: string;
}

const VERDICT_COLUMNS = { dataset: col.string(), date: col.date(), check: col.string(), status: col.string(), detail: col.string(), checked_at: col.timestamp() } as const;

/** Raw datasets the QC checks (every one with a session partition). */
export const QC_DATASETS = RAW_DATASETS;

/**
 * Robust outliers: a close-to-close log return is flagged when it lies more than OUTLIER_K scaled
 * MADs (1.4826 × median absolute deviation, ≈ σ for normal returns) from the median of the
 * previous 20 returns of that symbol and vendor. 8 keeps ordinary fat tails quiet; split ex-dates
 * (raw prices are unadjusted) are excluded. A warning, never a failure: real moves happen.
 */
export const OUTLIER_K = 8;
const OUTLIER_WINDOW = 20;
/** Rows per (vendor, session) outside these bounds are a warning. */
const ROW_BOUNDS: Partial<Record<DatasetName, [number, number]>> = {
  equities_eod: [1, 20_000],
  equities_minute: [1, 10_000 * 960],
  options_chain: [1, 5_000_000],
  options_chain_hist: [1, 500_000],
  options_bars: [1, 10_000_000],
  treasuries: [1, 200],
  macro_series: [1, 1_000],
};
/** An optional column null in more than this share of a partition's rows is a warning. */
const NULL_RATE_WARN = 0.95;

interface Row {
  date: string;
  status: QcStatus;
  detail: string;
}

/** One SQL query per check over the dataset's raw part files; each returns (date, status, detail). */
function checkQueries(dataset: DatasetName, files: string, splits: string | undefined): Record<string, string> {
  const spec = DATASETS[dataset];
  const columns = spec.columns as Columns;
  const names = Object.keys(columns);
  const required = names.filter((n) => !columns[n]?.nullable);
  const optional = names.filter((n) => columns[n]?.nullable);
  const dateCol = sqlIdent(spec.partitionColumn as string);
  const src = `read_parquet(${files}, union_by_name = true, filename = true, hive_partitioning = false)`;
  const day = `strftime(${dateCol}, '%Y-%m-%d')`;
  const key = spec.key.map(sqlIdent).join(', ');
  const queries: Record<string, string> = {
    required_columns: `SELECT ${day} AS date, ${required.map((c) => `count(*) - count(${sqlIdent(c)}) AS ${sqlIdent(`n_${c}`)}`).join(', ')} FROM ${src} GROUP BY ALL`,
    duplicate_keys: `SELECT date, CASE WHEN sum(n) > 0 THEN 'fail' ELSE 'pass' END AS status, sum(n) || ' duplicate keys within part files' AS detail
      FROM (SELECT ${day} AS date, count(*) - 1 AS n FROM ${src} GROUP BY 1, filename, ${key}) GROUP BY date`,
    row_bounds: `SELECT date, CASE WHEN min(n) < ${ROW_BOUNDS[dataset]?.[0] ?? 1} OR max(n) > ${ROW_BOUNDS[dataset]?.[1] ?? 1e12} THEN 'warn' ELSE 'pass' END AS status,
      'rows per vendor ' || string_agg(source_name || '=' || n, ', ' ORDER BY source_name) AS detail
      FROM (SELECT ${day} AS date, source_name, count(*) AS n FROM ${src} GROUP BY ALL) GROUP BY date`,
  };
  if (optional.length > 0) {
    const rates = optional.map((c) => `(count(*) - count(${sqlIdent(c)})) / count(*) AS ${sqlIdent(`r_${c}`)}`).join(', ');
    queries.null_rates = `SELECT ${day} AS date, ${rates} FROM ${src} GROUP BY ALL`;
  }
  if (['open', 'high', 'low', 'close', 'volume'].every((c) => c in columns)) {
    queries.ohlc_sanity = `SELECT ${day} AS date, CASE WHEN count(*) FILTER (bad) > 0 THEN 'fail' ELSE 'pass' END AS status,
      count(*) FILTER (bad) || ' of ' || count(*) || ' rows break low <= open, close <= high or volume >= 0' AS detail
      FROM (SELECT ${dateCol}, NOT (low <= open AND low <= close AND open <= high AND close <= high AND low <= high AND volume >= 0) AS bad FROM ${src}) GROUP BY ALL`;
  }
  if (dataset === 'equities_eod') {
    const noSplit = splits ? `AND NOT EXISTS (SELECT 1 FROM read_parquet(${splits}, union_by_name = true) s WHERE s.action = 'split' AND s.symbol = r.symbol AND s.ex_date = r.date)` : '';
    queries.outliers = `WITH bars AS (SELECT symbol, date, source_name, close FROM ${src} QUALIFY row_number() OVER (PARTITION BY source_name, symbol, date ORDER BY ingested_at DESC) = 1),
      r AS (SELECT symbol, date, source_name, ln(close / lag(close) OVER (PARTITION BY source_name, symbol ORDER BY date)) AS ret FROM bars WHERE close > 0),
      w AS (SELECT *, median(ret) OVER win AS med, mad(ret) OVER win AS mad, count(ret) OVER win AS n FROM r
            WINDOW win AS (PARTITION BY source_name, symbol ORDER BY date ROWS BETWEEN ${OUTLIER_WINDOW} PRECEDING AND 1 PRECEDING))
      SELECT strftime(date, '%Y-%m-%d') AS date, CASE WHEN count(*) FILTER (flag) > 0 THEN 'warn' ELSE 'pass' END AS status,
        count(*) FILTER (flag) || ' returns beyond ${OUTLIER_K} MAD' || coalesce(': ' || string_agg(CASE WHEN flag THEN source_name || ' ' || symbol END, ', ' ORDER BY symbol), '') AS detail
      FROM (SELECT *, coalesce(n >= 10 AND mad > 0 AND abs(ret - med) > ${OUTLIER_K} * 1.4826 * mad ${noSplit}, false) AS flag FROM w r) GROUP BY ALL`;
  }
  return queries;
}

/** Turns the wide per-column results (required_columns, null_rates) into verdict rows. */
function widen(check: string, row: Record<string, unknown>): Row {
  const date = String(row.date);
  if (check === 'required_columns') {
    const missing = Object.entries(row).filter(([k, v]) => k.startsWith('n_') && Number(v) > 0).map(([k, v]) => `${k.slice(2)}: ${String(v)} null`);
    return { date, status: missing.length > 0 ? 'fail' : 'pass', detail: missing.length > 0 ? missing.join(', ') : 'every required column present and non-null' };
  }
  const rates = Object.entries(row).filter(([k]) => k.startsWith('r_')).map(([k, v]) => [k.slice(2), Number(v)] as const);
  const high = rates.filter(([, v]) => v > NULL_RATE_WARN);
  return { date, status: high.length > 0 ? 'warn' : 'pass', detail: rates.map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ') };
}

export interface QcOptions {
  lake: Lake;
  clock: Clock;
  /** Default: every raw dataset with data. */
  datasets?: readonly DatasetName[];
}

/**
 * Runs every check on every partition of the datasets, in DuckDB, and saves the verdicts to
 * qc/verdicts.parquet (verdicts of datasets not checked this run are kept).
 */
export async function runQc(options: QcOptions): Promise<QcVerdict[]> {
  const { lake } = options;
  const datasets = options.datasets ?? QC_DATASETS;
  const checkedAt = new Date(options.clock.now()).toISOString();
  const splits = await lake.referenceFiles('corp_actions');
  const verdicts: QcVerdict[] = [];
  for (const dataset of datasets) {
    const files = await lake.rawGlob(dataset);
    if (files.length === 0) continue;
    for (const [check, sql] of Object.entries(checkQueries(dataset, sqlFileList(files), splits.length > 0 ? sqlFileList(splits) : undefined))) {
      const rows = await lake.query<Record<string, unknown>>(sql);
      for (const row of rows) {
        const verdict = 'status' in row ? (row as unknown as Row) : widen(check, row);
        verdicts.push({ dataset, date: verdict.date, check, status: verdict.status, detail: verdict.detail, checked_at: checkedAt });
      }
    }
  }
  verdicts.sort((a, b) => (a.dataset !== b.dataset ? (a.dataset < b.dataset ? -1 : 1) : a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
  const kept = (await lake.readTable<QcVerdict>(QC_VERDICTS_PATH)).filter((v) => !datasets.includes(v.dataset as DatasetName));
  await lake.writeTable(QC_VERDICTS_PATH, VERDICT_COLUMNS, [...kept, ...verdicts] as unknown as Record<string, unknown>[]);
  return verdicts;
}

export function summarizeVerdicts(verdicts: readonly QcVerdict[]): { pass: number; warn: number; fail: number } {
  const out = { pass: 0, warn: 0, fail: 0 };
  for (const v of verdicts) out[v.status] += 1;
  return out;
}
