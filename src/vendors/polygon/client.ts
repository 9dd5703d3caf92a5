import type { CorpActionRow, EquityBarRow, RowFor, SymbolRow } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { AuthFailed, HttpClient, type RequestGate } from '../../http/index.js';
import type { HttpTuning } from '../shared/index.js';
import { fetchDailyRange, fetchGroupedDaily, fetchPreviousClose, type GroupedDailyResult, type PolygonPreviousCloseOptions } from './aggs.js';
import { classifyPolygonError } from './classify.js';
import type { PolygonContext, SkippedRow } from './context.js';
import { fetchOptionContract, fetchOptionContracts, type PolygonOptionContractsParams } from './options.js';
import { fetchTickerDetails } from './ticker-details.js';
import { fetchDividends, fetchSplits, fetchTickers, type PolygonCorpActionParams, type PolygonTickersParams } from './reference.js';

export const POLYGON_BASE_URL = 'https://api.massive.com';
/** Polygon sends no rate-limit headers; after a 429 freeze ~65 s (vendors/polygon.md §6). */
export const POLYGON_RATE_LIMIT_DEFAULT_MS = 65_000;
/** Grouped daily is 1.5–2.5 MB of JSON. */
const POLYGON_TIMEOUT_MS = 60_000;

export interface PolygonClientOptions {
  apiKey: string;
  clock: Clock;
  /** @default https://api.massive.com (TRADEML_POLYGON_BASE_URL; api.polygon.io works too) */
  baseUrl?: string | undefined;
  gate?: RequestGate | undefined;
  http?: HttpTuning | undefined;
  /** Told about every row dropped by a sanity check (junk tickers). */
  onSkip?: ((skipped: SkippedRow) => void) | undefined;
}

export interface PolygonRequestOptions {
  signal?: AbortSignal;
}

export interface PolygonClient {
  /** Every US ticker's raw bar for one session. */
  fetchGroupedDaily(date: string, options?: PolygonRequestOptions): Promise<EquityBarRow[]>;
  /** The same, with the rows skipped by the ticker sanity check. */
  fetchGroupedDailyDetailed(date: string, options?: PolygonRequestOptions): Promise<GroupedDailyResult>;
  fetchDailyRange(symbol: string, from: string, to: string, options?: PolygonRequestOptions): Promise<EquityBarRow[]>;
  fetchSplits(params: PolygonCorpActionParams): Promise<CorpActionRow[]>;
  fetchDividends(params: PolygonCorpActionParams): Promise<CorpActionRow[]>;
  fetchTickers(params: PolygonTickersParams): Promise<SymbolRow[]>;
  /** The option contract master for one underlying as of a date, every page. */
  fetchOptionContracts(params: PolygonOptionContractsParams): Promise<RowFor<'options_contracts'>[]>;
  /** One contract by its OCC symbol (with or without `O:`), as of a date. */
  fetchOptionContract(contract: string, options?: PolygonRequestOptions & { asOf?: string }): Promise<RowFor<'options_contracts'>>;
  /** One ticker's details as a symbols row (`ipo_date` from `list_date`), as of `date` (default: latest). */
  fetchTickerDetails(ticker: string, date?: string, options?: PolygonRequestOptions): Promise<SymbolRow>;
  /** The ticker's bar of the last completed session, raw unless asked otherwise; null when it did not trade. */
  fetchPreviousClose(ticker: string, options?: PolygonPreviousCloseOptions): Promise<EquityBarRow | null>;
}

export function createPolygonClient(options: PolygonClientOptions): PolygonClient {
  if (options.apiKey.trim() === '') throw new AuthFailed('POLYGON_API_KEY (or MASSIVE_API_KEY) must be set', { vendor: 'polygon' });
  const http = new HttpClient({
    timeoutMs: POLYGON_TIMEOUT_MS,
    ...options.http,
    vendor: 'polygon',
    clock: options.clock,
    gate: options.gate,
    secrets: [options.apiKey],
    classify: classifyPolygonError,
    rateLimitDefaultMs: options.http?.rateLimitDefaultMs ?? POLYGON_RATE_LIMIT_DEFAULT_MS,
  });
  const ctx: PolygonContext = {
    http,
    clock: options.clock,
    baseUrl: options.baseUrl ?? POLYGON_BASE_URL,
    headers: { Authorization: `Bearer ${options.apiKey}` },
    onSkip: options.onSkip ?? (() => undefined),
  };
  return {
    fetchGroupedDaily: async (date, opts) => (await fetchGroupedDaily(ctx, date, opts?.signal)).rows,
    fetchGroupedDailyDetailed: (date, opts) => fetchGroupedDaily(ctx, date, opts?.signal),
    fetchDailyRange: (symbol, from, to, opts) => fetchDailyRange(ctx, symbol, from, to, opts?.signal),
    fetchSplits: (params) => fetchSplits(ctx, params),
    fetchDividends: (params) => fetchDividends(ctx, params),
    fetchTickers: (params) => fetchTickers(ctx, params),
    fetchOptionContracts: (params) => fetchOptionContracts(ctx, params),
    fetchOptionContract: (contract, opts) => fetchOptionContract(ctx, contract, opts),
    fetchTickerDetails: (ticker, date, opts) => fetchTickerDetails(ctx, ticker, date, opts?.signal),
    fetchPreviousClose: (ticker, opts) => fetchPreviousClose(ctx, ticker, opts),
  };
}
