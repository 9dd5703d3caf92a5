import type { DatasetName, LedgerRow, PartitionStatus } from '../../catalog/index.js';
import type { ScopePeriodRow } from './scope-sql.js';
import type { DetailRow } from './types.js';

const SAMPLE = 3;

/**
 * One period's rollup from its graded cells: UNAVAILABLE when no cell is within any vendor's reach;
 * RED when no available cell has rows (or is known empty); GREEN when at least `green_min_ratio` of
 * the available cells are GREEN; AMBER otherwise. Detail rows: the non-GREEN cells, except on a
 * wholly RED or UNAVAILABLE period, whose rollup says it all.
 */
export function rollupPeriod(
  dataset: DatasetName,
  row: ScopePeriodRow,
  greenMinRatio: number,
  noun: string,
  auditedAt: string,
): { ledger: LedgerRow; details: DetailRow[] } {
  const scopes = Number(row.scopes);
  const available = scopes - Number(row.unavailable);
  const green = Number(row.green);
  const present = Number(row.present);
  const ratio = available === 0 ? (scopes === 0 ? 1 : 0) : green / available;
  let status: PartitionStatus;
  let reason: string;
  const exceptions = row.exceptions.filter((e) => e.status !== 'UNAVAILABLE');
  const sample = exceptions.slice(0, SAMPLE).map((e) => `${e.scope}: ${e.reason}`).join('; ');
  const unavailableNote = Number(row.unavailable) > 0 ? `; ${row.unavailable} unavailable` : '';
  if (scopes === 0) [status, reason] = ['GREEN', `no ${noun} expected`];
  else if (available === 0) [status, reason] = ['UNAVAILABLE', `no entitled vendor reaches any of ${scopes} ${noun}`];
  else if (present === 0 && green === 0) [status, reason] = ['RED', `no rows for ${available} ${noun}${unavailableNote}`];
  else if (green === available) [status, reason] = ['GREEN', `complete${unavailableNote}`];
  else {
    status = ratio >= greenMinRatio ? 'GREEN' : 'AMBER';
    reason = `${available - green} of ${available} ${noun} not GREEN (${row.red} RED, ${row.amber} AMBER)${unavailableNote}: ${sample}`;
  }
  const ledger: LedgerRow = {
    dataset,
    date: row.date,
    status,
    rows: present,
    expected_rows: available,
    ratio,
    vendor_rows: row.vendor_rows ?? '{}',
    reason,
    audited_at: auditedAt,
  };
  const details: DetailRow[] =
    status === 'RED' || status === 'UNAVAILABLE'
      ? []
      : row.exceptions.map((e) => ({
          dataset,
          scope: e.scope,
          date: row.date,
          status: e.status as PartitionStatus,
          rows: Number(e.rows),
          expected_rows: Number(e.expected),
          reason: e.reason,
          vendors: e.vendors,
        }));
  return { ledger, details };
}

/** NO_SESSION rows for the non-session days of a session dataset's window. */
export function noSessionRow(dataset: DatasetName, date: string, parts: number, auditedAt: string): LedgerRow {
  const reason = parts > 0 ? `not an NYSE session (${parts} raw part files dated here)` : 'not an NYSE session';
  return { dataset, date, status: 'NO_SESSION', rows: 0, expected_rows: 0, ratio: 1, vendor_rows: '{}', reason, audited_at: auditedAt };
}
