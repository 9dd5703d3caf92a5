export {
  createFmpClient,
  FMP_BASE_URL,
  FMP_STABLE_PATH,
  FMP_LEGACY_PATH,
  FMP_RATE_LIMIT_DEFAULT_MS,
  type FmpClient,
  type FmpClientOptions,
  type FmpRequestOptions,
} from './client.js';
export { classifyFmpError, nextNewYorkMidnight, BANDWIDTH_RETRY_MS } from './classify.js';
export { FmpLegacyEndpointClosed, FmpParameterNotEntitled } from './errors.js';
export { fmpFetchers } from './fetchers.js';
export { FMP_SYMBOL_RE, type FmpSkippedRow } from './context.js';
export { DELISTED_PAGE_LIMIT, DELISTED_MAX_PAGES, type FmpDelistedParams, type FmpDelistedResult } from './delisted.js';
export { PRICE_ROW_CAP, PRICE_WINDOW_YEARS, type FmpPriceBasis, type FmpPriceParams } from './prices.js';
export {
  STATEMENT_KINDS,
  STATEMENTS_FREE_LIMIT,
  type FmpStatementKind,
  type FmpStatementPeriod,
  type FmpStatementOptions,
  type FundamentalRow,
} from './statements.js';
export type { FmpStatementSymbol } from './statement-symbols.js';
export { delistingsAsSymbols, type DelistingRow } from './symbols.js';
export { metricName, snakeCase } from './metrics.js';
