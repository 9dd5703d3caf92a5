import { createHash } from 'node:crypto';
import { col, EQUITIES_OHLCV_ADJ, type AdjustedBarRow, type VendorId } from '../catalog/index.js';
import { sqlFileList, type Lake } from '../lake/index.js';
import { adjustSymbol, type AdjustmentLogEntry, type RawDailyBar } from './adjust.js';
import { mergeCorporateActions } from './corp-actions.js';

/**
 * Curated files are consolidated per (year, symbol bucket): a scan reads a few dozen files instead of
 * one per session (day files cost 4–7× on scans), and a corporate action that changes one symbol
 * rewrites only the files of that symbol's bucket for the years before its ex-date.
 */
export const CURATED_BUCKETS = 16;
const TABLE = 'equities_ohlcv_adj';
const MANIFEST_PATH = `manifests/curated_${TABLE}.parquet`;
const LOG_PATH = `curated/adjustment_log/data.parquet`;

const MANIFEST_COLUMNS = { path: col.string(), hash: col.string(), rows: col.bigint() } as const;
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

export interface CurateOptions {
  lake: Lake;
  vendorPrecedence: VendorId[];
  corpActionsPrecedence: VendorId[];
}

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

export function bucketOf(symbol: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i += 1) {
    hash ^= symbol.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % CURATED_BUCKETS).padStart(2, '0');
}

export function curatedPath(year: string, bucket: string): string {
  return `curated/${TABLE}/year=${year}/bucket=${bucket}/data.parquet`;
}

/**
 * Rebuilds equities_ohlcv_adj deterministically from the canonical raw bars (the first vendor of the
 * precedence list that has each (symbol, date)) and the merged corporate actions. Files whose content
 * did not change are not rewritten.
 */
export async function curateEquities(options: CurateOptions): Promise<CurateResult> {
  const { lake } = options;
  const bars = await canonicalBars(lake, options.vendorPrecedence);
  const actions = mergeCorporateActions(await lake.readReference('corp_actions'), options.corpActionsPrecedence);
  const barsBySymbol = groupBy(bars, (b) => b.symbol);
  const actionsBySymbol = groupBy(actions, (a) => a.symbol);
  const files = new Map<string, AdjustedBarRow[]>();
  const logRows: Record<string, unknown>[] = [];
  let applied = 0;
  let skipped = 0;
  for (const symbol of [...barsBySymbol.keys()].sort()) {
    const symbolActions = actionsBySymbol.get(symbol) ?? [];
    const { rows, log } = adjustSymbol(barsBySymbol.get(symbol) ?? [], symbolActions);
    for (const row of rows) {
      const path = curatedPath(row.date.slice(0, 4), bucketOf(symbol));
      const list = files.get(path);
      if (list) list.push(row);
      else files.set(path, [row]);
    }
    for (const entry of log) {
      if (entry.multiplier === null) skipped += 1;
      else applied += 1;
      logRows.push(logRow(entry, symbolActions));
    }
  }
  const previous = new Map((await lake.readTable<{ path: string; hash: string }>(MANIFEST_PATH)).map((m) => [m.path, m.hash]));
  const manifest: { path: string; hash: string; rows: number }[] = [];
  let written = 0;
  for (const path of [...files.keys()].sort()) {
    const rows = files.get(path) as AdjustedBarRow[];
    const hash = contentHash(rows);
    manifest.push({ path, hash, rows: rows.length });
    if (previous.get(path) === hash) continue;
    await lake.writeTable(path, EQUITIES_OHLCV_ADJ.columns, rows);
    written += 1;
  }
  await lake.writeTable(LOG_PATH, LOG_COLUMNS, logRows);
  await lake.writeTable(MANIFEST_PATH, MANIFEST_COLUMNS, manifest);
  return {
    rows: bars.length,
    symbols: barsBySymbol.size,
    filesWritten: written,
    filesUnchanged: manifest.length - written,
    contentHash: createHash('sha256').update(manifest.map((m) => `${m.path}:${m.hash}`).join('\n')).digest('hex'),
    adjustmentsApplied: applied,
    adjustmentsSkipped: skipped,
  };
}

/** Reads the curated table back (all files), sorted by symbol then date. */
export async function readCurated(lake: Lake): Promise<AdjustedBarRow[]> {
  const manifest = await lake.readTable<{ path: string }>(MANIFEST_PATH);
  const rows: AdjustedBarRow[] = [];
  for (const { path } of manifest) rows.push(...(await lake.readTable<AdjustedBarRow>(path)));
  return rows.sort((a, b) => (a.symbol === b.symbol ? (a.date < b.date ? -1 : 1) : a.symbol < b.symbol ? -1 : 1));
}

export async function curatedContentHash(lake: Lake): Promise<string | undefined> {
  const manifest = await lake.readTable<{ path: string; hash: string }>(MANIFEST_PATH);
  if (manifest.length === 0) return undefined;
  return createHash('sha256').update(manifest.map((m) => `${m.path}:${m.hash}`).join('\n')).digest('hex');
}

function contentHash(rows: readonly AdjustedBarRow[]): string {
  const hash = createHash('sha256');
  const names = Object.keys(EQUITIES_OHLCV_ADJ.columns) as (keyof AdjustedBarRow)[];
  for (const row of rows) hash.update(`${names.map((n) => String(row[n])).join('\u001f')}\n`);
  return hash.digest('hex');
}

/**
 * One bar per (symbol, session): the first vendor of the precedence list that has it, its newest
 * row. Done in DuckDB and returning only the columns curation needs, because turning full raw rows
 * (lineage strings included) into JS objects costs more than the whole adjustment.
 */
async function canonicalBars(lake: Lake, precedence: readonly VendorId[]): Promise<RawDailyBar[]> {
  const files = await lake.rawGlob('equities_eod');
  if (files.length === 0) return [];
  const rank = precedence.map((vendor, i) => `WHEN '${vendor}' THEN ${i}`).join(' ');
  return lake.query<RawDailyBar>(`
    SELECT symbol, strftime(date, '%Y-%m-%d') AS date, open, high, low, close, volume, source_name
    FROM read_parquet(${sqlFileList(files)}, union_by_name = true)
    QUALIFY row_number() OVER (PARTITION BY symbol, date ORDER BY CASE source_name ${rank} ELSE ${precedence.length} END, ingested_at DESC) = 1`);
}

function logRow(entry: AdjustmentLogEntry, actions: readonly { ex_date: string; action: string; source_count: number; disagreement: boolean }[]): Record<string, unknown> {
  const merged = actions.find((a) => a.ex_date === entry.ex_date && a.action === entry.action);
  return { ...entry, source_count: merged?.source_count ?? 1, disagreement: merged?.disagreement ?? false };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
