import { DATASETS, type DatasetName, type RowFor, type VendorId } from '../catalog/index.js';
import type { Lake } from './lake.js';

export interface RowsWritten {
  rows: number;
  parts: number;
  deduped: number;
}

/**
 * Commits a vendor's canonical rows of any dataset: raw datasets one part per session (the
 * partition column), reference datasets one part. Identical re-fetches dedupe in the lake.
 */
export async function writeDatasetRows<D extends DatasetName>(lake: Lake, vendor: VendorId, dataset: D, rows: readonly RowFor<D>[]): Promise<RowsWritten> {
  const result: RowsWritten = { rows: rows.length, parts: 0, deduped: 0 };
  if (rows.length === 0) return result;
  const spec = DATASETS[dataset];
  const count = (written: boolean): void => {
    if (written) result.parts += 1;
    else result.deduped += 1;
  };
  if (spec.kind === 'reference') {
    count((await lake.writeReference(dataset, vendor, [...rows])).written);
    return result;
  }
  const column = (spec as { partitionColumn?: string }).partitionColumn as string;
  const byDate = new Map<string, RowFor<D>[]>();
  for (const row of rows) {
    const date = String((row as Record<string, unknown>)[column]);
    const list = byDate.get(date);
    if (list) list.push(row);
    else byDate.set(date, [row]);
  }
  // A few sessions in flight: one's rows are checked and hashed (JS) while another's Parquet is
  // written and synced (DuckDB and the file system), instead of each waiting for the other.
  const dates = [...byDate.keys()].sort();
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < dates.length) {
      const date = dates[next++] as string;
      try {
        count((await lake.writeRawPartition(dataset, vendor, date, byDate.get(date) as RowFor<D>[])).written);
      } catch (error) {
        failed = true; // no new session starts after a refused one, as when written one by one
        throw error;
      }
    }
  };
  await settleAll(Array.from({ length: Math.min(PARTITIONS_IN_FLIGHT, dates.length) }, worker));
  return result;
}

const PARTITIONS_IN_FLIGHT = 4;

/** Like Promise.all, but waits for every worker before rethrowing the first failure (no write left running). */
async function settleAll(work: readonly Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(work);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}
