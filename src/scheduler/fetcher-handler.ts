import { z } from 'zod';
import { vendorOfEndpoint, type CoverageEntry, type DatasetName, type EndpointId, type RowFor } from '../catalog/index.js';
import { nyDate } from '../calendar/index.js';
import { writeDatasetRows } from '../lake/index.js';
import type { QueueUnit } from '../state/index.js';
import { fetcherFor, type FetchArgs, type VendorClients } from '../vendors/index.js';
import type { Handler, UnitResult } from './handlers.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Unit params of a generic fetch unit: the FetchArgs of `trademl fetch`, as stored in the queue. */
const fetchParamsSchema = z
  .object({
    symbols: z.array(z.string().min(1)).min(1).optional(),
    date: isoDate.optional(),
    start: isoDate.optional(),
    end: isoDate.optional(),
    series: z.array(z.string().min(1)).min(1).optional(),
    statement: z.string().optional(),
    period: z.enum(['annual', 'quarter']).optional(),
  })
  .strip();

export type FetchUnitParams = z.infer<typeof fetchParamsSchema>;

export function hasFetcher(endpoint: EndpointId): boolean {
  return fetcherFor(endpoint) !== undefined;
}

/** Parses a unit's params; a unit written by an older planner fails loudly rather than fetching the wrong thing. */
export function fetchArgsOf(unit: QueueUnit): FetchArgs {
  const parsed = fetchParamsSchema.safeParse(unit.params);
  if (!parsed.success) throw new TypeError(`unit ${unit.identity}: bad parameters (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  const args: FetchArgs = {};
  for (const [key, value] of Object.entries(parsed.data)) if (value !== undefined) (args as Record<string, unknown>)[key] = value;
  return args;
}

/**
 * Runs any endpoint through its vendor fetcher (the same code `trademl fetch` uses), writes the rows
 * and records coverage per requested scope, so an empty answer is remembered as fetched.
 */
export const fetcherHandler: Handler = async (unit, ctx) => {
  const fetcher = fetcherFor(unit.endpoint, unit.dataset);
  if (!fetcher) throw new TypeError(`no fetcher for ${unit.endpoint} → ${unit.dataset}`);
  const vendor = vendorOfEndpoint(unit.endpoint);
  const client = ctx.clients[vendor as keyof VendorClients];
  if (client === undefined) throw new TypeError(`${vendor}: no client configured (missing keys?)`);
  const args = fetchArgsOf(unit);
  const rows = (await fetcher.fetch(client as never, args)) as RowFor<DatasetName>[];
  const written = await writeDatasetRows(ctx.lake, vendor, fetcher.dataset, rows);
  const nowMs = ctx.nowMs?.() ?? Date.now();
  await ctx.lake.recordCoverage(coverageOf(unit, fetcher.dataset, args, rows, nowMs));
  const result: UnitResult = { rows: written.rows, partitionsWritten: written.parts, partitionsDeduped: written.deduped };
  return result;
};

/** The column that names a row's scope (symbol, underlier, series), per dataset. */
const SCOPE_COLUMN: Partial<Record<DatasetName, string>> = {
  equities_eod: 'symbol',
  equities_minute: 'symbol',
  options_chain: 'underlying',
  options_chain_hist: 'underlying',
  options_bars: 'contract',
  options_contracts: 'underlying',
  corp_actions: 'symbol',
  fundamentals: 'symbol',
  treasuries: 'series_id',
  macro_series: 'series_id',
};

/**
 * How far back a whole-list answer reaches when the request names no range: Alpha Vantage's
 * LISTING_STATUS (state=delisted) lists every delisting since 2010 (vendor notes), so one answer
 * covers those years.
 */
const LIST_HISTORY_START: Partial<Record<EndpointId, string>> = { 'av.listing_status': '2010-01-01' };

export function coverageOf(unit: QueueUnit, dataset: DatasetName, args: FetchArgs, rows: readonly RowFor<DatasetName>[], nowMs: number): CoverageEntry[] {
  const today = nyDate(nowMs);
  const listStart = dataset === 'delistings' ? LIST_HISTORY_START[unit.endpoint] : undefined;
  const start = args.start ?? args.date ?? listStart ?? today;
  const end = args.end ?? args.date ?? (args.start !== undefined || listStart !== undefined ? today : start);
  const scopes = args.symbols ?? args.series ?? ['*'];
  const column = SCOPE_COLUMN[dataset];
  const counts = new Map<string, number>();
  for (const row of rows) {
    const scope = column === undefined || scopes[0] === '*' ? '*' : String((row as Record<string, unknown>)[column]);
    counts.set(scope, (counts.get(scope) ?? 0) + 1);
  }
  const recordedAt = new Date(nowMs).toISOString();
  return scopes.map((scope) => ({ dataset, vendor: unit.vendor, endpoint: unit.endpoint, scope, start, end: end < start ? start : end, rows: counts.get(scope) ?? 0, recorded_at: recordedAt }));
}
