import type { Clock } from '../../clock/index.js';
import { AUDIT_SEEN_PATH, type CoverageEntry, type DatasetName, type LedgerRow } from '../../catalog/index.js';
import { sessionDatesBetween } from '../../calendar/index.js';
import type { Lake } from '../../lake/index.js';
import { coverageDigests, coverageFor } from './coverage.js';
import { listingSql, type EodDateRow, type SeenRow } from './eod-sql.js';
import { countEodSessionsWithListing, gradeEodSessions } from './eod.js';
import { changedDates, fingerprint, partNames, readManifest, writeManifest } from './manifest.js';
import { scopePlan } from './plans.js';
import { auditReference } from './reference.js';
import { noSessionRow, rollupPeriod } from './rollup.js';
import { scopeAuditSql, type ScopePeriodRow } from './scope-sql.js';
import { filesByDate, indexRawFiles, packedRowsSql, type PackedColumn, type RawFile } from './sql.js';
import { readLedger, readLedgerDetail, writeLedger, writeLedgerDetail } from './store.js';
import type { AuditSpec, AuditStats, AuditThresholds, AuditWindow, DetailRow, VendorReach } from './types.js';

export interface AuditOptions {
  lake: Lake;
  clock: Clock;
  window: AuditWindow;
  thresholds: AuditThresholds;
  spec: AuditSpec;
  /** Vendors that can serve the dataset; a period or scope none reaches is UNAVAILABLE. Omitted: all reachable. */
  reach?: readonly VendorReach[];
  /** Fetched units (empty answers included); default: the lake's coverage record. */
  coverage?: readonly CoverageEntry[];
  /** Re-grade only partitions whose raw files or coverage changed (default true). */
  incremental?: boolean;
}

export interface AuditResult {
  dataset: DatasetName;
  /** The dataset's rollup rows for the window, as written to qc/partition_status.parquet. */
  ledger: LedgerRow[];
  /** The dataset's non-GREEN (scope, period) rows, as written to qc/ledger/dataset=<d>/ledger.parquet. */
  details: DetailRow[];
  stats: AuditStats;
}

const AUDIT_VERSION = 1;

/**
 * Audits one dataset from what is in the lake and writes its ledger rows (other datasets' rows are
 * kept), its detail ledger and its manifest. Incremental: a partition whose part files (and
 * coverage) are unchanged since the last audit with the same inputs keeps its rows unread.
 */
export async function auditDataset(options: AuditOptions): Promise<AuditResult> {
  const { spec } = options;
  const result: RawOutcome =
    spec.dataset === 'fundamentals' || spec.dataset === 'corp_actions' || spec.dataset === 'delistings' || spec.dataset === 'symbols'
      ? await auditReference({ ...options, spec, coverage: await coverageFor(options.lake, spec.dataset, options.coverage) })
      : await auditRaw(options, spec);
  if (!result.unchanged) {
    await writeLedger(options.lake, result.ledger);
    await writeLedgerDetail(options.lake, result.dataset, result.details);
  }
  return { dataset: result.dataset, ledger: result.ledger, details: result.details, stats: result.stats };
}

interface RawContext {
  options: AuditOptions;
  dataset: DatasetName;
  files: RawFile[];
  byDate: Map<string, RawFile[]>;
  auditedAt: string;
}

type RawSpec = Exclude<AuditSpec, { dataset: 'fundamentals' | 'corp_actions' | 'delistings' | 'symbols' }>;

/** `unchanged`: nothing re-graded and the same periods as the ledger holds, so nothing needs writing. */
type RawOutcome = AuditResult & { unchanged?: boolean };

function unchangedRun(regrade: ReadonlySet<string>, ledger: readonly LedgerRow[], previous: { ledger: ReadonlyMap<string, LedgerRow> }): boolean {
  return regrade.size === 0 && ledger.length === previous.ledger.size && ledger.every((r) => previous.ledger.get(r.date)?.status === r.status);
}

async function auditRaw(options: AuditOptions, spec: RawSpec): Promise<RawOutcome> {
  const { lake } = options;
  const dataset = spec.dataset;
  const files = indexRawFiles(await lake.rawGlob(dataset), dataset);
  const ctx: RawContext = { options, dataset, files, byDate: filesByDate(files), auditedAt: new Date(options.clock.now()).toISOString() };
  return dataset === 'equities_eod' ? auditEod(ctx) : auditScopes(ctx, spec as Exclude<RawSpec, { dataset: 'equities_eod' }>);
}

/** Periods to grade: all on a full audit, else those whose fingerprint changed or that have no ledger row. */
function toRegrade(periods: readonly string[], changed: ReadonlySet<string>, previous: ReadonlyMap<string, LedgerRow>, full: boolean): Set<string> {
  return new Set(full ? periods : periods.filter((d) => changed.has(d) || !previous.has(d)));
}

