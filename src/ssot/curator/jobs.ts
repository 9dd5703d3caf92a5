import { createHash } from 'node:crypto';
import { DATASETS, type Columns, type DatasetName } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { CuratorConfig, CuratorJob } from '../../config/index.js';
import type { Lake } from '../../lake/index.js';
import { curateAdjusted } from './equities-adj.js';
import { CuratorJobError } from './errors.js';
import { manifestPath, sqlIdent, sqlText } from './layout.js';
import { commitChangedParts, manifestHash, readManifest, writeManifest } from './parts.js';
import { dirtyDates, precedenceCase, tempName } from './shared.js';
import { bucketColumn, CORP_ACTION_EXTRA, createBucketTable, curatedColumns, dedupeSql, unionSql } from './tables.js';
import { partitionDate, readJobStates, relativeKey, writeJobStates, type JobState } from './watermark.js';

export interface CuratorJobResult {
  job: string;
  transform: CuratorJob['transform'];
  output: string;
  /** ran: inputs changed or lookback re-curated; unchanged: nothing new since the watermark; disabled: enabled: false. */
  status: 'ran' | 'unchanged' | 'disabled';
  /** Rows in the files recomputed by this run. */
  rows: number;
  filesWritten: number;
  filesUnchanged: number;
  /** Curated file keys rewritten by this run. */
  written: string[];
  /** sha256 over every file of the output (and its companion table): equal content, equal hash. */
  contentHash: string;
  /** Last input date curated (dated inputs), else null. */
  watermark: string | null;
}

export interface RunCuratorJobsOptions {
  lake: Lake;
  config: CuratorConfig;
  clock: Clock;
  /** Only these job names (default: every enabled job). */
  jobs?: readonly string[];
}

interface JobRun {
  lake: Lake;
  job: CuratorJob;
  previous: JobState | undefined;
  config: string;
  lookback: number;
  clock: Clock;
}

interface JobOutcome {
  result: Omit<CuratorJobResult, 'job' | 'transform' | 'output' | 'status'>;
  state: JobState;
}

/**
 * Runs the curator jobs of curator.yml in order, each incremental from its watermark: a job whose
 * input files and settings are unchanged since the last run does nothing; otherwise it recomputes
 * the files a change can reach (plus `lookback_days` sessions behind the watermark) and writes only
 * the files whose content changed. The watermark manifest is saved after every job.
 */
export async function runCuratorJobs(options: RunCuratorJobsOptions): Promise<CuratorJobResult[]> {
  const { lake, config, clock } = options;
  const names = options.jobs ?? Object.keys(config.jobs);
  for (const name of names) if (!config.jobs[name]) throw new CuratorJobError(name, `not in curator.yml (jobs: ${Object.keys(config.jobs).join(', ')})`);
  const states = await readJobStates(lake, config.watermark.bookmark_key);
  const results: CuratorJobResult[] = [];
  for (const name of names) {
    const job = config.jobs[name] as CuratorJob;
    const head = { job: name, transform: job.transform, output: job.output };
    if (!job.enabled) {
      results.push({ ...head, status: 'disabled', rows: 0, filesWritten: 0, filesUnchanged: 0, written: [], contentHash: '', watermark: states.get(name)?.watermark ?? null });
      continue;
    }
    const previous = states.get(name);
    const settings = createHash('sha256').update(JSON.stringify(job)).digest('hex').slice(0, 32);
    const outcome = await runJob({ lake, job, previous, config: settings, lookback: config.watermark.lookback_days, clock });
    const unchanged = outcome === undefined;
    const { result, state } = outcome ?? (await unchangedOutcome(lake, job, previous as JobState));
    results.push({ ...head, status: unchanged ? 'unchanged' : 'ran', ...result });
    states.set(name, { ...state, updatedAt: unchanged ? (previous?.updatedAt ?? null) : new Date(clock.now()).toISOString() });
    await writeJobStates(lake, config.watermark.bookmark_key, states, new Date(clock.now()).toISOString());
  }
  return results;
}

