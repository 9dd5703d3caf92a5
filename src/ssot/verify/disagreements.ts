import type { VendorId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { Lake } from '../../lake/index.js';
import { commitQuery } from '../curator/commit.js';
import { precedenceCase } from '../curator/shared.js';
import { col } from '../../catalog/index.js';
import { fingerprint } from '../audit/manifest.js';

/** Datasets more than one vendor serves, compared field by field. */
export const VERIFIED_DATASETS = ['equities_eod', 'options_chain'] as const;
export type VerifiedDataset = (typeof VERIFIED_DATASETS)[number];

/**
 * Thresholds in basis points of the primary value. Prices: 50 bp (a real disagreement, not a
 * rounding or late-print difference). Volume: 1,000 bp (10 %): consolidated and single-venue
 * feeds count prints differently. Option quotes: 500 bp (indicative vs OPRA quotes, snapshot times
 * a few minutes apart), implied volatility 1,000 bp (each vendor solves its own model).
 */
export const DEFAULT_THRESHOLDS_BP: Record<VerifiedDataset, Record<string, number>> = {
  equities_eod: { open: 50, high: 50, low: 50, close: 50, volume: 1000 },
  options_chain: { bid: 500, ask: 500, last: 500, iv: 1000 },
};

export const DISAGREEMENT_COLUMNS = {
  dataset: col.string(),
  date: col.date(),
  symbol: col.string(),
  field: col.string(),
  primary_vendor: col.string(),
  primary_value: col.double(),
  alternate_vendor: col.string(),
  alternate_value: col.double(),
  diff_bp: col.double(),
  threshold_bp: col.double(),
  reason: col.string(),
} as const;

/** One file per month of sessions: a month is compared again only when its inputs change. */
export function disagreementsPath(dataset: VerifiedDataset, month: string): string {
  return `qc/disagreements/dataset=${dataset}/month=${month}.parquet`;
}

/** The single file of earlier versions, removed on the first monthly run. */
const legacyPath = (dataset: VerifiedDataset): string => `qc/disagreements/dataset=${dataset}/data.parquet`;
const manifestPath = (dataset: VerifiedDataset): string => `manifests/verify/dataset=${dataset}.parquet`;
const MANIFEST_COLUMNS = { month: col.string(), inputs: col.string(), parts: col.string() } as const;
const VERIFY_VERSION = 2;

export interface VerifyOptions {
  lake: Lake;
  dataset: VerifiedDataset;
  /** Primary first: the vendor whose value the curated table uses. */
  precedence: readonly VendorId[];
  thresholdsBp?: Partial<Record<string, number>>;
  clock?: Clock;
}

export interface VerifyStats {
  /** Disagreements held now, and the sessions they fall on. */
  rows: number;
  dates: number;
  /** Months compared by this run (their inputs changed); the others kept their file. */
  compared: string[];
}

/** The rows compared per dataset: one per (date, symbol) and vendor, the vendor's newest. */
function comparedRows(dataset: VerifiedDataset): { source: string; symbol: string } {
  if (dataset === 'equities_eod') return { source: 'SELECT vendor, date, symbol, open, high, low, close, volume FROM raw_equities_eod', symbol: 'symbol' };
  // Snapshots are taken at different instants: compare each vendor's last snapshot of the session.
  return {
    source: `SELECT vendor, date, contract AS symbol, bid, ask, last, iv FROM raw_options_chain
      QUALIFY row_number() OVER (PARTITION BY vendor, contract, date ORDER BY as_of DESC) = 1`,
    symbol: 'contract',
  };
}

/** Per month with a session two or more vendors have: its bounds and the names of those sessions' parts. */
export function sharedMonths(parts: readonly { vendor: string; date: string; name: string }[]): Map<string, { start: string; end: string; parts: string }> {
  const byDate = new Map<string, { vendors: Set<string>; names: string[] }>();
  for (const part of parts) {
    const entry = byDate.get(part.date) ?? { vendors: new Set<string>(), names: [] };
    entry.vendors.add(part.vendor);
    entry.names.push(`${part.vendor}/${part.name}`);
    byDate.set(part.date, entry);
  }
  const months = new Map<string, { start: string; end: string; names: string[] }>();
  for (const [date, entry] of [...byDate].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (entry.vendors.size < 2) continue;
    const month = date.slice(0, 7);
    const found = months.get(month) ?? { start: date, end: date, names: [] };
    found.end = date;
    found.names.push(`${date}:${entry.names.sort().join(',')}`);
    months.set(month, found);
  }
  return new Map([...months].map(([month, m]) => [month, { start: m.start, end: m.end, parts: fingerprint(m.names) }]));
}

/**
 * Compares every alternate vendor's value with the primary's, per (date, symbol, field), and
 * writes those beyond the threshold to qc/disagreements/dataset=<d>/month=<YYYY-MM>.parquet.
 * Alternates are kept as they are (never averaged): this table only says where they differ. Only
 * sessions two vendors have are compared, a month at a time (its own part files only, so memory
 * stays that of one month), and a month whose parts, thresholds and precedence are those of the
 * last run is not compared again.
 */
export async function verifyDataset(options: VerifyOptions): Promise<VerifyStats> {
  const { lake, dataset } = options;
  const thresholds = { ...DEFAULT_THRESHOLDS_BP[dataset], ...options.thresholdsBp } as Record<string, number>;
  const inputs = fingerprint({ v: VERIFY_VERSION, thresholds, precedence: options.precedence });
  const months = sharedMonths(await lake.listRawParts(dataset));
  const previous = new Map((await lake.readTable<{ month: string; inputs: string; parts: string }>(manifestPath(dataset))).map((r) => [r.month, r]));
  const compared: string[] = [];
  for (const [month, info] of months) {
    const last = previous.get(month);
    if (last?.inputs === inputs && last.parts === info.parts) continue;
    await commitQuery(lake, disagreementsPath(dataset, month), compareSql(dataset, thresholds, options.precedence), DISAGREEMENT_COLUMNS, {
      clock: options.clock,
      window: { start: info.start, end: info.end },
    });
    compared.push(month);
  }
  for (const month of previous.keys()) if (!months.has(month)) await lake.deleteTable(disagreementsPath(dataset, month));
  if (compared.length > 0 || previous.size !== months.size) {
    await lake.deleteTable(legacyPath(dataset));
    const rows = [...months].map(([month, info]) => ({ month, inputs, parts: info.parts }));
    await lake.writeTable(manifestPath(dataset), MANIFEST_COLUMNS, rows);
  }
  const [stats] = months.size === 0 ? [] : await lake.query<{ n: number; d: number }>(`SELECT count(*) AS n, count(DISTINCT date) AS d FROM disagreements WHERE dataset = $1`, [dataset]);
  return { rows: Number(stats?.n ?? 0), dates: Number(stats?.d ?? 0), compared };
}

/** The disagreements of the sessions the raw views cover (the caller's window). */
function compareSql(dataset: VerifiedDataset, thresholds: Record<string, number>, precedence: readonly VendorId[]): string {
  const { source } = comparedRows(dataset);
  const diff = (f: string): string =>
    `CASE WHEN p.${f} = a.${f} THEN 0.0 WHEN p.${f} = 0 THEN 1e9 ELSE abs(a.${f} - p.${f}) / abs(p.${f}) * 10000 END`;
  const perField = Object.keys(thresholds)
    .map(
      (f) => `SELECT p.date, p.symbol, '${f}' AS field, p.vendor AS primary_vendor, CAST(p.${f} AS DOUBLE) AS primary_value,
        a.vendor AS alternate_vendor, CAST(a.${f} AS DOUBLE) AS alternate_value, ${diff(f)} AS diff_bp, CAST(${Number(thresholds[f])} AS DOUBLE) AS threshold_bp
      FROM p JOIN v a ON a.date = p.date AND a.symbol = p.symbol AND a.vendor <> p.vendor
      WHERE p.${f} IS NOT NULL AND a.${f} IS NOT NULL`,
    )
    .join(' UNION ALL ');
  return `WITH v AS (${source}),
      p AS (SELECT * FROM v QUALIFY row_number() OVER (PARTITION BY date, symbol ORDER BY ${precedenceCase(precedence, 'vendor')}, vendor) = 1),
      d AS (${perField})
    SELECT '${dataset}' AS dataset, date, symbol, field, primary_vendor, primary_value, alternate_vendor, alternate_value, diff_bp, threshold_bp,
      field || ' ' || primary_vendor || ' ' || primary_value || ' vs ' || alternate_vendor || ' ' || alternate_value || ' (' || round(diff_bp)::BIGINT || ' bp > ' || threshold_bp::BIGINT || ' bp)' AS reason
    FROM d WHERE diff_bp > threshold_bp ORDER BY date, symbol, field, alternate_vendor`;
}

export interface DateDisagreement {
  count: number;
  /** One disagreement of that date, for a ledger reason (the largest diff). */
  sample: string;
}

/** Per date: how many (symbol, field, alternate) disagree and one sample reason. One SQL query. */
export async function disagreementsByDate(lake: Lake, dataset: VerifiedDataset): Promise<Map<string, DateDisagreement>> {
  let rows: { date: string; n: number; sample: string }[];
  try {
    rows = await lake.query(`SELECT strftime(date, '%Y-%m-%d') AS date, count(*) AS n, arg_max(reason, diff_bp) AS sample FROM disagreements WHERE dataset = $1 GROUP BY date ORDER BY date`, [dataset]);
  } catch (error) {
    // No disagreement file was ever written: the view does not exist.
    if (error instanceof Error && /disagreements/i.test(error.message) && /does not exist/i.test(error.message)) return new Map();
    throw error;
  }
  return new Map(rows.map((r) => [r.date, { count: Number(r.n), sample: r.sample }]));
}