/** The last audit's rows; its detail rows only when some period keeps them (not on a full audit, which re-grades all). */
async function previousRows(lake: Lake, dataset: DatasetName, full: boolean): Promise<{ ledger: Map<string, LedgerRow>; details: DetailRow[] }> {
  const ledger = new Map((await readLedger(lake, dataset)).map((r) => [r.date, { ...r, rows: Number(r.rows), expected_rows: Number(r.expected_rows) }]));
  return { ledger, details: full ? [] : await readLedgerDetail(lake, dataset) };
}

/** Window rows: regraded ones, else the previous audit's, plus NO_SESSION days for session datasets. */
function mergeRows(
  ctx: RawContext,
  periods: readonly string[],
  regraded: { ledger: LedgerRow[]; details: DetailRow[] },
  previous: { ledger: Map<string, LedgerRow>; details: DetailRow[] },
  regrade: ReadonlySet<string>,
  sessionBased: boolean,
): { ledger: LedgerRow[]; details: DetailRow[] } {
  const fresh = new Map(regraded.ledger.map((r) => [r.date, r]));
  const ledger = periods.map((d) => (regrade.has(d) ? fresh.get(d) : previous.ledger.get(d))).filter((r): r is LedgerRow => r !== undefined);
  if (sessionBased) {
    const sessions = new Set(periods);
    for (let d = ctx.options.window.start; d <= ctx.options.window.end; d = nextDay(d)) {
      if (!sessions.has(d)) ledger.push(noSessionRow(ctx.dataset, d, ctx.byDate.get(d)?.length ?? 0, ctx.auditedAt));
    }
    ledger.sort((a, b) => (a.date < b.date ? -1 : 1));
  }
  const inWindow = new Set(periods);
  const details = [...previous.details.filter((r) => inWindow.has(r.date) && !regrade.has(r.date)), ...regraded.details];
  return { ledger, details };
}