/** undefined when nothing changed since the last run (same input files, same settings). */
async function runJob(run: JobRun): Promise<JobOutcome | undefined> {
  const { job } = run;
  const files = await inputFiles(run.lake, job.input);
  const keys = files.map(relativeKey);
  const previous = run.previous;
  const sameInputs = previous !== undefined && previous.config === run.config && keys.length === previous.files.size && keys.every((k) => previous.files.has(k));
  // adjust_ohlcv also depends on corp_actions: it tracks them by per-symbol factor signatures.
  if (sameInputs && job.transform !== 'adjust_ohlcv') return undefined;
  switch (job.transform) {
    case 'adjust_ohlcv':
      return adjustJob(run);
    case 'dedupe':
      return DATASETS[job.input].kind === 'raw' ? monthlyJob(run, files, keys) : singleFileJob(run, files, keys, dedupeSql(job.input, files, job.vendor_precedence, DATASETS[job.input].key));
    case 'merge_corp_actions':
      requireInput(job, ['corp_actions']);
      return singleFileJob(run, files, keys, mergedCorpActionsSql(files, job), CORP_ACTION_EXTRA);
    case 'latest_filing':
      requireInput(job, ['fundamentals']);
      return latestFilingJob(run, files, keys);
    case 'latest_vintage':
      requireInput(job, ['treasuries', 'macro_series']);
      return latestVintageJob(run, files, keys);
  }
}

async function adjustJob(run: JobRun): Promise<JobOutcome> {
  requireInput(run.job, ['equities_eod']);
  const corp = run.job.corp_actions_precedence;
  if (corp === undefined) throw new CuratorJobError(run.job.name, 'adjust_ohlcv needs corp_actions_precedence');
  const outcome = await curateAdjusted({
    lake: run.lake,
    vendorPrecedence: run.job.vendor_precedence,
    corpActionsPrecedence: corp,
    clock: run.clock,
    previous: run.previous,
    lookbackDays: run.lookback,
    config: run.config,
  });
  const r = outcome.result;
  return {
    result: { rows: r.rows, filesWritten: r.filesWritten, filesUnchanged: r.filesUnchanged, written: outcome.written, contentHash: r.contentHash, watermark: outcome.state.watermark },
    state: outcome.state,
  };
}

function requireInput(job: CuratorJob, allowed: readonly DatasetName[]): void {
  if (!allowed.includes(job.input)) throw new CuratorJobError(job.name, `transform ${job.transform} reads ${allowed.join(' or ')}, not ${job.input}`);
}

async function inputFiles(lake: Lake, dataset: DatasetName): Promise<string[]> {
  return DATASETS[dataset].kind === 'raw' ? lake.rawGlob(dataset) : lake.referenceFiles(dataset);
}

/**
 * Raw datasets deduped across vendors (equities_minute): one file per (month of the session,
 * bucket of the symbol). Only the months holding new part files or sessions within the lookback
 * are re-read; a month file holds ~21 sessions, so a scan reads a few dozen files per year.
 */
