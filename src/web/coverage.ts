import { DATASET_NAMES, type LedgerRow, type PartitionStatus } from '../catalog/index.js';
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
  const cells = rows.map(coverageCell).sort(byDate);
  return { dataset, since: since ?? null, summary: summarizeLedger(rows), cells };
}

/** Every dataset the ledger holds, one `Coverage` each, in catalog order (unknown names last). */
export async function readAllCoverage(lake: Lake, since?: string): Promise<Coverage[]> {
  const byDataset = new Map<string, LedgerRow[]>();
  for (const row of await readLedger(lake)) {
    if (since !== undefined && row.date < since) continue;
    const rows = byDataset.get(row.dataset) ?? [];
    rows.push(row);
    byDataset.set(row.dataset, rows);
  }
  return [...byDataset.keys()].sort(byCatalogOrder).map((dataset) => {
    const rows = byDataset.get(dataset) as LedgerRow[];
    return { dataset, since: since ?? null, summary: summarizeLedger(rows), cells: rows.map(coverageCell).sort(byDate) };
  });
}

function byCatalogOrder(a: string, b: string): number {
  const rank = (d: string): number => {
    const i = (DATASET_NAMES as readonly string[]).indexOf(d);
    return i === -1 ? DATASET_NAMES.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function byDate(a: CoverageCell, b: CoverageCell): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
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
