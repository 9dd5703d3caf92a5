import { VENDORS } from '../../catalog/index.js';
import { sqlFileList } from '../../lake/index.js';
import { dateTable, readParquet, stringList } from './sql.js';

/** A symbol's bars seen so far (any vendor, any date) and the listing window derived from them. */
export interface SeenRow {
  symbol: string;
  first_date: string;
  last_date: string;
  start_date: string;
  end_date: string | null;
}

export interface EodDateRow {
  date: string;
  expected: number;
  present: number;
  /** Present symbols per vendor, in VENDORS order. */
  vendor_counts: number[];
  /** Missing symbols, sorted, joined by U+001F (one string converts far faster than a list); capped per MissingLimits. */
  missing: string;
}

/** Where the symbols' first/last bars come from besides the files read (the incremental audit's state). */
export type SeenSource = { kind: 'files-only' } | { kind: 'table'; sql: string };

const RED_SAMPLE = 5;

/** How many missing symbols a session reports: on a session with nothing present, and on the others (null: all). */
export interface MissingLimits {
  red: number | null;
  partial: number | null;
}

function missingExpr(limits: MissingLimits): string {
  const all = 'coalesce(m.missing, [])';
  const cap = (n: number | null): string => (n === null ? all : `${all}[1:${n}]`);
  return limits.red === limits.partial ? cap(limits.red) : `CASE WHEN coalesce(p.present, 0) = 0 THEN ${cap(limits.red)} ELSE ${cap(limits.partial)} END`;
}

/**
 * The CTEs `sd` (one row per symbol and date read, with a bit per vendor), `seen`, `listing`. A
 * symbol is expected from its IPO date or first bar until its delisting date; one reported delisted
 * without a date is expected through its last bar; with a symbol reference, only symbols it lists
 * are expected (vendor-only junk tickers cannot hold a session below GREEN).
 */
export function listingCtes(files: readonly string[], symbolFiles: readonly string[], seen: SeenSource): string {
  const sd = files.length
    ? `SELECT symbol, date, bit_or(CAST(1 AS INTEGER) << coalesce(list_position(${stringList(VENDORS)}, source_name) - 1, 30)) AS vmask
       FROM ${readParquet(files)} GROUP BY symbol, date`
    : `SELECT NULL::VARCHAR AS symbol, NULL::DATE AS date, NULL::INTEGER AS vmask WHERE false`;
  const stored = seen.kind === 'table' ? `UNION ALL SELECT symbol, CAST(first_date AS DATE), CAST(last_date AS DATE) FROM (${seen.sql})` : '';
  const listing = symbolFiles.length
    ? `SELECT s.symbol, s.first_date, s.last_date, least(s.first_date, coalesce(r.ipo_date, s.first_date)) AS start_date,
         coalesce(r.delisted_date, CASE WHEN r.delisted THEN CAST(s.last_date + INTERVAL 1 DAY AS DATE) END) AS end_date
       FROM seen s JOIN (SELECT symbol, min(delisted_date) AS delisted_date, min(ipo_date) AS ipo_date, bool_or(status = 'delisted') AS delisted
         FROM read_parquet(${sqlFileList(symbolFiles)}, union_by_name = true) GROUP BY symbol) r USING (symbol)`
    : `SELECT symbol, first_date, last_date, first_date AS start_date, NULL::DATE AS end_date FROM seen`;
  return `sd AS MATERIALIZED (${sd}),
    seen AS (SELECT symbol, min(first_date) AS first_date, max(last_date) AS last_date FROM (
      SELECT symbol, min(date) AS first_date, max(date) AS last_date FROM sd GROUP BY symbol ${stored}) GROUP BY symbol),
    listing AS MATERIALIZED (${listing})`;
}

const LISTING_SELECT = `SELECT 'seen' AS kind, symbol, strftime(first_date, '%Y-%m-%d') AS first_date, strftime(last_date, '%Y-%m-%d') AS last_date,
      strftime(start_date, '%Y-%m-%d') AS start_date, strftime(end_date, '%Y-%m-%d') AS end_date FROM listing`;

