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
  for (const date of [...byDate.keys()].sort()) {
    count((await lake.writeRawPartition(dataset, vendor, date, byDate.get(date) as RowFor<D>[])).written);
  }
  return result;
}
