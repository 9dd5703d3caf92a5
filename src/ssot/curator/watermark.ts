import { col } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';

/**
 * The watermark manifest: per job, how far it got, the configuration it ran with, the input files
 * it saw and (for adjusted bars) a signature of each symbol's adjustment factors. Stored as one
 * Parquet table of (job, kind, key, value) rows so every job can keep what it needs.
 */
export interface JobState {
  /** Last input date curated (YYYY-MM-DD), when the input is dated. */
  watermark: string | null;
  /** Hash of the job's settings: a change rebuilds the whole output. */
  config: string;
  /** Input file keys seen (lake-relative). */
  files: Set<string>;
  /** Per-symbol signatures (adjust_ohlcv: the factor steps). */
  signatures: Map<string, string>;
  updatedAt: string | null;
}

const COLUMNS = {
  job: col.string(),
  kind: col.string(),
  key: col.string(),
  value: col.string(),
  updated_at: col.timestamp(),
} as const;

interface StateRow {
  job: string;
  kind: string;
  key: string;
  value: string;
  updated_at: string;
}

/** The bookmark key must be a Parquet table key; a `.json` key (the config default) maps to its `.parquet` sibling. */
export function watermarkPath(bookmarkKey: string): string {
  return bookmarkKey.endsWith('.parquet') ? bookmarkKey : `${bookmarkKey.replace(/\.json$/, '')}.parquet`;
}

export async function readJobStates(lake: Lake, bookmarkKey: string): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  for (const row of await lake.readTable<StateRow>(watermarkPath(bookmarkKey))) {
    let state = states.get(row.job);
    if (!state) {
      state = { watermark: null, config: '', files: new Set(), signatures: new Map(), updatedAt: row.updated_at };
      states.set(row.job, state);
    }
    if (row.kind === 'watermark') state.watermark = row.value === '' ? null : row.value;
    else if (row.kind === 'config') state.config = row.value;
    else if (row.kind === 'file') state.files.add(row.key);
    else if (row.kind === 'signature') state.signatures.set(row.key, row.value);
  }
  return states;
}

export async function writeJobStates(lake: Lake, bookmarkKey: string, states: ReadonlyMap<string, JobState>, now: string): Promise<void> {
  const rows: StateRow[] = [];
  for (const job of [...states.keys()].sort()) {
    const state = states.get(job) as JobState;
    const at = state.updatedAt ?? now;
    rows.push({ job, kind: 'watermark', key: '', value: state.watermark ?? '', updated_at: at });
    rows.push({ job, kind: 'config', key: '', value: state.config, updated_at: at });
    for (const file of [...state.files].sort()) rows.push({ job, kind: 'file', key: file, value: '', updated_at: at });
    for (const [symbol, signature] of [...state.signatures].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      rows.push({ job, kind: 'signature', key: symbol, value: signature, updated_at: at });
    }
  }
  await lake.writeTable(watermarkPath(bookmarkKey), COLUMNS, rows as unknown as Record<string, unknown>[]);
}

/** The lake-relative key of a readable path (`…/raw/alpaca/x/date=…/part-….parquet` → `raw/alpaca/…`). */
export function relativeKey(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const match = /((?:raw\/[a-z]+\/[a-z_]+\/date=[0-9-]+|reference\/[a-z_]+\/vendor=[a-z]+)\/[^/]+\.parquet)$/.exec(normalized);
  return match?.[1] ?? normalized;
}

/** The partition date of a raw part key, if any. */
export function partitionDate(key: string): string | undefined {
  return /\/date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}
