import { createHash } from 'node:crypto';
import { col, type VendorId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { sqlFileList, type Lake } from '../../lake/index.js';
import { factorSteps, type AdjustmentLogEntry, type FactorStep, type PriorBar } from '../adjust.js';
import { mergeCorporateActions, type MergedAction } from '../corp-actions.js';
import { commitAdjustedFiles } from './adjusted-files.js';
import { manifestHash, readManifest, writeManifest, type ManifestEntry } from './parts.js';
import { ADJUSTED_TABLE, bucketOf, CURATED_BUCKETS, curatedPath, manifestPath, sqlText } from './layout.js';
import { dirtyDates, precedenceCase, stringTable, tempName, type JobState } from './shared.js';
import { partitionDate, relativeKey } from './watermark.js';

export const ADJUSTMENT_LOG_PATH = 'curated/adjustment_log/data.parquet';
/** Per symbol and effective ex-date: the cumulative factors of the sessions before it. */
export const FACTORS_PATH = 'curated/adjustment_factors/data.parquet';
const FACTOR_COLUMNS = { symbol: col.string(), ex_date: col.date(), factor: col.double(), split_factor: col.double() } as const;

const LOG_COLUMNS = {
  symbol: col.string(),
  ex_date: col.date(),
  action: col.string(),
  multiplier: col.optDouble(),
  base_close: col.optDouble(),
  base_date: col.optDate(),
  source_name: col.string(),
  source_count: col.bigint(),
  disagreement: col.boolean(),
  note: col.string(),
} as const;

export interface CurateResult {
  rows: number;
  symbols: number;
  filesWritten: number;
  filesUnchanged: number;
  /** sha256 over every curated file's content hash: equal runs give equal hashes. */
  contentHash: string;
  adjustmentsApplied: number;
  adjustmentsSkipped: number;
}

export interface AdjustedRun {
  lake: Lake;
  vendorPrecedence: readonly VendorId[];
  corpActionsPrecedence: readonly VendorId[];
  clock?: Clock;
  /** The job's state from the last run; undefined rebuilds every file (writing only changed ones). */
  previous?: JobState;
  lookbackDays?: number;
  config?: string;
  /** Rows of canonical bars materialised at once (default MAX_ROWS_PER_SLICE). */
  maxRowsPerSlice?: number;
}

export interface AdjustedOutcome {
  result: CurateResult;
  state: JobState;
  /** Curated file keys rewritten by this run. */
  written: string[];
  /** Curated file keys recomputed (written or found unchanged). */
  recomputed: string[];
}

interface SymbolSpan {
  symbol: string;
  first: string;
  latest: string;
  /** Raw rows of the symbol, and its distinct sessions: unequal when a (symbol, date) repeats. */
  rows: number;
  sessions: number;
}

/**
 * equities_ohlcv_adj in DuckDB: canonical bars (vendor precedence), the merged corporate actions
 * turned into per-symbol factor steps by `factorSteps` (the only place the float-op order lives),
 * then one range join multiplies every bar by the factor of the next effective ex-date after it.
 * Only the files in scope are recomputed, and only those whose content changed are written.
 */
export async function curateAdjusted(run: AdjustedRun): Promise<AdjustedOutcome> {
  const { lake } = run;
  const rawFiles = await lake.rawGlob('equities_eod');
  const config = run.config ?? '';
  const emptyState: JobState = { watermark: null, config, files: new Set(), signatures: new Map(), updatedAt: null };
  const previousManifest = await readManifest(lake, manifestPath(ADJUSTED_TABLE));
  if (rawFiles.length === 0) {
    return { result: emptyResult(previousManifest.values()), state: emptyState, written: [], recomputed: [] };
  }
  const t = { bars: tempName('eod_bars'), buckets: tempName('eod_buckets'), steps: tempName('eod_steps') };
  try {
    const spans = await symbolSpans(lake, rawFiles);
    const symbols = spans.map((s) => s.symbol);
    await lake.query(`CREATE OR REPLACE TEMP TABLE ${t.buckets} AS ${stringTable({ symbol: symbols, bucket: symbols.map(bucketOf) })}`);
    const years = filesByYear(rawFiles);
    const precedence = spans.some((s) => s.rows !== s.sessions) ? run.vendorPrecedence : undefined;
    const factors = await computeFactors(lake, years, precedence, spans, run.corpActionsPrecedence);
    // The steps travel through a Parquet file (exact doubles; list parameters would guess their type)
    // that stays in the lake as the table of adjustment factors.
    await lake.writeTable(FACTORS_PATH, FACTOR_COLUMNS, factors.steps as unknown as Record<string, unknown>[]);
    // Each step covers the sessions from the next earlier ex-date up to (not including) its own.
    await lake.query(
      `CREATE OR REPLACE TEMP TABLE ${t.steps} AS SELECT symbol, ex_date, factor, split_factor,
         coalesce(lead(ex_date) OVER (PARTITION BY symbol ORDER BY ex_date DESC), DATE '0001-01-01') AS lo FROM adjustment_factors`,
    );
    const keys = rawFiles.map(relativeKey);
    const scope = await scopeOf(run, keys, rawFiles, spans, factors.signatures);
    const entries: ManifestEntry[] = [];
    const written: string[] = [];
    // A curated file holds one calendar year of a few symbol buckets, so the canonical bars are
    // built for one year and one group of buckets at a time: memory follows a bounded slice of the
    // universe, not its whole history, and a slice with nothing in scope is not read at all.
    for (const [year, files] of years) {
      if (scope !== 'all' && ![...scope].some((path) => path.includes(`/year=${year}/`))) continue;
      for (const group of bucketGroups(await rowCount(lake, files), run.maxRowsPerSlice ?? MAX_ROWS_PER_SLICE)) {
        const paths = group.map((bucket) => curatedPath(year, bucket));
        const sliceScope = scope === 'all' ? 'all' : new Set(paths.filter((path) => scope.has(path)));
        if (sliceScope !== 'all' && sliceScope.size === 0) continue;
        await createCanonicalBars(lake, { name: t.bars, buckets: t.buckets }, canonicalRows(files, year, precedence), group);
        const committed = await commitAdjustedFiles(lake, t, sliceScope, previousManifest, run.clock);
        entries.push(...committed.entries);
        written.push(...committed.written);
        await lake.query(`DROP TABLE IF EXISTS ${t.bars}`);
      }
    }
    const manifest = new Map(previousManifest);
    for (const entry of entries) manifest.set(entry.path, entry);
    await lake.writeTable(ADJUSTMENT_LOG_PATH, LOG_COLUMNS, factors.logRows);
    await writeManifest(lake, manifestPath(ADJUSTED_TABLE), manifest.values());
    const watermark = spans.reduce((max, s) => (s.latest > max ? s.latest : max), '');
    return {
      result: {
        rows: spans.reduce((n, s) => n + s.sessions, 0),
        symbols: spans.length,
        filesWritten: written.length,
        filesUnchanged: manifest.size - written.length,
        contentHash: manifestHash(manifest.values()),
        adjustmentsApplied: factors.applied,
        adjustmentsSkipped: factors.skipped,
      },
      state: { watermark, config, files: new Set(keys), signatures: factors.signatures, updatedAt: null },
      written,
      recomputed: entries.map((e) => e.path),
    };
  } finally {
    for (const name of Object.values(t)) await lake.query(`DROP TABLE IF EXISTS ${name}`);
  }
}

/**
 * Rows materialised at once: each slice costs DuckDB about 150 bytes a row in memory, and each
 * extra slice of a year one more read of that year's files.
 */
const MAX_ROWS_PER_SLICE = 400_000;

/** The symbol buckets split into as few contiguous groups as keep each under `maxRows` (buckets are about equal). */
function bucketGroups(rows: number, maxRows: number): string[][] {
  const buckets = Array.from({ length: CURATED_BUCKETS }, (_, i) => String(i).padStart(2, '0'));
  const count = Math.min(CURATED_BUCKETS, Math.max(1, Math.ceil(rows / maxRows)));
  return Array.from({ length: count }, (_, g) => buckets.slice(Math.floor((g * CURATED_BUCKETS) / count), Math.floor(((g + 1) * CURATED_BUCKETS) / count)));
}

/** Rows in these Parquet files, from their footers. */
async function rowCount(lake: Lake, files: readonly string[]): Promise<number> {
  const [row] = await lake.query<{ rows: number | null }>(`SELECT sum(num_rows) AS rows FROM parquet_file_metadata(${sqlFileList(files)})`);
  return Number(row?.rows ?? 0);
}

/** The raw files by the calendar year of their partition (session), in year order. */
function filesByYear(files: readonly string[]): Map<string, string[]> {
  const years = new Map<string, string[]>();
  for (const file of files) {
    const year = (partitionDate(relativeKey(file)) ?? '').slice(0, 4);
    const list = years.get(year);
    if (list) list.push(file);
    else years.set(year, [file]);
  }
  return new Map([...years].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

interface Factors {
  steps: FactorStep[];
  signatures: Map<string, string>;
  logRows: Record<string, unknown>[];
  applied: number;
  skipped: number;
}

/**
 * Per-symbol factor steps from the merged actions and, per ex-date, the last canonical bar before
 * it: a hash join of the (few) ex-dates with each year's canonical rows, without materialising
 * them; a later year's answer supersedes an earlier one.
 */
async function computeFactors(
  lake: Lake,
  years: ReadonlyMap<string, readonly string[]>,
  barPrecedence: readonly VendorId[] | undefined,
  spans: readonly SymbolSpan[],
  precedence: readonly VendorId[],
): Promise<Factors> {
  const latest = new Map(spans.map((s) => [s.symbol, s.latest]));
  const actions = mergeCorporateActions(await lake.readReference('corp_actions'), precedence).filter((a) => latest.has(a.symbol));
  const priors = new Map<string, PriorBar>();
  const files = await lake.referenceFiles('corp_actions');
  for (const [year, rawFiles] of actions.length > 0 && files.length > 0 ? years : []) {
    const rows = await lake.query<{ symbol: string; ex_date: string; date: string; close: number }>(
      `WITH e AS (SELECT DISTINCT symbol, ex_date FROM read_parquet(${sqlFileList(files)}, union_by_name = true, hive_partitioning = false)
                  WHERE action IN ('split', 'dividend') AND ex_date > DATE ${sqlText(`${year}-01-01`)})
       SELECT e.symbol, strftime(e.ex_date, '%Y-%m-%d') AS ex_date, strftime(max(b.date), '%Y-%m-%d') AS date, arg_max(b.close, b.date) AS close
       FROM e JOIN (${canonicalRows(rawFiles, year, barPrecedence)}) b ON e.symbol = b.symbol AND b.date < e.ex_date GROUP BY e.symbol, e.ex_date`,
    );
    for (const r of rows) priors.set(`${r.symbol}\u0000${r.ex_date}`, { date: r.date, close: r.close });
  }
  const bySymbol = new Map<string, MergedAction[]>();
  for (const action of actions) {
    const list = bySymbol.get(action.symbol);
    if (list) list.push(action);
    else bySymbol.set(action.symbol, [action]);
  }
  const out: Factors = { steps: [], signatures: new Map(), logRows: [], applied: 0, skipped: 0 };
  for (const [symbol, events] of [...bySymbol].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const { steps, log } = factorSteps(symbol, events, latest.get(symbol), (ex) => priors.get(`${symbol}\u0000${ex}`));
    out.steps.push(...steps);
    out.signatures.set(symbol, signatureOf(steps));
    for (const entry of log) {
      if (entry.multiplier === null) out.skipped += 1;
      else out.applied += 1;
      out.logRows.push(logRow(entry, events));
    }
  }
  return out;
}

/** Which curated files this run recomputes: everything, or the files a change can reach. */
async function scopeOf(
  run: AdjustedRun,
  keys: readonly string[],
  files: readonly string[],
  spans: readonly SymbolSpan[],
  signatures: ReadonlyMap<string, string>,
): Promise<'all' | Set<string>> {
  const previous = run.previous;
  if (previous === undefined || previous.config !== (run.config ?? '')) return 'all';
  const scope = new Set<string>();
  const buckets = [...new Set(spans.map((s) => bucketOf(s.symbol)))];
  // Recent sessions (vendors correct them) and sessions past the watermark: every bucket of their year.
  for (const date of dirtyDates(keys.map(partitionDate), previous.watermark, run.lookbackDays ?? 0)) {
    for (const bucket of buckets) scope.add(curatedPath(date.slice(0, 4), bucket));
  }
  // New part files of older sessions: the files of the symbols they hold.
  const fresh = files.filter((_, i) => !previous.files.has(keys[i] as string));
  if (fresh.length > 0) {
    const touched = await run.lake.query<{ symbol: string; year: string }>(
      `SELECT DISTINCT symbol, strftime(date, '%Y') AS year FROM read_parquet(${sqlFileList(fresh)}, union_by_name = true, hive_partitioning = false)`,
    );
    for (const { symbol, year } of touched) scope.add(curatedPath(year, bucketOf(symbol)));
  }
  // A new, corrected or newly effective corporate action: every year of that symbol only.
  for (const span of spans) {
    if ((signatures.get(span.symbol) ?? '') === (previous.signatures.get(span.symbol) ?? '')) continue;
    for (let year = Number(span.first.slice(0, 4)); year <= Number(span.latest.slice(0, 4)); year += 1) {
      scope.add(curatedPath(String(year), bucketOf(span.symbol)));
    }
  }
  return scope;
}

function signatureOf(steps: readonly FactorStep[]): string {
  if (steps.length === 0) return '';
  return createHash('sha256')
    .update(steps.map((s) => `${s.ex_date}:${s.factor}:${s.split_factor}`).join(','))
    .digest('hex')
    .slice(0, 32);
}

function logRow(entry: AdjustmentLogEntry, actions: readonly MergedAction[]): Record<string, unknown> {
  const merged = actions.find((a) => a.ex_date === entry.ex_date && a.action === entry.action);
  return { ...entry, source_count: merged?.source_count ?? 1, disagreement: merged?.disagreement ?? false };
}

function emptyResult(manifest: Iterable<ManifestEntry>): CurateResult {
  const entries = [...manifest];
  return {
    rows: 0,
    symbols: 0,
    filesWritten: 0,
    filesUnchanged: entries.length,
    contentHash: manifestHash(entries),
    adjustmentsApplied: 0,
    adjustmentsSkipped: 0,
  };
}

/**
 * Per symbol: first and last session, rows and distinct sessions, read from two columns of the raw
 * files. Distinct sessions are counted as the set bits of a bitstring over the days the files'
 * partitions span: a `count(DISTINCT date)` would hash every (symbol, date) pair (+160 MB and 2.4×
 * the time at 5000 symbols × 2 years). A row dated outside its partitions' span counts as its own session.
 */
async function symbolSpans(lake: Lake, files: readonly string[]): Promise<SymbolSpan[]> {
  const dates = files.map((f) => partitionDate(relativeKey(f))).filter((d): d is string => d !== undefined).sort();
  const lo = dates[0] ?? '1970-01-01';
  const width = Math.max(1, Math.round((Date.parse(dates[dates.length - 1] ?? lo) - Date.parse(lo)) / 86_400_000) + 1);
  const inSpan = `date BETWEEN DATE ${sqlText(lo)} AND DATE ${sqlText(lo)} + ${width - 1}`;
  const spans = await lake.query<SymbolSpan>(
    `SELECT symbol, strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS latest, count(*) AS rows,
       coalesce(bit_count(bitstring_agg(CASE WHEN ${inSpan} THEN CAST(date - DATE ${sqlText(lo)} AS INTEGER) END, 0, ${width - 1})), 0)
         + count(*) FILTER (WHERE NOT (${inSpan})) AS sessions
     FROM read_parquet(${sqlFileList(files)}, union_by_name = true, hive_partitioning = false) GROUP BY symbol ORDER BY symbol`,
  );
  return spans.map((s) => ({ ...s, rows: Number(s.rows), sessions: Number(s.sessions) }));
}

/**
 * One bar per (symbol, session) of one calendar year's partitions. With `precedence` (some key
 * repeats), the first vendor of the list wins, then the newest row.
 */
function canonicalRows(files: readonly string[], year: string, precedence: readonly VendorId[] | undefined): string {
  const source = `read_parquet(${sqlFileList(files)}, union_by_name = true, filename = true, hive_partitioning = false)`;
  const dedupe = precedence === undefined ? '' : `QUALIFY row_number() OVER (PARTITION BY symbol, date ORDER BY ${precedenceCase(precedence)}, ingested_at DESC, filename DESC) = 1`;
  return `SELECT symbol, date, open, high, low, close, volume, source_name FROM ${source}
    WHERE date BETWEEN DATE ${sqlText(`${year}-01-01`)} AND DATE ${sqlText(`${year}-12-31`)} ${dedupe}`;
}

/**
 * The canonical bars with their file's bucket, stored in (bucket, symbol, date) order so that each
 * curated file's rows are one contiguous run: its COPY skips the rest of the table by zone maps and
 * sorts rows that are already in order.
 */
async function createCanonicalBars(lake: Lake, t: { name: string; buckets: string }, rows: string, buckets: readonly string[]): Promise<void> {
  await lake.query(
    `CREATE OR REPLACE TEMP TABLE ${t.name} AS SELECT r.symbol, r.date, r.open, r.high, r.low, r.close, r.volume, r.source_name, k.bucket
     FROM (${rows}) r JOIN ${t.buckets} k ON k.symbol = r.symbol
     WHERE k.bucket IN (${buckets.map(sqlText).join(', ')})
     ORDER BY k.bucket, r.symbol, r.date`,
  );
}
