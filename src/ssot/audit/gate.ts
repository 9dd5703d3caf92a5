import { isDatasetName, type DatasetName, type LedgerRow, type PartitionStatus } from '../../catalog/index.js';
import { sessionDatesBetween } from '../../calendar/index.js';
import type { Lake } from '../../lake/index.js';
import type { QcThresholds } from '../grade.js';
import { readLedger } from './store.js';
import type { AuditWindow } from './types.js';

export interface GateFailure {
  date: string;
  /** A ledger status, or MISSING for a partition the ledger has no row for (never audited). */
  status: PartitionStatus | 'MISSING';
  reason: string;
}

export interface GateResult {
  dataset: string;
  green: boolean;
  /** Partitions of the window the gate judged (NO_SESSION days excluded). */
  sessions: number;
  green_sessions: number;
  /** The first few partitions that are not GREEN, oldest first. */
  failing: GateFailure[];
}

const FAILING_SHOWN = 10;

/** What training on a dataset depends on: a curated table on its inputs, a raw or reference dataset on itself. */
export const GATE_DEPENDENCIES: Readonly<Record<string, readonly DatasetName[]>> = {
  equities_ohlcv_adj: ['equities_eod', 'corp_actions'],
};

export function gateDependencies(dataset: string): DatasetName[] {
  const deps = GATE_DEPENDENCIES[dataset];
  if (deps !== undefined) return [...deps];
  return isDatasetName(dataset) ? [dataset] : [];
}

/** Datasets graded once per audit (the rollup row is dated the audit's last day): the gate reads the latest row. */
const SNAPSHOT_DATASETS: ReadonlySet<string> = new Set(['corp_actions']);
/** Datasets whose rows are periods dated by their first day: a window reaches back to its year's first day. */
const PERIOD_DATASETS: ReadonlySet<string> = new Set(['fundamentals', 'delistings', 'macro_series']);

function windowRows(dataset: string, rows: readonly LedgerRow[], window: AuditWindow): LedgerRow[] {
  if (SNAPSHOT_DATASETS.has(dataset)) {
    const latest = rows.reduce<LedgerRow | undefined>((best, r) => (best === undefined || r.date > best.date ? r : best), undefined);
    return latest === undefined ? [] : [latest];
  }
  const start = PERIOD_DATASETS.has(dataset) ? `${window.start.slice(0, 4)}-01-01` : window.start;
  return rows.filter((r) => r.date >= start && r.date <= window.end);
}

/**
 * The training gate for one dataset over a window, from the ledger: GREEN when every session of the
 * window has a ledger row and at least `green_min_ratio` of the judged partitions are GREEN. A
 * session the ledger does not know counts as failing (MISSING): an unaudited window never passes.
 */
export async function isGreen(lake: Lake, dataset: DatasetName, window: AuditWindow, thresholds: QcThresholds): Promise<GateResult> {
  const rows = windowRows(dataset, await readLedger(lake, dataset), window);
  const judged = rows.filter((r) => r.status !== 'NO_SESSION');
  const failing: GateFailure[] = judged.filter((r) => r.status !== 'GREEN').map((r) => ({ date: r.date, status: r.status, reason: r.reason }));
  if (!SNAPSHOT_DATASETS.has(dataset) && !PERIOD_DATASETS.has(dataset) && dataset !== 'macro_series') {
    const known = new Set(rows.map((r) => r.date));
    for (const date of sessionDatesBetween(window.start, window.end)) {
      if (!known.has(date)) failing.push({ date, status: 'MISSING', reason: 'not in the ledger (run trademl audit)' });
    }
  }
  failing.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const greenSessions = judged.filter((r) => r.status === 'GREEN').length;
  const sessions = judged.length + failing.filter((f) => f.status === 'MISSING').length;
  const green = sessions > 0 && greenSessions / sessions >= thresholds.green_min_ratio && !failing.some((f) => f.status === 'MISSING');
  return { dataset, green, sessions, green_sessions: greenSessions, failing: failing.slice(0, FAILING_SHOWN) };
}
