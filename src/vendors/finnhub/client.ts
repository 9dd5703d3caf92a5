import type { CorpActionRow, EquityBarRow, RowFor, SymbolRow } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { AuthFailed, HttpClient, type RequestGate } from '../../http/index.js';
import type { HttpTuning } from '../shared/index.js';
import { fetchCandleDaily } from './candles.js';
import { classifyFinnhubError } from './classify.js';
import type { FinnhubContext, FinnhubSkip } from './context.js';
import { fetchOptionChain, type FinnhubOptionChainResult, type OptionChainRow } from './option-chain.js';
import { fetchSplits, fetchSymbols, type FinnhubSymbolsParams } from './reference.js';
import { fetchDividends } from './dividends.js';
import { fetchEarningsCalendar, type FinnhubEarningsParams, type FinnhubEarningsRow } from './earnings.js';
import { fetchFinancialsReported, type FinnhubFinancialsOptions } from './financials-reported.js';
import { fetchBasicFinancials, type FinnhubBasicFinancials } from './metric.js';
import { fetchProfile } from './profile.js';

/** vendors/finnhub.md §1; api.finnhub.io serves the same API (TRADEML_FINNHUB_BASE_URL). */
export const FINNHUB_BASE_URL = 'https://finnhub.io/api/v1';
/** 60 calls/min: a 429 without X-Ratelimit-Reset waits out one whole minute window. */
export const FINNHUB_RATE_LIMIT_DEFAULT_MS = 60_000;
/** Finnhub accepts the key as `token=` or this header; the header keeps it out of every URL. */
export const FINNHUB_TOKEN_HEADER = 'X-Finnhub-Token';

export interface FinnhubClientOptions {
  apiKey: string;
  clock: Clock;
  /** @default https://finnhub.io/api/v1 */
  baseUrl?: string | undefined;
  gate?: RequestGate | undefined;
  http?: HttpTuning | undefined;
  /** Told about every row dropped by a sanity check (junk symbols, inconsistent contracts). */
  onSkip?: ((skipped: FinnhubSkip) => void) | undefined;
}

export interface FinnhubRequestOptions {
  signal?: AbortSignal;
}

export interface FinnhubClient {
  /** Daily candles of one symbol, sessions start..end inclusive (premium on free keys). */
  fetchCandleDaily(symbol: string, start: string, end: string, options?: FinnhubRequestOptions): Promise<EquityBarRow[]>;
  /** One underlying's whole chain, one row per contract, as of now on the client's clock. */
  fetchOptionChain(symbol: string, options?: FinnhubRequestOptions): Promise<OptionChainRow[]>;
  /** The same, with the IV unit assumed, the skipped contracts and the capture instant. */
  fetchOptionChainDetailed(symbol: string, options?: FinnhubRequestOptions): Promise<FinnhubOptionChainResult>;
  fetchSymbols(params?: FinnhubSymbolsParams): Promise<SymbolRow[]>;
  /** Splits with ex date in from..to (premium on free keys). */
  fetchSplits(symbol: string, from: string, to: string, options?: FinnhubRequestOptions): Promise<CorpActionRow[]>;
  /** Cash dividends with ex date in from..to (premium on free keys; counted against `finnhub.splits`). */
  fetchDividends(symbol: string, from: string, to: string, options?: FinnhubRequestOptions): Promise<CorpActionRow[]>;
  /** `/stock/profile2` as one symbols row; NotFound when Finnhub does not cover the symbol. */
  fetchProfile(symbol: string, options?: FinnhubRequestOptions): Promise<SymbolRow>;
  /** `/stock/metric?metric=all`: a few named metrics and the period series (today's snapshot). */
  fetchBasicFinancials(symbol: string, options?: FinnhubRequestOptions): Promise<FinnhubBasicFinancials>;
  /** `/stock/financials-reported` as long-format fundamentals rows (XBRL concept names). */
  fetchFinancialsReported(symbol: string, options?: FinnhubFinancialsOptions): Promise<RowFor<'fundamentals'>[]>;
  /** `/calendar/earnings` rows for a window (free keys: about one month of history). */
  fetchEarningsCalendar(params: FinnhubEarningsParams): Promise<FinnhubEarningsRow[]>;
}

export function createFinnhubClient(options: FinnhubClientOptions): FinnhubClient {
  if (options.apiKey.trim() === '') throw new AuthFailed('FINNHUB_API_KEY must be set', { vendor: 'finnhub' });
  const http = new HttpClient({
    timeoutMs: 60_000,
    ...options.http,
    vendor: 'finnhub',
    clock: options.clock,
    gate: options.gate,
    secrets: [options.apiKey],
    classify: classifyFinnhubError,
    rateLimitDefaultMs: options.http?.rateLimitDefaultMs ?? FINNHUB_RATE_LIMIT_DEFAULT_MS,
  });
  const ctx: FinnhubContext = {
    http,
    clock: options.clock,
    baseUrl: options.baseUrl ?? FINNHUB_BASE_URL,
    headers: { [FINNHUB_TOKEN_HEADER]: options.apiKey },
    onSkip: options.onSkip ?? (() => undefined),
  };
  return {
    fetchCandleDaily: (symbol, start, end, opts) => fetchCandleDaily(ctx, symbol, start, end, opts?.signal),
    fetchOptionChain: async (symbol, opts) => (await fetchOptionChain(ctx, symbol, opts?.signal)).rows,
    fetchOptionChainDetailed: (symbol, opts) => fetchOptionChain(ctx, symbol, opts?.signal),
    fetchSymbols: (params) => fetchSymbols(ctx, params),
    fetchSplits: (symbol, from, to, opts) => fetchSplits(ctx, symbol, from, to, opts?.signal),
    fetchDividends: (symbol, from, to, opts) => fetchDividends(ctx, symbol, from, to, opts?.signal),
    fetchProfile: (symbol, opts) => fetchProfile(ctx, symbol, opts?.signal),
    fetchBasicFinancials: (symbol, opts) => fetchBasicFinancials(ctx, symbol, opts?.signal),
    fetchFinancialsReported: (symbol, opts) => fetchFinancialsReported(ctx, symbol, opts),
    fetchEarningsCalendar: (params) => fetchEarningsCalendar(ctx, params),
  };
}