async function monthlyJob(run: JobRun, files: string[], keys: string[]): Promise<JobOutcome> {
  const { lake, job } = run;
  const dataset = job.input;
  const by = bucketColumn(dataset);
  if (by === undefined || DATASETS[dataset].partitionColumn === undefined) throw new CuratorJobError(job.name, `dedupe cannot partition ${dataset} by month and symbol`);
  const dates = keys.map(partitionDate);
  const sameConfig = run.previous?.config === run.config;
  const fresh = keys.map((k, i) => (sameConfig && run.previous?.files.has(k) ? undefined : dates[i])).filter((d): d is string => d !== undefined);
  const months = new Set([...(sameConfig ? dirtyDates(dates, run.previous?.watermark ?? null, run.lookback) : dates), ...fresh].filter((d): d is string => d !== undefined).map((d) => d.slice(0, 7)));
  const scoped = files.filter((_, i) => months.has((dates[i] ?? '').slice(0, 7)));
  const columns = curatedColumns(dataset);
  const t = { rows: tempName('rows'), buckets: tempName('buckets'), out: tempName('out') };
  const dateColumn = sqlIdent(DATASETS[dataset].partitionColumn as string);
  return stagedJob(run, files, keys, columns, [...DATASETS[dataset].key], t, async () => {
    if (scoped.length === 0) return false;
    await lake.query(`CREATE OR REPLACE TEMP TABLE ${t.rows} AS ${dedupeSql(dataset, scoped, job.vendor_precedence, DATASETS[dataset].key)}`);
    await createBucketTable(lake, t.buckets, t.rows, by);
    await lake.query(
      `CREATE OR REPLACE TEMP TABLE ${t.out} AS SELECT ${Object.keys(columns).map((c) => `r.${sqlIdent(c)}`).join(', ')},
         'curated/${job.output}/month=' || strftime(r.${dateColumn}, '%Y-%m') || '/bucket=' || b.bucket || '/data.parquet' AS __part
       FROM ${t.rows} r JOIN ${t.buckets} b ON b.value = CAST(r.${sqlIdent(by)} AS VARCHAR)`,
    );
    return true;
  });
}

/** Small reference tables: one file. */
async function singleFileJob(run: JobRun, files: string[], keys: string[], select: string, extra: Columns = {}): Promise<JobOutcome> {
  const columns = curatedColumns(run.job.input, extra);
  const t = { out: tempName('out') };
  const path = sqlText(`curated/${run.job.output}/data.parquet`);
  return stagedJob(run, files, keys, columns, [...DATASETS[run.job.input].key], t, async () => {
    await run.lake.query(`CREATE OR REPLACE TEMP TABLE ${t.out} AS SELECT ${Object.keys(columns).map(sqlIdent).join(', ')}, ${path} AS __part FROM (${select})`);
    return true;
  });
}

/** Corporate actions merged by precedence, with how many vendors report each and whether they disagree. */
function mergedCorpActionsSql(files: readonly string[], job: CuratorJob): string {
  const key = 'symbol, action, ex_date';
  return `WITH perVendor AS (
      SELECT * FROM ${unionSql(files)} QUALIFY row_number() OVER (PARTITION BY source_name, ${key} ORDER BY ingested_at DESC, filename DESC) = 1),
    ranked AS (
      SELECT *, row_number() OVER (PARTITION BY ${key} ORDER BY ${precedenceCase(job.vendor_precedence)}, ingested_at DESC, filename DESC) AS __rank,
        count(*) OVER (PARTITION BY ${key}) AS source_count,
        first_value(coalesce(split_ratio, cash_amount)) OVER (PARTITION BY ${key} ORDER BY ${precedenceCase(job.vendor_precedence)}, ingested_at DESC, filename DESC) AS __best,
        coalesce(split_ratio, cash_amount) AS __value
      FROM perVendor)
    SELECT *, bool_or(__value IS DISTINCT FROM __best AND coalesce(NOT (abs(__value - __best) <= 1e-9 * greatest(1, abs(__best))), true)) OVER (PARTITION BY ${key}) AS disagreement
    FROM ranked QUALIFY __rank = 1`;
}

/** Fundamentals: the latest filing per (symbol, statement, period_end, metric), bucketed by symbol. */
async function latestFilingJob(run: JobRun, files: string[], keys: string[]): Promise<JobOutcome> {
  const { lake, job } = run;
  const columns = curatedColumns('fundamentals');
  const t = { rows: tempName('rows'), buckets: tempName('buckets'), out: tempName('out') };
  const latest = 'filing_date DESC NULLS LAST, accepted_at DESC NULLS LAST';
  return stagedJob(run, files, keys, columns, ['symbol', 'statement', 'period_end', 'metric'], t, async () => {
    await lake.query(`CREATE OR REPLACE TEMP TABLE ${t.rows} AS ${dedupeSql('fundamentals', files, job.vendor_precedence, ['symbol', 'statement', 'period_end', 'metric'], latest)}`);
    await createBucketTable(lake, t.buckets, t.rows, 'symbol');
    await lake.query(
      `CREATE OR REPLACE TEMP TABLE ${t.out} AS SELECT ${Object.keys(columns).map((c) => `r.${sqlIdent(c)}`).join(', ')},
         'curated/${job.output}/bucket=' || b.bucket || '/data.parquet' AS __part FROM ${t.rows} r JOIN ${t.buckets} b ON b.value = r.symbol`,
    );
    return true;
  });
}

