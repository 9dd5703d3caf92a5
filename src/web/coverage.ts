import type { LedgerRow, PartitionStatus } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import { readLedger, summarizeLedger, type LedgerSummary } from '../ssot/index.js';

/** One ledger row as the dashboard shows it: numbers as numbers, vendor rows parsed. */
export interface CoverageCell {
  date: string;
  status: PartitionStatus;
  rows: number;
  expected: number;
  ratio: number;
  vendors: Record<string, number>;
  reason: string;
}

export interface Coverage {
  dataset: string;
  since: string | null;
  summary: LedgerSummary;
  cells: CoverageCell[];
}

/** The ledger of one dataset from `since` on, ordered by date. */
export async function readCoverage(lake: Lake, dataset: string, since?: string): Promise<Coverage> {
  const rows = (await readLedger(lake, dataset)).filter((r) => since === undefined || r.date >= since);
  const cells = rows.map(coverageCell).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { dataset, since: since ?? null, summary: summarizeLedger(rows), cells };
}

export function coverageCell(row: LedgerRow): CoverageCell {
  return {
    date: row.date,
    status: row.status,
    rows: Number(row.rows),
    expected: Number(row.expected_rows),
    ratio: Number(row.ratio),
    vendors: parseVendorRows(row.vendor_rows),
    reason: row.reason ?? '',
  };
}

function parseVendorRows(text: string | null | undefined): Record<string, number> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  } catch {
    return {};
  }
}
