import type { CoverageEntry } from '../../catalog/index.js';
import { lit, readParquet, stringList } from './sql.js';
import type { VendorReach } from './types.js';

/** How one dataset's raw rows are measured per (scope, period). */
export interface ScopeMeasure {
  /** SQL over a raw row naming its scope: `symbol`, `underlying`, `series_id`. */
  scope: string;
  /** Aggregate over one vendor's rows of a (scope, period): `count(DISTINCT ts)`. */
  measure: string;
  /** `exact`: rows/expected inside [rows_low_ratio, rows_high_ratio]; `atLeast`: rows ≥ expected. */
  mode: 'exact' | 'atLeast';
  /** What a row is, for reasons: minutes, snapshots, contracts. */
  unit: string;
}

/** The expected (scope, period) cells: every scope on every period, or an explicit list. */
export type ScopeGrid =
  | { kind: 'cross'; scopes: readonly string[]; periods: readonly { date: string; expected: number }[] }
  | { kind: 'cells'; cells: readonly { scope: string; date: string; expected: number }[] };

export interface ScopeSqlInput {
  files: readonly string[];
  measure: ScopeMeasure;
  grid: ScopeGrid;
  /** undefined: every cell is available. */
  reach: readonly VendorReach[] | undefined;
  coverage: readonly CoverageEntry[];
  lowRatio: number;
  highRatio: number;
}

export interface ScopeException {
  scope: string;
  status: string;
  rows: number;
  expected: number;
  reason: string;
  vendors: string;
}

export interface ScopePeriodRow {
  date: string;
  scopes: number;
  unavailable: number;
  green: number;
  amber: number;
  red: number;
  present: number;
  expected: number;
  vendor_rows: string | null;
  exceptions: ScopeException[];
}

function gridSql(grid: ScopeGrid): string {
  if (grid.kind === 'cross') {
    if (grid.scopes.length === 0 || grid.periods.length === 0) return `SELECT NULL::VARCHAR AS scope, NULL::DATE AS date, NULL::BIGINT AS expected WHERE false`;
    const periods = grid.periods.map((p) => `(DATE '${p.date}', ${Math.round(p.expected)})`).join(',');
    return `SELECT sc.scope, p.date, p.expected FROM (VALUES ${periods}) p(date, expected) CROSS JOIN (SELECT unnest(${stringList(grid.scopes)}) AS scope) sc`;
  }
  if (grid.cells.length === 0) return `SELECT NULL::VARCHAR AS scope, NULL::DATE AS date, NULL::BIGINT AS expected WHERE false`;
  return `SELECT scope, date, expected FROM (VALUES ${grid.cells.map((c) => `(${lit(c.scope)}, DATE '${c.date}', ${Math.round(c.expected)})`).join(',')}) v(scope, date, expected)`;
}

function coverageSql(entries: readonly CoverageEntry[]): string {
  if (entries.length === 0) return `SELECT NULL::VARCHAR AS scope, NULL::DATE AS s, NULL::DATE AS e WHERE false`;
  return `SELECT * FROM (VALUES ${entries.map((c) => `(${lit(c.scope)}, DATE '${c.start}', DATE '${c.end}')`).join(',')}) v(scope, s, e)`;
}

function reachSql(reach: readonly VendorReach[]): string {
  if (reach.length === 0) return `SELECT NULL::DATE AS f, NULL::DATE AS t, NULL::VARCHAR[] AS scopes WHERE false`;
  const row = (r: VendorReach): string =>
    `(DATE '${r.from ?? '1900-01-01'}', DATE '${r.to ?? '2999-12-31'}', ${r.scopes === undefined ? 'NULL::VARCHAR[]' : stringList(r.scopes)})`;
  return `SELECT * FROM (VALUES ${reach.map(row).join(',')}) v(f, t, scopes)`;
}

/**
 * Grades every (scope, period) cell in SQL and rolls them up per period, returning only the
 * per-period counts and the non-GREEN cells: a complete lake sends one row a period back to JS.
 */
