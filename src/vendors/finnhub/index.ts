export {
  createFinnhubClient,
  FINNHUB_BASE_URL,
  FINNHUB_RATE_LIMIT_DEFAULT_MS,
  FINNHUB_TOKEN_HEADER,
  type FinnhubClient,
  type FinnhubClientOptions,
  type FinnhubRequestOptions,
} from './client.js';
export { classifyFinnhubError } from './classify.js';
export { FINNHUB_SYMBOL_RE, type FinnhubSkip } from './context.js';
export {
  FINNHUB_QUOTE_QUALITY,
  IV_PERCENT_THRESHOLD,
  snapshotSession,
  type FinnhubOptionChainResult,
  type IvUnit,
  type OptionChainRow,
} from './option-chain.js';
export type { FinnhubSymbolsParams } from './reference.js';
export type { FinnhubEarningsParams, FinnhubEarningsRow } from './earnings.js';
export type { FinnhubFinancialsOptions } from './financials-reported.js';
export type { FinnhubBasicFinancials, FinnhubMetricPoint } from './metric.js';
export { finnhubFetchers } from './fetchers.js';
