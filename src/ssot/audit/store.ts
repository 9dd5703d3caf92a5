import { LEDGER_COLUMNS, LEDGER_PATH, LEDGER_DETAIL_COLUMNS, ledgerDetailPath, type LedgerRow } from '../../catalog/index.js';
import type { DatasetName } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import type { DetailRow } from './types.js';

/**
 * Replaces the ledger rows of the audited datasets and keeps every other dataset's rows, so an audit
 * of one table never drops another's history (the original overwrote the whole ledger).
 */
export async function writeLedger(lake: Lake, rows: LedgerRow[]): Promise<void> {
  const audited = new Set(rows.map((r) => r.dataset));
  const kept = (await lake.readTable<LedgerRow>(LEDGER_PATH)).filter((r) => !audited.has(r.dataset));
  const all = [...kept, ...rows].sort((a, b) => (a.dataset === b.dataset ? (a.date < b.date ? -1 : 1) : a.dataset < b.dataset ? -1 : 1));
  await lake.writeTable(LEDGER_PATH, LEDGER_COLUMNS, all);
}

export async function readLedger(lake: Lake, dataset?: string): Promise<LedgerRow[]> {
  const rows = await lake.readTable<LedgerRow>(LEDGER_PATH);
  return dataset === undefined ? rows : rows.filter((r) => r.dataset === dataset);
}

/** Replaces one dataset's detail ledger (`qc/ledger/dataset=<d>/ledger.parquet`). */
export async function writeLedgerDetail(lake: Lake, dataset: DatasetName, rows: readonly DetailRow[]): Promise<void> {
  const sorted = [...rows].sort((a, b) => (a.date === b.date ? (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0) : a.date < b.date ? -1 : 1));
  await lake.writeTable(ledgerDetailPath(dataset), LEDGER_DETAIL_COLUMNS, sorted as unknown as Record<string, unknown>[]);
}

/** The non-GREEN (scope, period) rows of a dataset's last audit, optionally of one period. */
export async function readLedgerDetail(lake: Lake, dataset: DatasetName, date?: string): Promise<DetailRow[]> {
  const rows = await lake.readTable<DetailRow>(ledgerDetailPath(dataset));
  const typed = rows.map((r) => ({ ...r, rows: Number(r.rows), expected_rows: Number(r.expected_rows) }));
  return date === undefined ? typed : typed.filter((r) => r.date === date);
}

export interface LedgerSummary {
  sessions: number;
  green: number;
  amber: number;
  red: number;
  greenRatio: number;
}

/** Counts over the rows that are partitions (NO_SESSION rows are not). */
export function summarizeLedger(rows: readonly LedgerRow[]): LedgerSummary {
  const count = (status: string): number => rows.filter((r) => r.status === status).length;
  const sessions = rows.filter((r) => r.status !== 'NO_SESSION').length;
  const green = count('GREEN');
  return { sessions, green, amber: count('AMBER'), red: count('RED'), greenRatio: sessions === 0 ? 0 : green / sessions };
}
