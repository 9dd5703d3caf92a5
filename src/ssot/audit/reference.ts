import type { CoverageEntry, DatasetName, LedgerRow } from '../../catalog/index.js';
import { sessionDatesBetween } from '../../calendar/index.js';
import type { Lake } from '../../lake/index.js';
import { noSessionRow, rollupPeriod } from './rollup.js';
import type { ScopeException, ScopePeriodRow } from './scope-sql.js';
import { readParquet } from './sql.js';
import type { AuditResult, AuditOptions } from './run.js';
import type { AuditSpec, DetailRow, VendorReach } from './types.js';

type ReferenceSpec = Extract<AuditSpec, { dataset: 'fundamentals' | 'corp_actions' | 'delistings' | 'symbols' }>;

/** One graded (scope, period) of a reference dataset. */
interface Cell {
  scope: string;
  date: string;
  status: 'GREEN' | 'AMBER' | 'RED' | 'UNAVAILABLE';
  rows: number;
  expected: number;
  reason: string;
  vendors: string;
}

const DEFAULT_STATEMENTS = ['income', 'balance', 'cashflow'];
/** A fiscal year's annual statements are due once the 10-K deadline (90 days after year end) has passed. */
const ANNUAL_FILING_LAG_DAYS = 90;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Merged [start, end] ranges of the entries that apply to `scope` ('*' entries apply to every scope). */
function coveredRanges(entries: readonly CoverageEntry[], scope: string | undefined): [string, string][] {
  const ranges = entries.filter((e) => scope === undefined || e.scope === scope || e.scope === '*').map((e) => [e.start, e.end] as [string, string]);
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [string, string][] = [];
  for (const [s, e] of ranges) {
    const last = merged[merged.length - 1];
    if (last && s <= addDays(last[1], 1)) last[1] = e > last[1] ? e : last[1];
    else merged.push([s, e]);
  }
  return merged;
}

function covers(ranges: readonly [string, string][], start: string, end: string): boolean {
  return ranges.some(([s, e]) => s <= start && e >= end);
}

function overlaps(ranges: readonly [string, string][], start: string, end: string): boolean {
  return ranges.some(([s, e]) => s <= end && e >= start);
}

/** The first date of [start, end] some reach serves for this scope, or undefined when none does. */
function reachStart(reach: readonly VendorReach[] | undefined, scope: string, start: string, end: string): string | undefined {
  if (reach === undefined) return start;
  const starts = reach
    .filter((r) => (r.scopes === undefined || r.scopes.includes(scope)) && (r.from ?? '1900-01-01') <= end && (r.to ?? '2999-12-31') >= start)
    .map((r) => ((r.from ?? start) > start ? (r.from as string) : start));
  return starts.length === 0 ? undefined : starts.sort()[0];
}

function periodRow(date: string, cells: readonly Cell[]): ScopePeriodRow {
  const count = (s: Cell['status']): number => cells.filter((c) => c.status === s).length;
  const vendorCounts = new Map<string, number>();
  for (const c of cells) for (const v of c.vendors.split(',').filter(Boolean)) vendorCounts.set(v, (vendorCounts.get(v) ?? 0) + 1);
  const vendors = [...vendorCounts].sort(([a], [b]) => (a < b ? -1 : 1));
  const exceptions: ScopeException[] = cells.filter((c) => c.status !== 'GREEN').map((c) => ({ scope: c.scope, status: c.status, rows: c.rows, expected: c.expected, reason: c.reason, vendors: c.vendors }));
  return {
    date,
    scopes: cells.length,
    unavailable: count('UNAVAILABLE'),
    green: count('GREEN'),
    amber: count('AMBER'),
    red: count('RED'),
    present: cells.filter((c) => c.rows > 0).length,
    expected: Math.max(0, ...cells.map((c) => c.expected)),
    vendor_rows: `{${vendors.map(([v, n]) => `"${v}":${n}`).join(',')}}`,
    exceptions,
  };
}

async function rowsBy(lake: Lake, dataset: DatasetName, select: string): Promise<{ key: string; n: number; vendors: string }[]> {
  const files = await lake.referenceFiles(dataset);
  if (files.length === 0) return [];
  return lake.query(`SELECT ${select} FROM ${readParquet(files)} GROUP BY ALL`);
}

