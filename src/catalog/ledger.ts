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
