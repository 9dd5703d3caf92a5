import type { EquityBarRow, SymbolRow } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { AuthFailed, HttpClient, type RequestGate } from '../../http/index.js';
import type { HttpTuning } from '../shared/index.js';
import { classifyFmpError } from './classify.js';
import { RouteMemory, type FmpContext, type FmpSkippedRow } from './context.js';
import { fetchDelistedCompanies, type FmpDelistedParams, type FmpDelistedResult } from './delisted.js';
import { fetchHistoricalPrice, type FmpPriceParams } from './prices.js';
import { fetchStatements, type FmpStatementKind, type FmpStatementOptions, type FmpStatementPeriod, type FundamentalRow } from './statements.js';
import { fetchStatementSymbols, type FmpStatementSymbol } from './statement-symbols.js';
import { fetchCompanyProfile, fetchStockList } from './symbols.js';

export const FMP_BASE_URL = 'https://financialmodelingprep.com';
export const FMP_STABLE_PATH = '/stable';
export const FMP_LEGACY_PATH = '/api/v3';
/**
 * A 429 that is not `Limit Reach` (a paid plan's per-minute burst) names no wait; the notes say
 * back off at least a minute. `Limit Reach` itself carries its reset (next New York midnight).
 */
export const FMP_RATE_LIMIT_DEFAULT_MS = 60_000;

export interface FmpClientOptions {
  apiKey: string;
  clock: Clock;
  /** Host (and optional path prefix) without `/stable`. @default https://financialmodelingprep.com (TRADEML_FMP_BASE_URL) */
  baseUrl?: string | undefined;
  gate?: RequestGate | undefined;
  http?: HttpTuning | undefined;
  /** @default '/stable' */
  stablePath?: string | undefined;
  /** @default '/api/v3' */
  legacyPath?: string | undefined;
  /** Try legacy v3 when a stable endpoint is off the plan. @default true */
  legacyFallback?: boolean | undefined;
  /** Told about every row dropped by a sanity check (junk symbol, another symbol's row, flat-fill tail). */
  onSkip?: ((skipped: FmpSkippedRow) => void) | undefined;
}

export interface FmpRequestOptions {
  signal?: AbortSignal;
}

export interface FmpClient {
  /** `fmp.stock_list` → symbols (all `active`). */
  fetchStockList(options?: FmpRequestOptions): Promise<SymbolRow[]>;
  /** `fmp.delisted_companies` → delistings, paged until a short page, a refusal or the cap. */
  fetchDelistedCompanies(params?: FmpDelistedParams): Promise<FmpDelistedResult>;
  /** `fmp.historical_price` → equities_eod; raw (`adjusted: false`) unless another basis is asked for. */
  fetchHistoricalPrice(symbol: string, params?: FmpPriceParams): Promise<EquityBarRow[]>;
  /** `fmp.statements` → fundamentals in long format (the spec's `fetch_statements`). */
  fetchStatements(symbol: string, kind: FmpStatementKind, period: FmpStatementPeriod, options?: FmpStatementOptions): Promise<FundamentalRow[]>;
  /** `fmp.profile` → one symbols row, or null for `[]` (the spec's `fetch_company_profile`). */
  fetchCompanyProfile(symbol: string, options?: FmpRequestOptions): Promise<SymbolRow | null>;
  /** The symbols FMP has statements for, to rotate fundamentals work (counted against `fmp.statements`). */
  fetchStatementSymbols(options?: FmpRequestOptions): Promise<FmpStatementSymbol[]>;
}

export function createFmpClient(options: FmpClientOptions): FmpClient {
  if (options.apiKey.trim() === '') throw new AuthFailed('FMP_API_KEY must be set', { vendor: 'fmp' });
  const http = new HttpClient({
    ...options.http,
    vendor: 'fmp',
    clock: options.clock,
    gate: options.gate,
    secrets: [options.apiKey],
    classify: classifyFmpError,
    rateLimitDefaultMs: options.http?.rateLimitDefaultMs ?? FMP_RATE_LIMIT_DEFAULT_MS,
  });
  const ctx: FmpContext = {
    http,
    clock: options.clock,
    baseUrl: options.baseUrl ?? FMP_BASE_URL,
    stablePath: options.stablePath ?? FMP_STABLE_PATH,
    legacyPath: options.legacyPath ?? FMP_LEGACY_PATH,
    apiKey: options.apiKey,
    legacyFallback: options.legacyFallback ?? true,
    routes: new RouteMemory(),
    onSkip: options.onSkip ?? (() => undefined),
  };
  return {
    fetchStockList: (opts) => fetchStockList(ctx, opts?.signal),
    fetchDelistedCompanies: (params) => fetchDelistedCompanies(ctx, params),
    fetchHistoricalPrice: (symbol, params) => fetchHistoricalPrice(ctx, symbol, params),
    fetchStatements: (symbol, kind, period, opts) => fetchStatements(ctx, symbol, kind, period, opts),
    fetchCompanyProfile: (symbol, opts) => fetchCompanyProfile(ctx, symbol, opts?.signal),
    fetchStatementSymbols: (opts) => fetchStatementSymbols(ctx, opts?.signal),
  };
}
