import { ENDPOINT_IDS, type EquityBarRow, type EndpointId, type RowFor } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import type { QueueUnit } from '../state/index.js';
import type { VendorClients } from '../vendors/index.js';
import { Transient } from '../http/index.js';
import { fetcherHandler, hasFetcher } from './fetcher-handler.js';

export type { VendorClients } from '../vendors/index.js';

export interface HandlerContext {
  lake: Lake;
  clients: VendorClients;
  /** The executor's clock reading, for coverage records. */
  nowMs?: () => number;
}

/** What running a unit produced (for progress, the run log and the summary). */
export interface UnitResult {
  rows: number;
  partitionsWritten: number;
  partitionsDeduped: number;
  requests?: number;
}

export type Handler = (unit: QueueUnit, ctx: HandlerContext) => Promise<UnitResult>;

function param<T>(unit: QueueUnit, name: string): T {
  const value = unit.params[name];
  if (value === undefined) throw new TypeError(`unit ${unit.identity}: missing parameter ${name}`);
  return value as T;
}

function client<K extends keyof VendorClients>(ctx: HandlerContext, vendor: K): NonNullable<VendorClients[K]> {
  const found = ctx.clients[vendor];
  if (!found) throw new TypeError(`${vendor}: no client configured (missing keys?)`);
  return found as NonNullable<VendorClients[K]>;
}

/** Writes one part per session; identical re-fetches dedupe in the lake. */
async function writeByDate(ctx: HandlerContext, vendor: 'alpaca' | 'polygon', rows: EquityBarRow[]): Promise<UnitResult> {
  const byDate = new Map<string, EquityBarRow[]>();
  for (const row of rows) {
    const list = byDate.get(row.date);
    if (list) list.push(row);
    else byDate.set(row.date, [row]);
  }
  const result: UnitResult = { rows: rows.length, partitionsWritten: 0, partitionsDeduped: 0 };
  for (const date of [...byDate.keys()].sort()) {
    const dayRows = (byDate.get(date) as EquityBarRow[]).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    const written = await ctx.lake.writeRawPartition('equities_eod', vendor, date, dayRows);
    if (written.written) result.partitionsWritten += 1;
    else result.partitionsDeduped += 1;
  }
  return result;
}

const alpacaBars: Handler = async (unit, ctx) => {
  const alpaca = client(ctx, 'alpaca');
  const rows: EquityBarRow[] = [];
  let pages = 0;
  const stream = alpaca.streamDailyBars({
    symbols: param<string[]>(unit, 'symbols'),
    start: param<string>(unit, 'start'),
    end: param<string>(unit, 'end'),
    feed: param<'sip' | 'iex'>(unit, 'feed'),
  });
  for await (const page of stream) {
    pages += 1;
    rows.push(...page.rows);
  }
  return { ...(await writeByDate(ctx, 'alpaca', rows)), requests: pages };
};

const polygonGroupedDaily: Handler = async (unit, ctx) => {
  const date = param<string>(unit, 'date');
  const rows = await client(ctx, 'polygon').fetchGroupedDaily(date);
  if (rows.length === 0) {
    // A completed session with no rows means the vendor has not built the day yet: retry later.
    throw new Transient(`grouped daily for session ${date} is empty`, { vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily' });
  }
  return { ...(await writeByDate(ctx, 'polygon', rows)), requests: 1 };
};

async function writeReference<D extends 'symbols' | 'corp_actions'>(ctx: HandlerContext, dataset: D, vendor: 'alpaca' | 'polygon', rows: RowFor<D>[]): Promise<UnitResult> {
  if (rows.length === 0) return { rows: 0, partitionsWritten: 0, partitionsDeduped: 0 };
  const written = await ctx.lake.writeReference(dataset, vendor, rows);
  return { rows: rows.length, partitionsWritten: written.written ? 1 : 0, partitionsDeduped: written.written ? 0 : 1 };
}

const alpacaAssets: Handler = async (_unit, ctx) => writeReference(ctx, 'symbols', 'alpaca', await client(ctx, 'alpaca').fetchAssets());

const polygonTickers: Handler = async (unit, ctx) =>
  writeReference(ctx, 'symbols', 'polygon', await client(ctx, 'polygon').fetchTickers({ active: param<boolean>(unit, 'active'), market: 'stocks' }));

const alpacaCorporateActions: Handler = async (unit, ctx) =>
  writeReference(ctx, 'corp_actions', 'alpaca', await client(ctx, 'alpaca').fetchCorporateActions({ start: param(unit, 'start'), end: param(unit, 'end') }));

const polygonSplits: Handler = async (unit, ctx) =>
  writeReference(ctx, 'corp_actions', 'polygon', await client(ctx, 'polygon').fetchSplits({ from: param(unit, 'start'), to: param(unit, 'end') }));

const polygonDividends: Handler = async (unit, ctx) =>
  writeReference(ctx, 'corp_actions', 'polygon', await client(ctx, 'polygon').fetchDividends({ from: param(unit, 'start'), to: param(unit, 'end') }));

const HANDLERS: Partial<Record<EndpointId, Handler>> = {
  'alpaca.bars': alpacaBars,
  'alpaca.assets': alpacaAssets,
  'alpaca.corporate_actions': alpacaCorporateActions,
  'polygon.aggs.grouped_daily': polygonGroupedDaily,
  'polygon.reference.tickers': polygonTickers,
  'polygon.reference.splits': polygonSplits,
  'polygon.reference.dividends': polygonDividends,
};

/**
 * The handler of an endpoint: a dedicated one where the endpoint needs more than fetch-and-write
 * (streaming pages, an empty-session check), else the generic one over the vendor's fetcher.
 */
export function handlerFor(endpoint: EndpointId): Handler | undefined {
  return HANDLERS[endpoint] ?? (hasFetcher(endpoint) ? fetcherHandler : undefined);
}

export function supportedEndpoints(): EndpointId[] {
  return ENDPOINT_IDS.filter((endpoint) => handlerFor(endpoint) !== undefined);
}
