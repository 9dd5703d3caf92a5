import type { CorpActionRow, RowFor, SymbolRow } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { AuthFailed, HttpClient, type RequestGate } from '../../http/index.js';
import type { HttpTuning } from '../shared/index.js';
import { fetchAssets, type AlpacaAssetsParams } from './assets.js';
import { streamDailyBars, type AlpacaBarsPage, type AlpacaBarsParams } from './bars.js';
import { classifyAlpacaError } from './classify.js';
import type { AlpacaContext } from './context.js';
import { fetchCorporateActions, type AlpacaCorporateActionsParams } from './corporate-actions.js';
import { streamMinuteBars, type AlpacaMinuteBarsPage, type AlpacaMinuteBarsParams } from './minute-bars.js';
import { streamOptionBars, type AlpacaOptionBarsPage, type AlpacaOptionBarsParams } from './option-bars.js';
import { fetchOptionChain, type AlpacaOptionChainParams } from './option-chain.js';
import { streamOptionTrades, type AlpacaOptionTradesPage, type AlpacaOptionTradesParams } from './option-trades.js';

export const ALPACA_DATA_BASE_URL = 'https://data.alpaca.markets';
export const ALPACA_TRADING_BASE_URL = 'https://paper-api.alpaca.markets';
/** 200 requests/min, reset advertised in X-RateLimit-Reset; this is only the fallback. */
const ALPACA_RATE_LIMIT_DEFAULT_MS = 60_000;

export interface AlpacaClientOptions {
  keyId: string;
  secretKey: string;
  clock: Clock;
  /** @default https://data.alpaca.markets (TRADEML_ALPACA_DATA_BASE_URL) */
  dataBaseUrl?: string | undefined;
  /** @default https://paper-api.alpaca.markets (TRADEML_ALPACA_TRADING_BASE_URL) */
  tradingBaseUrl?: string | undefined;
  gate?: RequestGate | undefined;
  http?: HttpTuning | undefined;
}

export interface AlpacaClient {
  /** Daily bars for many symbols, one yielded page per request. */
  streamDailyBars(params: AlpacaBarsParams): AsyncGenerator<AlpacaBarsPage>;
  /** Minute bars for many symbols (bar instant kept), one yielded page per request. */
  streamMinuteBars(params: AlpacaMinuteBarsParams): AsyncGenerator<AlpacaMinuteBarsPage>;
  /** Option contract bars, ≤ 100 contracts per request chain, one yielded page per request. */
  streamOptionBars(params: AlpacaOptionBarsParams): AsyncGenerator<AlpacaOptionBarsPage>;
  /** One underlying's option chain snapshot, every page. */
  fetchOptionChain(params: AlpacaOptionChainParams): Promise<RowFor<'options_chain'>[]>;
  /** Option trades, ≤ 100 contracts per request chain, one yielded page per request (no canonical dataset: typed rows). */
  streamOptionTrades(params: AlpacaOptionTradesParams): AsyncGenerator<AlpacaOptionTradesPage>;
  fetchCorporateActions(params: AlpacaCorporateActionsParams): Promise<CorpActionRow[]>;
  fetchAssets(params?: AlpacaAssetsParams): Promise<SymbolRow[]>;
}

export function createAlpacaClient(options: AlpacaClientOptions): AlpacaClient {
  if (options.keyId.trim() === '' || options.secretKey.trim() === '') {
    throw new AuthFailed('ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY must both be set', { vendor: 'alpaca' });
  }
  const http = new HttpClient({
    ...options.http,
    vendor: 'alpaca',
    clock: options.clock,
    gate: options.gate,
    secrets: [options.keyId, options.secretKey],
    classify: classifyAlpacaError,
    rateLimitDefaultMs: options.http?.rateLimitDefaultMs ?? ALPACA_RATE_LIMIT_DEFAULT_MS,
  });
  const ctx: AlpacaContext = {
    http,
    clock: options.clock,
    dataBaseUrl: options.dataBaseUrl ?? ALPACA_DATA_BASE_URL,
    tradingBaseUrl: options.tradingBaseUrl ?? ALPACA_TRADING_BASE_URL,
    headers: { 'APCA-API-KEY-ID': options.keyId, 'APCA-API-SECRET-KEY': options.secretKey },
  };
  return {
    streamDailyBars: (params) => streamDailyBars(ctx, params),
    streamMinuteBars: (params) => streamMinuteBars(ctx, params),
    streamOptionBars: (params) => streamOptionBars(ctx, params),
    fetchOptionChain: (params) => fetchOptionChain(ctx, params),
    streamOptionTrades: (params) => streamOptionTrades(ctx, params),
    fetchCorporateActions: (params) => fetchCorporateActions(ctx, params),
    fetchAssets: (params) => fetchAssets(ctx, params),
  };
}