/** corp_actions: per symbol, graded on the audit's last day: covered back to `earliest` (or the first date a vendor reaches)? */
async function corpActionCells(o: RefOptions & { spec: Extract<ReferenceSpec, { dataset: 'corp_actions' }> }): Promise<Map<string, Cell[]>> {
  const rows = new Map((await rowsBy(o.lake, 'corp_actions', `symbol AS key, count(*)::BIGINT AS n, string_agg(DISTINCT source_name, ',' ORDER BY source_name) AS vendors`)).map((r) => [r.key, r]));
  const end = o.window.end;
  const cells = [...new Set(o.spec.symbols)].sort().map((symbol): Cell => {
    const found = rows.get(symbol);
    const base = { scope: symbol, date: end, rows: Number(found?.n ?? 0), expected: 1, vendors: found?.vendors ?? '' };
    const from = reachStart(o.reach, symbol, o.spec.earliest, end);
    if (from === undefined) return { ...base, status: 'UNAVAILABLE', reason: 'outside every entitled vendor\'s reach' };
    const ranges = coveredRanges(o.coverage, symbol);
    if (covers(ranges, from, end)) return { ...base, status: 'GREEN', reason: base.rows > 0 ? 'complete' : `fetched ${from} .. ${end}; no actions` };
    if (overlaps(ranges, from, end) || base.rows > 0) {
      const why = ranges.length > 0 ? `fetched only ${ranges.map(([s, e]) => `${s} .. ${e}`).join(', ')}` : 'rows present but no fetch recorded';
      return { ...base, status: 'AMBER', reason: `${why}; wanted ${from} .. ${end}` };
    }
    return { ...base, status: 'RED', reason: `never fetched (wanted ${from} .. ${end})` };
  });
  return new Map([[end, cells]]);
}

/** delistings: per calendar-year chunk from `earliest`, covered by a recorded fetch? */
async function delistingCells(o: RefOptions & { spec: Extract<ReferenceSpec, { dataset: 'delistings' }> }): Promise<Map<string, Cell[]>> {
  const counts = new Map((await rowsBy(o.lake, 'delistings', `strftime(delisted_date, '%Y') AS key, count(DISTINCT symbol)::BIGINT AS n, string_agg(DISTINCT source_name, ',' ORDER BY source_name) AS vendors`)).map((r) => [r.key, r]));
  const ranges = coveredRanges(o.coverage, undefined);
  const out = new Map<string, Cell[]>();
  const first = o.spec.earliest > o.window.start ? o.spec.earliest : o.window.start;
  for (let year = Number(first.slice(0, 4)); year <= Number(o.window.end.slice(0, 4)); year++) {
    const start = `${year}-01-01` < first ? first : `${year}-01-01`;
    const end = `${year}-12-31` > o.window.end ? o.window.end : `${year}-12-31`;
    const found = counts.get(String(year));
    const base = { scope: '*', date: `${year}-01-01`, rows: Number(found?.n ?? 0), expected: 0, vendors: found?.vendors ?? '' };
    let cell: Cell;
    if (reachStart(o.reach, '*', start, end) === undefined) cell = { ...base, status: 'UNAVAILABLE', reason: 'outside every entitled vendor\'s reach' };
    else if (covers(ranges, start, end)) cell = { ...base, status: 'GREEN', reason: `${base.rows} delistings; fetch covers ${start} .. ${end}` };
    else if (base.rows > 0 || overlaps(ranges, start, end)) cell = { ...base, status: 'AMBER', reason: `${base.rows} delistings but no fetch covering ${start} .. ${end}` };
    else cell = { ...base, status: 'RED', reason: `never fetched (${start} .. ${end})` };
    out.set(base.date, [cell]);
  }
  return out;
}

/** symbols: per session, a snapshot fetched that day (a recorded fetch, or rows ingested that UTC day)? */
async function symbolCells(o: RefOptions): Promise<Map<string, Cell[]>> {
  const days = new Map((await rowsBy(o.lake, 'symbols', `strftime(ingested_at, '%Y-%m-%d') AS key, count(*)::BIGINT AS n, string_agg(DISTINCT source_name, ',' ORDER BY source_name) AS vendors`)).map((r) => [r.key, r]));
  const ranges = coveredRanges(o.coverage, undefined);
  const out = new Map<string, Cell[]>();
  for (const date of sessionDatesBetween(o.window.start, o.window.end)) {
    const found = days.get(date);
    const fetched = covers(ranges, date, date);
    const base = { scope: '*', date, rows: Number(found?.n ?? 0), expected: 1, vendors: found?.vendors ?? '' };
    if (reachStart(o.reach, '*', date, date) === undefined) out.set(date, [{ ...base, status: 'UNAVAILABLE', reason: 'outside every entitled vendor\'s reach' }]);
    else if (found !== undefined || fetched) out.set(date, [{ ...base, status: 'GREEN', reason: found ? `snapshot of ${base.rows} symbols` : 'fetched; snapshot unchanged' }]);
    else out.set(date, [{ ...base, status: 'RED', reason: 'no snapshot that day' }]);
  }
  return out;
}