function emptyPeriod(date: string): ScopePeriodRow {
  return { date, scopes: 0, unavailable: 0, green: 0, amber: 0, red: 0, present: 0, expected: 0, vendor_rows: '{}', exceptions: [] };
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

async function auditScopes(ctx: RawContext, spec: Exclude<RawSpec, { dataset: 'equities_eod' }>): Promise<RawOutcome> {
  const { lake, thresholds, window, reach } = ctx.options;
  const plan = scopePlan(spec, window, thresholds);
  const coverage = await coverageFor(lake, ctx.dataset, ctx.options.coverage);
  const digests = coverageDigests(coverage, plan.periods);
  const partitionFp = (d: string): string => `${partNames(ctx.byDate.get(d))}#${digests.get(d) ?? ''}`;
  const fps = new Map<string, string>();
  for (const d of new Set([...ctx.byDate.keys(), ...plan.periods])) fps.set(d, partitionFp(d));
  const inputs = fingerprint({ v: AUDIT_VERSION, spec, thresholds, reach: reach ?? null });
  const manifest = await readManifest(lake, ctx.dataset);
  const full = ctx.options.incremental === false || manifest.inputs !== inputs;
  const changed = new Set([...fps].filter(([d, fp]) => (manifest.files.get(d) ?? '#') !== fp).map(([d]) => d));
  const previous = await previousRows(lake, ctx.dataset, full);
  const regrade = toRegrade(plan.periods, changed, previous.ledger, full);
  const files = [...regrade].flatMap((d) => (ctx.byDate.get(d) ?? []).map((f) => f.path));
  const graded = { ledger: [] as LedgerRow[], details: [] as DetailRow[] };
  if (regrade.size > 0) {
    const sql = scopeAuditSql({
      files,
      measure: plan.measure,
      grid: plan.grid(regrade),
      reach,
      coverage,
      lowRatio: thresholds.rows_low_ratio ?? 0.9,
      highRatio: thresholds.rows_high_ratio ?? 1.2,
    });
    const returned = new Map((await lake.query<ScopePeriodRow>(sql)).map((row) => [row.date, row]));
    // A period with no expected cell (an empty symbol list) returns no row: it is GREEN, nothing expected.
    const rows = [...regrade].sort().map((date) => returned.get(date) ?? emptyPeriod(date));
    for (const row of rows) {
      const { ledger, details } = rollupPeriod(ctx.dataset, row, thresholds.green_min_ratio, plan.noun, ctx.auditedAt);
      graded.ledger.push(ledger);
      graded.details.push(...details);
    }
  }
  const merged = mergeRows(ctx, plan.periods, graded, previous, regrade, plan.sessionBased);
  await writeManifest(lake, ctx.dataset, inputs, fps);
  return { dataset: ctx.dataset, ...merged, stats: { regraded: [...regrade].sort(), filesRead: files.length, full }, unchanged: unchangedRun(regrade, merged.ledger, previous) };
}

/**
 * equities_eod: expectations depend on every symbol's first and last bar (listing windows), kept in
 * qc/audit_seen/ so an incremental audit reads only changed partitions; a listing that moved (a
 * backfilled older bar, a new IPO) also re-grades the sessions it moved over.
 */
async function auditEod(ctx: RawContext): Promise<RawOutcome> {
  const { lake, thresholds, window } = ctx.options;
  const sessions = sessionDatesBetween(window.start, window.end);
  const symbolFiles = await lake.referenceFiles('symbols');
  const inputs = fingerprint({ v: AUDIT_VERSION, thresholds, symbols: symbolFiles.map((f) => f.split(/[\\/]/).pop()).sort() });
  const manifest = await readManifest(lake, ctx.dataset);
  const storedSeen = await lake.readTable<SeenRow>(AUDIT_SEEN_PATH);
  const full = ctx.options.incremental === false || manifest.inputs !== inputs || storedSeen.length === 0;
  const fps = new Map([...ctx.byDate].map(([d, f]) => [d, partNames(f)]));
  const changed = changedDates(manifest, ctx.byDate);
  const previous = await previousRows(lake, ctx.dataset, full);
  const seenTable = { kind: 'table' as const, sql: 'SELECT symbol, first_date, last_date FROM audit_seen' };
  let regrade: Set<string>;
  let readDates: Set<string>;
  let listing: SeenRow[] | undefined;
  let filesRead = 0;
  if (full) {
    regrade = new Set(sessions);
    readDates = new Set(ctx.byDate.keys());
  } else {
    const changedFiles = [...changed].flatMap((d) => (ctx.byDate.get(d) ?? []).map((f) => f.path));
    listing = changedFiles.length === 0 ? storedSeen : await lake.query<SeenRow>(listingSql(changedFiles, symbolFiles, seenTable));
    filesRead += changedFiles.length;
    regrade = toRegrade(sessions, new Set([...changed, ...listingMoves(storedSeen, listing, sessions)]), previous.ledger, false);
    readDates = new Set([...changed, ...regrade]);
  }
  const files = [...readDates].flatMap((d) => (ctx.byDate.get(d) ?? []).map((f) => f.path));
  let graded = { ledger: [] as LedgerRow[], details: [] as DetailRow[] };
  if (regrade.size > 0 || full) {
    filesRead += files.length;
    const { counts, seen } = await countEodSessionsWithListing(lake, files, symbolFiles, full ? { kind: 'files-only' } : seenTable, [...regrade].sort());
    graded = gradeEodSessions(counts, thresholds, ctx.auditedAt);
    listing = seen;
  }
  const merged = mergeRows(ctx, sessions, graded, previous, regrade, true);
  if (listing !== undefined && listing !== storedSeen) await writeSeen(lake, listing);
  await writeManifest(lake, ctx.dataset, inputs, fps);
  return { dataset: ctx.dataset, ...merged, stats: { regraded: [...regrade].sort(), filesRead, full }, unchanged: unchangedRun(regrade, merged.ledger, previous) };
}

const SEEN_COLUMNS: PackedColumn[] = [
  { name: 'symbol', type: 'VARCHAR' },
  { name: 'first_date', type: 'DATE' },
  { name: 'last_date', type: 'DATE' },
  { name: 'start_date', type: 'DATE' },
  { name: 'end_date', type: 'DATE', nullable: true },
];

/** Stores the symbols' listings (AUDIT_SEEN_COLUMNS), written by DuckDB from packed columns. */
async function writeSeen(lake: Lake, listing: readonly SeenRow[]): Promise<void> {
  const rows = listing.map((r) => [r.symbol, r.first_date, r.last_date, r.start_date, r.end_date]);
  await lake.writeTableFromQuery(AUDIT_SEEN_PATH, `${packedRowsSql(SEEN_COLUMNS, rows)} ORDER BY symbol`);
}

/** Sessions on which some symbol's listing changed between two states (it is expected on one side only). */
export function listingMoves(before: readonly SeenRow[], after: readonly SeenRow[], sessions: readonly string[]): Set<string> {
  const old = new Map(before.map((r) => [r.symbol, r]));
  const moved = new Set<string>();
  const listed = (r: SeenRow | undefined, d: string): boolean => r !== undefined && d >= r.start_date && (r.end_date === null || d < r.end_date);
  for (const row of after) {
    const prior = old.get(row.symbol);
    if (prior && prior.start_date === row.start_date && prior.end_date === row.end_date) continue;
    for (const d of sessions) if (listed(prior, d) !== listed(row, d)) moved.add(d);
  }
  return moved;
}

export type { EodDateRow };