export function scopeAuditSql(input: ScopeSqlInput): string {
  const { measure: m } = input;
  const obs = input.files.length
    ? `SELECT CAST(${m.scope} AS VARCHAR) AS scope, CAST(date AS DATE) AS date, source_name, ${m.measure} AS n
       FROM ${readParquet(input.files)} WHERE CAST(${m.scope} AS VARCHAR) IN (SELECT scope FROM scopes) GROUP BY ALL`
    : `SELECT NULL::VARCHAR AS scope, NULL::DATE AS date, NULL::VARCHAR AS source_name, NULL::BIGINT AS n WHERE false`;
  const avail = input.reach === undefined
    ? `SELECT scope, date FROM grid`
    : `SELECT DISTINCT g.scope, g.date FROM grid g JOIN reach r ON g.date BETWEEN r.f AND r.t AND (r.scopes IS NULL OR list_contains(r.scopes, g.scope))`;
  const low = m.mode === 'exact' ? `rows < expected * ${input.lowRatio}` : `rows < expected`;
  const lowReason = m.mode === 'exact'
    ? `rows || ' of ' || expected || ' ${m.unit} (below ' || ${input.lowRatio} || ' of expected)'`
    : `rows || ' ${m.unit}, fewer than ' || expected`;
  const high = m.mode === 'exact' ? `rows > expected * ${input.highRatio}` : 'false';
  return `WITH grid AS MATERIALIZED (${gridSql(input.grid)}),
    scopes AS (SELECT DISTINCT scope FROM grid),
    coverage_in AS (${coverageSql(input.coverage)}),
    reach AS (${reachSql(input.reach ?? [])}),
    obs AS MATERIALIZED (${obs}),
    per AS (SELECT scope, date, max(n) AS rows, string_agg(DISTINCT source_name, ',' ORDER BY source_name) AS vendors FROM obs WHERE n > 0 GROUP BY ALL),
    covered AS (SELECT DISTINCT g.scope, g.date FROM grid g JOIN coverage_in c ON (c.scope = g.scope OR c.scope = '*') AND g.date BETWEEN c.s AND c.e),
    avail AS (${avail}),
    cells AS (
      SELECT g.scope, g.date, g.expected, coalesce(p.rows, 0) AS rows, coalesce(p.vendors, '') AS vendors,
        a.scope IS NOT NULL AS available, c.scope IS NOT NULL AS covered
      FROM grid g LEFT JOIN per p USING (scope, date) LEFT JOIN avail a USING (scope, date) LEFT JOIN covered c USING (scope, date)),
    graded AS (
      SELECT *,
        CASE WHEN rows = 0 AND NOT available THEN 'UNAVAILABLE'
             WHEN rows = 0 AND covered THEN 'GREEN'
             WHEN rows = 0 THEN 'RED'
             WHEN ${low} THEN 'AMBER'
             WHEN ${high} THEN 'AMBER'
             ELSE 'GREEN' END AS status,
        CASE WHEN rows = 0 AND NOT available THEN 'outside every entitled vendor''s reach'
             WHEN rows = 0 AND covered THEN 'fetched; the vendor has no rows'
             WHEN rows = 0 THEN 'no rows from any vendor'
             WHEN ${low} THEN ${lowReason}
             WHEN ${high} THEN rows || ' ${m.unit} for ' || expected || ' expected (above ' || ${input.highRatio} || ': duplicates)'
             ELSE 'complete' END AS reason
      FROM cells),
    per_vendor AS (
      SELECT date, '{' || string_agg('"' || source_name || '":' || n, ',' ORDER BY source_name) || '}' AS vendor_rows
      FROM (SELECT o.date, o.source_name, count(DISTINCT o.scope) AS n FROM obs o JOIN grid g USING (scope, date) WHERE o.n > 0 GROUP BY ALL) GROUP BY date)
    SELECT strftime(g.date, '%Y-%m-%d') AS date, count(*)::BIGINT AS scopes,
      (count(*) FILTER (WHERE status = 'UNAVAILABLE'))::BIGINT AS unavailable,
      (count(*) FILTER (WHERE status = 'GREEN'))::BIGINT AS green,
      (count(*) FILTER (WHERE status = 'AMBER'))::BIGINT AS amber,
      (count(*) FILTER (WHERE status = 'RED'))::BIGINT AS red,
      (count(*) FILTER (WHERE rows > 0))::BIGINT AS present,
      max(expected)::BIGINT AS expected,
      any_value(v.vendor_rows) AS vendor_rows,
      coalesce(list({'scope': scope, 'status': status, 'rows': rows::BIGINT, 'expected': expected::BIGINT, 'reason': reason, 'vendors': vendors} ORDER BY scope)
        FILTER (WHERE status <> 'GREEN'), []) AS exceptions
    FROM graded g LEFT JOIN per_vendor v USING (date) GROUP BY g.date ORDER BY g.date`;
}
