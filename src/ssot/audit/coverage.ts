import type { CoverageEntry, DatasetName } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';

/** Units fetched for a dataset, with their row counts: `given` when the caller passes them, else the lake's coverage record. */
export async function coverageFor(lake: Lake, dataset: DatasetName, given: readonly CoverageEntry[] | undefined): Promise<CoverageEntry[]> {
  const entries = given ?? (await lake.readCoverage(dataset));
  return entries.filter((c) => c.dataset === dataset);
}

/** Per period, a digest of the coverage entries that reach it (a new entry re-grades only its periods). */
export function coverageDigests(entries: readonly CoverageEntry[], periods: readonly string[]): Map<string, string> {
  const keys = new Map<string, string[]>();
  for (const entry of entries) {
    for (let i = lowerBound(periods, entry.start); i < periods.length && (periods[i] as string) <= entry.end; i++) {
      const date = periods[i] as string;
      const list = keys.get(date) ?? [];
      list.push(`${entry.vendor}|${entry.scope}|${entry.start}|${entry.end}|${entry.rows}`);
      keys.set(date, list);
    }
  }
  return new Map([...keys].map(([date, list]) => [date, list.sort().join(';')]));
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