/**
 * Treasuries and macro series: `<output>` holds the latest vintage per observation, and
 * `<output>_vintages` every vintage (deduped across vendors), for point-in-time research.
 */
async function latestVintageJob(run: JobRun, files: string[], keys: string[]): Promise<JobOutcome> {
  const { lake, job } = run;
  const dataset = job.input;
  const columns = curatedColumns(dataset);
  const key = DATASETS[dataset].key;
  const observation = key.filter((k) => k !== 'realtime_start');
  const t = { rows: tempName('rows'), out: tempName('out') };
  return stagedJob(run, files, keys, columns, [...key], t, async () => {
    await lake.query(`CREATE OR REPLACE TEMP TABLE ${t.rows} AS ${dedupeSql(dataset, files, job.vendor_precedence, key)}`);
    const names = Object.keys(columns).map(sqlIdent).join(', ');
    await lake.query(
      `CREATE OR REPLACE TEMP TABLE ${t.out} AS
       SELECT ${names}, 'curated/${job.output}_vintages/data.parquet' AS __part FROM ${t.rows}
       UNION ALL
       SELECT ${names}, 'curated/${job.output}/data.parquet' AS __part FROM ${t.rows}
         QUALIFY row_number() OVER (PARTITION BY ${observation.map(sqlIdent).join(', ')} ORDER BY realtime_start DESC) = 1`,
    );
    return true;
  });
}

/**
 * The common tail of every staged job: `stage()` fills `t.out` (with `__part`), then the changed
 * files are committed, the manifest merged and the new state returned. Temp tables are dropped.
 */
async function stagedJob(
  run: JobRun,
  files: readonly string[],
  keys: readonly string[],
  columns: Columns,
  orderBy: readonly string[],
  t: Record<string, string> & { out: string },
  stage: () => Promise<boolean>,
): Promise<JobOutcome> {
  const { lake, job } = run;
  const manifestKey = manifestPath(job.output);
  const previousManifest = await readManifest(lake, manifestKey);
  const dates = keys.map(partitionDate).filter((d): d is string => d !== undefined);
  const watermark = dates.length > 0 ? dates.reduce((a, b) => (b > a ? b : a)) : null;
  const state: JobState = { watermark, config: run.config, files: new Set(keys), signatures: new Map(), updatedAt: null };
  try {
    if (files.length === 0 || !(await stage())) {
      return { result: { rows: 0, filesWritten: 0, filesUnchanged: previousManifest.size, written: [], contentHash: manifestHash(previousManifest.values()), watermark }, state };
    }
    const { entries, written } = await commitChangedParts(lake, { table: t.out, columns, orderBy }, previousManifest, run.clock);
    const manifest = new Map(previousManifest);
    for (const entry of entries) manifest.set(entry.path, entry);
    await writeManifest(lake, manifestKey, manifest.values());
    const rows = entries.reduce((n, e) => n + e.rows, 0);
    return { result: { rows, filesWritten: written.length, filesUnchanged: manifest.size - written.length, written, contentHash: manifestHash(manifest.values()), watermark }, state };
  } finally {
    for (const name of Object.values(t)) await lake.query(`DROP TABLE IF EXISTS ${name}`);
  }
}

async function unchangedOutcome(lake: Lake, job: CuratorJob, previous: JobState): Promise<JobOutcome> {
  const manifest = await readManifest(lake, manifestPath(job.output));
  return {
    result: { rows: 0, filesWritten: 0, filesUnchanged: manifest.size, written: [], contentHash: manifestHash(manifest.values()), watermark: previous.watermark },
    state: previous,
  };
}
