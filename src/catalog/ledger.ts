import { col, type RowOf } from './columns.js';

export const PARTITION_STATUSES = ['GREEN', 'AMBER', 'RED', 'NO_SESSION', 'UNAVAILABLE'] as const;
export type PartitionStatus = (typeof PARTITION_STATUSES)[number];

/** `qc/partition_status.parquet`: one row per (dataset, session), graded from what is in the lake. */
export const LEDGER_COLUMNS = {
  dataset: col.string(),
  date: col.date(),
  status: col.string(),
  /** Distinct symbols (or rows) present for the session, any vendor. */
  rows: col.bigint(),
  expected_rows: col.bigint(),
  ratio: col.double(),
  /** JSON object vendor → rows present, e.g. {"alpaca":300,"polygon":298}. */
  vendor_rows: col.string(),
  reason: col.string(),
  audited_at: col.timestamp(),
} as const;

export type LedgerRow = Omit<RowOf<typeof LEDGER_COLUMNS>, 'status'> & { status: PartitionStatus };

export const LEDGER_PATH = 'qc/partition_status.parquet';

/**
 * `qc/ledger/dataset=<d>/ledger.parquet`: the (scope, period) rows of a dataset's last audit that
 * are not GREEN — a symbol, underlier, series or '*' — on periods not wholly RED or UNAVAILABLE.
 */
export const LEDGER_DETAIL_COLUMNS = {
  dataset: col.string(),
  scope: col.string(),
  date: col.date(),
  status: col.string(),
  rows: col.bigint(),
  expected_rows: col.bigint(),
  reason: col.string(),
  /** Vendors with rows for this scope and period, comma-separated. */
  vendors: col.string(),
} as const;

export function ledgerDetailPath(dataset: string): string {
  return `qc/ledger/dataset=${dataset}/ledger.parquet`;
}

/** `qc/audit_manifest/dataset=<d>/manifest.parquet`: the raw part names each audited partition had. */
export const AUDIT_MANIFEST_COLUMNS = {
  dataset: col.string(),
  date: col.date(),
  /** Part names (`<vendor>/part-….parquet`) of the partition when it was graded, sorted, newline-joined. */
  files: col.string(),
  /** Fingerprint of the audit's inputs (window, thresholds, lists, reference and coverage state). */
  inputs: col.string(),
} as const;

export function auditManifestPath(dataset: string): string {
  return `qc/audit_manifest/dataset=${dataset}/manifest.parquet`;
}

/** `qc/audit_seen/equities_eod.parquet`: each symbol's first and last bar and listing window, for incremental audits. */
export const AUDIT_SEEN_COLUMNS = {
  symbol: col.string(),
  first_date: col.date(),
  last_date: col.date(),
  start_date: col.date(),
  end_date: col.optDate(),
} as const;

export const AUDIT_SEEN_PATH = 'qc/audit_seen/equities_eod.parquet';
