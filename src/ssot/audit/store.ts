import { LEDGER_COLUMNS, LEDGER_PATH, ledgerDetailPath, type LedgerRow } from '../../catalog/index.js';
import type { DatasetName } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import { lit, packedRowsSql } from './sql.js';
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

/**
 * Replaces one dataset's detail ledger (`qc/ledger/dataset=<d>/ledger.parquet`), sorted by date
 * then scope. Consecutive rows that differ only in scope (an EOD session's missing symbols) travel
 * as one group and DuckDB expands them: tens of thousands of rows never pass through the JS row writer.
 */
export async function writeLedgerDetail(lake: Lake, dataset: DatasetName, rows: readonly DetailRow[]): Promise<void> {
  await lake.writeTableFromQuery(ledgerDetailPath(dataset), detailSql(dataset, rows));
}

const SCOPE_SEPARATOR = '\u001e';

const byDateThenScope = (a: DetailRow, b: DetailRow): number =>
  a.date === b.date ? (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0) : a.date < b.date ? -1 : 1;

function sameExceptScope(a: DetailRow, b: DetailRow): boolean {
  return a.date === b.date && a.status === b.status && a.rows === b.rows && a.expected_rows === b.expected_rows && a.reason === b.reason && a.vendors === b.vendors;
}

/**
 * The detail rows as a SELECT with LEDGER_DETAIL_COLUMNS' names and types, in date-then-scope order
 * (sorted here: DuckDB keeps a query's row order into the file, and sorting is cheaper in JS than
 * an ORDER BY over the expanded rows).
 */
export function detailSql(dataset: DatasetName, rows: readonly DetailRow[]): string {
  const sorted = rows.every((r, i) => i === 0 || byDateThenScope(rows[i - 1] as DetailRow, r) <= 0) ? rows : [...rows].sort(byDateThenScope);
  const groups: { row: DetailRow; scopes: string[] }[] = [];
  for (const row of sorted) {
    const last = groups[groups.length - 1];
    if (last && sameExceptScope(last.row, row)) last.scopes.push(row.scope);
    else groups.push({ row, scopes: [row.scope] });
  }
  const packed = packedRowsSql(
    [
      { name: 'scopes', type: 'VARCHAR' },
      { name: 'date', type: 'DATE' },
      { name: 'status', type: 'VARCHAR' },
      { name: 'rows', type: 'BIGINT' },
      { name: 'expected_rows', type: 'BIGINT' },
      { name: 'reason', type: 'VARCHAR' },
      { name: 'vendors', type: 'VARCHAR' },
    ],
    groups.map(({ row, scopes }) => [scopes.join(SCOPE_SEPARATOR), row.date, row.status, String(row.rows), String(row.expected_rows), row.reason, row.vendors]),
  );
  return `SELECT ${lit(dataset)} AS dataset, unnest(string_split(scopes, chr(30))) AS scope, date, status, rows, expected_rows, reason, vendors FROM (${packed})`;
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