/** fundamentals: per (symbol, fiscal year due), one row-set per statement. */
async function fundamentalCells(o: RefOptions & { spec: Extract<ReferenceSpec, { dataset: 'fundamentals' }> }): Promise<Map<string, Cell[]>> {
  const statements = [...new Set(o.spec.statements ?? DEFAULT_STATEMENTS)];
  const rows = await rowsBy(o.lake, 'fundamentals', `symbol || '|' || fiscal_year AS key, count(DISTINCT statement) FILTER (WHERE statement IN (${statements.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}))::BIGINT AS n, string_agg(DISTINCT source_name, ',' ORDER BY source_name) AS vendors`);
  const found = new Map(rows.map((r) => [r.key, r]));
  const out = new Map<string, Cell[]>();
  for (let year = Number(o.window.start.slice(0, 4)); addDays(`${year}-12-31`, ANNUAL_FILING_LAG_DAYS) <= o.window.end; year++) {
    const date = `${year}-01-01`;
    const cells = [...new Set(o.spec.symbols)].sort().map((symbol): Cell => {
      const hit = found.get(`${symbol}|${year}`);
      const base = { scope: symbol, date, rows: Number(hit?.n ?? 0), expected: statements.length, vendors: hit?.vendors ?? '' };
      if (base.rows === 0 && reachStart(o.reach, symbol, date, `${year}-12-31`) === undefined) return { ...base, status: 'UNAVAILABLE', reason: 'outside every entitled vendor\'s reach' };
      if (base.rows >= statements.length) return { ...base, status: 'GREEN', reason: 'complete' };
      if (base.rows > 0) return { ...base, status: 'AMBER', reason: `${base.rows} of ${statements.length} statements` };
      if (overlaps(coveredRanges(o.coverage, symbol), date, `${year}-12-31`)) return { ...base, status: 'GREEN', reason: 'fetched; nothing filed for the year' };
      return { ...base, status: 'RED', reason: 'no statements from any vendor' };
    });
    out.set(date, cells);
  }
  return out;
}

type RefOptions = Omit<AuditOptions, 'coverage' | 'spec'> & { coverage: readonly CoverageEntry[] };

const NOUN: Record<ReferenceSpec['dataset'], string> = { corp_actions: 'symbols', delistings: 'year chunks', symbols: 'snapshots', fundamentals: 'symbols' };

/** Reference datasets are small: graded in full on every audit. */
export async function auditReference(options: RefOptions & { spec: ReferenceSpec }): Promise<AuditResult> {
  const { spec } = options;
  const dataset = spec.dataset;
  const auditedAt = new Date(options.clock.now()).toISOString();
  const cells =
    spec.dataset === 'corp_actions' ? await corpActionCells({ ...options, spec })
    : spec.dataset === 'delistings' ? await delistingCells({ ...options, spec })
    : spec.dataset === 'fundamentals' ? await fundamentalCells({ ...options, spec })
    : await symbolCells(options);
  const ledger: LedgerRow[] = [];
  const details: DetailRow[] = [];
  for (const [date, list] of [...cells].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rolled = rollupPeriod(dataset, periodRow(date, list), options.thresholds.green_min_ratio, NOUN[dataset], auditedAt);
    ledger.push(rolled.ledger);
    details.push(...rolled.details);
  }
  if (dataset === 'symbols') {
    for (let d = options.window.start; d <= options.window.end; d = addDays(d, 1)) if (!cells.has(d)) ledger.push(noSessionRow(dataset, d, 0, auditedAt));
    ledger.sort((a, b) => (a.date < b.date ? -1 : 1));
  }
  const files = (await Promise.all((['corp_actions', 'delistings', 'symbols', 'fundamentals'] as const).filter((d) => d === dataset).map((d) => options.lake.referenceFiles(d)))).flat();
  return { dataset, ledger, details, stats: { regraded: ledger.map((r) => r.date), filesRead: files.length, full: true } };
}
