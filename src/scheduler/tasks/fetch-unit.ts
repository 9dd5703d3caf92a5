import { createHash } from 'node:crypto';
import { vendorOfEndpoint, type DatasetName, type EndpointId } from '../../catalog/index.js';
import type { QueueUnitInput, UnitOrigin } from '../../state/index.js';
import type { FetchUnitParams } from '../fetcher-handler.js';

function digest(values: readonly string[]): string {
  return createHash('sha256').update([...values].sort().join(',')).digest('hex').slice(0, 16);
}

/**
 * A unit run by the generic fetcher handler: its params are the endpoint's FetchArgs. The identity
 * names endpoint, dataset and arguments (symbol/series lists as count + digest), so the same work
 * planned twice is one unit. `tag` distinguishes deliberate re-fetches of the same arguments (e.g.
 * a daily snapshot: `as-of=2024-05-01`).
 */
export function fetchUnit(options: {
  endpoint: EndpointId;
  dataset: DatasetName;
  params: FetchUnitParams;
  priority: number;
  origin: UnitOrigin;
  tag?: string;
  notBeforeMs?: number;
}): QueueUnitInput {
  const { endpoint, dataset, params } = options;
  const parts: string[] = [endpoint, dataset];
  const list = (name: string, values: readonly string[] | undefined): void => {
    if (values === undefined) return;
    parts.push(values.length === 1 ? `${name}=${values[0]}` : `${name}=${values.length}:${digest(values)}`);
  };
  list('symbols', params.symbols);
  list('series', params.series);
  if (params.date !== undefined) parts.push(params.date);
  if (params.start !== undefined || params.end !== undefined) parts.push(`${params.start ?? ''}..${params.end ?? ''}`);
  if (params.statement !== undefined) parts.push(`statement=${params.statement}`);
  if (params.period !== undefined) parts.push(`period=${params.period}`);
  if (options.tag !== undefined) parts.push(options.tag);
  const sorted: FetchUnitParams = { ...params };
  if (params.symbols) sorted.symbols = [...params.symbols].sort();
  if (params.series) sorted.series = [...params.series].sort();
  return {
    identity: parts.join('|'),
    vendor: vendorOfEndpoint(endpoint),
    dataset,
    endpoint,
    params: sorted as Record<string, unknown>,
    priority: options.priority,
    origin: options.origin,
    cost: 1,
    ...(options.notBeforeMs === undefined ? {} : { notBeforeMs: options.notBeforeMs }),
  };
}
