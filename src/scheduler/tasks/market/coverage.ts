import type { DatasetName, EndpointId, VendorId } from '../../../catalog/index.js';
import { sqlFileList, type Lake } from '../../../lake/index.js';
import type { StateStore } from '../../../state/index.js';

/** One coverage record: a completed unit asked `vendor` for `scope` over [start, end] and got `rows`. */
export interface CoverageSpan {
  vendor: VendorId;
  endpoint: EndpointId;
  scope: string;
  start: string;
  end: string;
  rows: number;
  recordedAt: string;
}

export interface CoverageFilter {
  vendors?: readonly VendorId[];
  endpoints?: readonly EndpointId[];
  /** Only spans that reach this date or later. */
  endOnOrAfter?: string;
}

/**
 * A dataset's coverage records, filtered in DuckDB (the records grow with every completed unit;
 * only the relevant ones become JS objects). [] when nothing was ever recorded.
 */
export async function coverageSpans(lake: Lake, dataset: DatasetName, filter: CoverageFilter = {}): Promise<CoverageSpan[]> {
  const files = await lake.coverageFiles(dataset);
  if (files.length === 0) return [];
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.vendors !== undefined) {
    where.push('list_contains(?::VARCHAR[], vendor)');
    params.push([...filter.vendors]);
  }
  if (filter.endpoints !== undefined) {
    where.push('list_contains(?::VARCHAR[], endpoint)');
    params.push([...filter.endpoints]);
  }
  if (filter.endOnOrAfter !== undefined) {
    where.push('"end" >= ?::DATE');
    params.push(filter.endOnOrAfter);
  }
  const rows = await lake.query<{ vendor: VendorId; endpoint: EndpointId; scope: string; start: string; end: string; rows: number; recorded_at: string }>(
    `SELECT vendor, endpoint, scope, "start", "end", "rows", recorded_at
     FROM read_parquet(${sqlFileList(files)}, union_by_name = true, hive_partitioning = false)
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY recorded_at, scope`,
    params,
  );
  return rows.map((r) => ({ vendor: r.vendor, endpoint: r.endpoint, scope: r.scope, start: r.start, end: r.end, rows: Number(r.rows), recordedAt: r.recorded_at }));
}

/** Answers "was `scope` fetched for `date`?" from coverage spans (empty answers count as fetched). */
export class CoverageIndex {
  private readonly byScope = new Map<string, [string, string][]>();

  constructor(spans: readonly CoverageSpan[]) {
    for (const span of spans) {
      const list = this.byScope.get(span.scope);
      if (list) list.push([span.start, span.end]);
      else this.byScope.set(span.scope, [[span.start, span.end]]);
    }
  }

  has(scope: string, date: string): boolean {
    return (this.byScope.get(scope) ?? []).some(([start, end]) => start <= date && date <= end);
  }

  /** Whether every date of [start, end] is inside one recorded span of `scope`. */
  hasRange(scope: string, start: string, end: string): boolean {
    return (this.byScope.get(scope) ?? []).some(([s, e]) => s <= start && end <= e);
  }
}

/**
 * (scope, date) pairs that queued or leased units of `endpoint` will fetch: planning subtracts them,
 * so a symbol batch re-sliced after a partial completion never asks twice for the same thing.
 */
export async function inFlight(state: StateStore, vendor: VendorId, endpoint: EndpointId, sessionsOf: (start: string, end: string) => readonly string[]): Promise<Set<string>> {
  const units = [...(await state.listQueue({ status: 'queued', vendor })), ...(await state.listQueue({ status: 'leased', vendor }))];
  const pairs = new Set<string>();
  for (const unit of units) {
    if (unit.endpoint !== endpoint) continue;
    const { symbols, start, end, date } = unit.params as { symbols?: unknown; start?: unknown; end?: unknown; date?: unknown };
    const from = typeof start === 'string' ? start : typeof date === 'string' ? date : undefined;
    const to = typeof end === 'string' ? end : from;
    if (!Array.isArray(symbols) || from === undefined || to === undefined) continue;
    const dates = sessionsOf(from, to);
    for (const symbol of symbols) for (const d of dates) pairs.add(`${String(symbol)}|${d}`);
  }
  return pairs;
}