/** The listing of every symbol, for the incremental audit's state (cheap: reads only `files`). */
export function listingSql(files: readonly string[], symbolFiles: readonly string[], seen: SeenSource): string {
  return `WITH ${listingCtes(files, symbolFiles, seen)}
    ${LISTING_SELECT} ORDER BY symbol`;
}

/**
 * One row per session to grade: listed symbols (expected), those with a bar (present), per-vendor
 * counts and the missing symbols. Expected counts come from a sweep over listing starts and ends
 * (no sessions × symbols product); missing pairs are generated only for symbols with fewer bars
 * than listed sessions, so a complete lake costs about one group-by over the files.
 */
export function eodSessionsSql(
  files: readonly string[],
  symbolFiles: readonly string[],
  seen: SeenSource,
  sessions: readonly string[],
  limits: MissingLimits = { red: RED_SAMPLE, partial: null },
  withListing = false,
): string {
  const vendorSums = VENDORS.map((_, i) => `sum((vmask >> ${i}) & 1)`).join(', ');
  return `WITH ${listingCtes(files, symbolFiles, seen)},
    sessions AS (${dateTable(sessions)}),
    inwin AS MATERIALIZED (
      SELECT sd.symbol, sd.date, sd.vmask FROM sd JOIN sessions USING (date) JOIN listing l USING (symbol)
      WHERE sd.date >= l.start_date AND (l.end_date IS NULL OR sd.date < l.end_date)),
    per_date AS (SELECT date, count(*) AS present, [${vendorSums}] AS vendor_counts FROM inwin GROUP BY date),
    events AS (SELECT start_date AS d, 1 AS delta FROM listing UNION ALL SELECT end_date, -1 FROM listing WHERE end_date IS NOT NULL),
    cum AS (SELECT d, sum(sum(delta)) OVER (ORDER BY d) AS c FROM events GROUP BY d),
    expected_n AS (SELECT s.date, coalesce(c.c, 0) AS n FROM sessions s ASOF LEFT JOIN cum c ON s.date >= c.d),
    sess_list AS (SELECT coalesce(list(date ORDER BY date), []) AS ds FROM sessions),
    per_symbol AS (SELECT symbol, count(*) AS n FROM inwin GROUP BY symbol),
    gappy AS (
      SELECT l.symbol, l.start_date, l.end_date FROM listing l CROSS JOIN sess_list LEFT JOIN per_symbol p USING (symbol)
      WHERE coalesce(p.n, 0) < len(list_filter(sess_list.ds, x -> x >= l.start_date AND (l.end_date IS NULL OR x < l.end_date)))),
    missing AS (
      SELECT s.date, g.symbol FROM gappy g JOIN sessions s ON s.date >= g.start_date AND (g.end_date IS NULL OR s.date < g.end_date)
      ANTI JOIN (SELECT i.date, i.symbol FROM inwin i SEMI JOIN gappy USING (symbol)) i ON i.date = s.date AND i.symbol = g.symbol),
    missing_by_date AS (SELECT date, list(symbol ORDER BY symbol) AS missing FROM missing GROUP BY date)
    SELECT 'date' AS kind, strftime(s.date, '%Y-%m-%d') AS date, CAST(e.n AS BIGINT) AS expected, CAST(coalesce(p.present, 0) AS BIGINT) AS present,
      CAST(coalesce(p.vendor_counts, [${VENDORS.map(() => '0').join(', ')}]) AS BIGINT[]) AS vendor_counts,
      array_to_string(${missingExpr(limits)}, chr(31)) AS missing
    FROM sessions s JOIN expected_n e USING (date) LEFT JOIN per_date p USING (date) LEFT JOIN missing_by_date m USING (date)
    ${withListing ? `UNION ALL BY NAME ${LISTING_SELECT}` : ''}
    ORDER BY kind, date${withListing ? ', symbol' : ''}`;
}

/** `{"alpaca":300,"polygon":298}`: vendors with a present symbol, alphabetical. */
export function vendorRowsJson(counts: readonly number[]): string {
  const pairs = VENDORS.map((v, i) => [v, Number(counts[i] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${pairs.map(([v, n]) => `"${v}":${n}`).join(',')}}`;
}
