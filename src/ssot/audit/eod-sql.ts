import { VENDORS } from '../../catalog/index.js';
import { sqlFileList } from '../../lake/index.js';
import { readParquet, stringList } from './sql.js';

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

/** A source outside the catalog: its bars count as present, under no vendor. */
const OTHER_VENDOR = 30;
/** Vendor index of a raw row in VENDORS. */
const VENDOR_INDEX = `coalesce(list_position(${stringList(VENDORS)}, source_name) - 1, ${OTHER_VENDOR})`;
/** Unit kinds besides a vendor index: any vendor (presence), and listed (expected). */
const ANY = -1;
const LISTED = -2;

/**
 * The graded sessions as bit positions: bit i is day `lo + i`, for days from the first to the last
 * graded session. A symbol's bars become one bitstring, so presence is a bit test, not a join.
 */
interface SessionBits {
  lo: string;
  hi: string;
  width: number;
  /** 1 at every graded session. */
  mask: string;
}

const DAY_MS = 86_400_000;

function sessionBits(sessions: readonly string[]): SessionBits {
  if (sessions.length === 0) return { lo: '1970-01-01', hi: '1970-01-01', width: 1, mask: '0' };
  const lo = sessions[0] as string;
  const hi = sessions[sessions.length - 1] as string;
  const day = (d: string): number => Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${lo}T00:00:00Z`)) / DAY_MS);
  const width = day(hi) + 1;
  const bits = new Array<string>(width).fill('0');
  for (const d of sessions) bits[day(d)] = '1';
  return { lo, hi, width, mask: bits.join('') };
}

/**
 * The CTEs `sv` (one row per symbol and vendor read: first and last bar, and with `bits` a
 * bitstring of its bars on the graded days), `seen`, `listing`. One group-by over the files. A
 * symbol is expected from its IPO date or first bar until its delisting date; one reported
 * delisted without a date is expected through its last bar; with a symbol reference, only symbols
 * it lists are expected (vendor-only junk tickers cannot hold a session below GREEN).
 */
export function listingCtes(files: readonly string[], symbolFiles: readonly string[], seen: SeenSource, bits?: SessionBits): string {
  const bitsAgg = bits
    ? `, bitstring_agg(CASE WHEN date BETWEEN DATE '${bits.lo}' AND DATE '${bits.hi}' THEN CAST(date - DATE '${bits.lo}' AS INTEGER) END, 0, ${bits.width - 1}) AS bits`
    : '';
  const sv = files.length
    ? `SELECT symbol, vi, min(date) AS first_date, max(date) AS last_date${bitsAgg}
       FROM (SELECT symbol, date, ${VENDOR_INDEX} AS vi FROM ${readParquet(files)}) GROUP BY symbol, vi`
    : `SELECT NULL::VARCHAR AS symbol, NULL::INTEGER AS vi, NULL::DATE AS first_date, NULL::DATE AS last_date${bits ? ', NULL::BIT AS bits' : ''} WHERE false`;
  const stored = seen.kind === 'table' ? `UNION ALL SELECT symbol, CAST(first_date AS DATE), CAST(last_date AS DATE) FROM (${seen.sql})` : '';
  const listing = symbolFiles.length
    ? `SELECT s.symbol, s.first_date, s.last_date, least(s.first_date, coalesce(r.ipo_date, s.first_date)) AS start_date,
         coalesce(r.delisted_date, CASE WHEN r.delisted THEN CAST(s.last_date + INTERVAL 1 DAY AS DATE) END) AS end_date
       FROM seen s JOIN (SELECT symbol, min(delisted_date) AS delisted_date, min(ipo_date) AS ipo_date, bool_or(status = 'delisted') AS delisted
         FROM read_parquet(${sqlFileList(symbolFiles)}, union_by_name = true) GROUP BY symbol) r USING (symbol)`
    : `SELECT symbol, first_date, last_date, first_date AS start_date, NULL::DATE AS end_date FROM seen`;
  return `sv AS MATERIALIZED (${sv}),
    seen AS (SELECT symbol, min(first_date) AS first_date, max(last_date) AS last_date FROM (
      SELECT symbol, first_date, last_date FROM sv ${stored}) GROUP BY symbol),
    listing AS MATERIALIZED (${listing})`;
}

const LISTING_SELECT = `SELECT 'seen' AS kind, symbol, strftime(first_date, '%Y-%m-%d') AS first_date, strftime(last_date, '%Y-%m-%d') AS last_date,
      strftime(start_date, '%Y-%m-%d') AS start_date, strftime(end_date, '%Y-%m-%d') AS end_date FROM listing`;

/** The listing of every symbol, for the incremental audit's state (cheap: reads only `files`). */
export function listingSql(files: readonly string[], symbolFiles: readonly string[], seen: SeenSource): string {
  return `WITH ${listingCtes(files, symbolFiles, seen)}
    ${LISTING_SELECT} ORDER BY symbol`;
}

/** A unit's listing window as a bitstring over the graded days (1 from start_date to before end_date). */
function windowMask(bits: SessionBits): string {
  const at = (d: string): string => `greatest(0, least(${bits.width}, CAST(${d} - DATE '${bits.lo}' AS INTEGER)))`;
  const a = at('l.start_date');
  const b = `CASE WHEN l.end_date IS NULL THEN ${bits.width} ELSE ${at('l.end_date')} END`;
  const built = `CAST(repeat('0', ${a}) || repeat('1', greatest(${b} - ${a}, 0)) || repeat('0', ${bits.width} - greatest(${a}, ${b})) AS BIT)`;
  // Most symbols are listed throughout: their mask is a constant.
  return `CASE WHEN l.start_date <= DATE '${bits.lo}' AND l.end_date IS NULL THEN CAST('${'1'.repeat(bits.width)}' AS BIT) ELSE ${built} END`;
}

/**
 * One row per session to grade: listed symbols (expected), those with a bar (present), per-vendor
 * counts and the missing symbols, from one group-by over the files (per symbol and vendor, with a
 * bitstring of the days it has bars). A unit — a symbol for presence, or a (symbol, vendor) for
 * the vendor counts — with a bar on every graded session of its listing window is counted by a
 * sweep over window starts and ends; only the others are expanded to (session, unit) cells, which
 * also name the missing symbols. So a complete lake costs about one group-by over the files.
 */
export function eodSessionsSql(
  files: readonly string[],
  symbolFiles: readonly string[],
  seen: SeenSource,
  sessions: readonly string[],
  limits: MissingLimits = { red: RED_SAMPLE, partial: null },
  withListing = false,
): string {
  const bits = sessionBits(sessions);
  const zero = `CAST('${'0'.repeat(bits.width)}' AS BIT)`;
  const mask = `CAST('${bits.mask}' AS BIT)`;
  const vendorCounts = VENDORS.map((_, i) => `coalesce(max(n) FILTER (WHERE vi = ${i}), 0)`).join(', ');
  const sessionRows = sessions.length
    ? `SELECT CAST(d AS DATE) AS date, CAST(CAST(d AS DATE) - DATE '${bits.lo}' AS INTEGER) AS off FROM (VALUES ${sessions.map((d) => `('${d}')`).join(',')}) v(d)`
    : `SELECT NULL::DATE AS date, NULL::INTEGER AS off WHERE false`;
  return `WITH ${listingCtes(files, symbolFiles, seen, bits)},
    sessions AS (${sessionRows}),
    units AS MATERIALIZED (
      SELECT *, bit_count(bits & want) = bit_count(want) AS complete FROM (
        SELECT u.symbol, u.vi, coalesce(u.bits, ${zero}) AS bits, l.start_date, l.end_date, ${mask} & ${windowMask(bits)} AS want
        FROM listing l JOIN (
          SELECT symbol, ${ANY} AS vi, bit_or(bits) AS bits FROM sv GROUP BY symbol
          UNION ALL SELECT symbol, vi, bits FROM sv WHERE vi <> ${OTHER_VENDOR} AND bits IS NOT NULL
          UNION ALL SELECT symbol, ${ANY}, NULL FROM listing ANTI JOIN sv USING (symbol)) u USING (symbol))),
    events AS (
      SELECT ${LISTED} AS vi, start_date AS d, 1 AS delta FROM listing
      UNION ALL SELECT ${LISTED}, greatest(start_date, end_date), -1 FROM listing WHERE end_date IS NOT NULL
      UNION ALL SELECT vi, start_date, 1 FROM units WHERE complete
      UNION ALL SELECT vi, greatest(start_date, end_date), -1 FROM units WHERE complete AND end_date IS NOT NULL),
    cum AS (SELECT vi, d, sum(sum(delta)) OVER (PARTITION BY vi ORDER BY d) AS c FROM events GROUP BY vi, d),
    swept AS (
      SELECT sk.date, sk.vi, coalesce(c.c, 0) AS n
      FROM (SELECT s.date, k.vi FROM sessions s CROSS JOIN (SELECT DISTINCT vi FROM cum) k) sk ASOF LEFT JOIN cum c ON sk.vi = c.vi AND sk.date >= c.d),
    cells AS MATERIALIZED (
      SELECT s.date, u.vi, u.symbol, get_bit(u.bits, s.off) AS has
      FROM (SELECT * FROM units WHERE NOT complete) u JOIN sessions s ON s.date >= u.start_date AND (u.end_date IS NULL OR s.date < u.end_date)),
    counts AS (
      SELECT date, vi, sum(n) AS n FROM (SELECT date, vi, n FROM swept UNION ALL SELECT date, vi, sum(has) FROM cells GROUP BY date, vi) GROUP BY date, vi),
    per_date AS (
      SELECT date, coalesce(max(n) FILTER (WHERE vi = ${LISTED}), 0) AS expected, coalesce(max(n) FILTER (WHERE vi = ${ANY}), 0) AS present,
        [${vendorCounts}] AS vendor_counts
      FROM counts GROUP BY date),
    missing_by_date AS (SELECT date, list(symbol ORDER BY symbol) AS missing FROM cells WHERE vi = ${ANY} AND has = 0 GROUP BY date)
    SELECT 'date' AS kind, strftime(s.date, '%Y-%m-%d') AS date, CAST(coalesce(p.expected, 0) AS BIGINT) AS expected, CAST(coalesce(p.present, 0) AS BIGINT) AS present,
      CAST(coalesce(p.vendor_counts, [${VENDORS.map(() => '0').join(', ')}]) AS BIGINT[]) AS vendor_counts,
      array_to_string(${missingExpr(limits)}, chr(31)) AS missing
    FROM sessions s LEFT JOIN per_date p USING (date) LEFT JOIN missing_by_date m USING (date)
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
