export {
  createPolygonClient,
  POLYGON_BASE_URL,
  POLYGON_RATE_LIMIT_DEFAULT_MS,
  type PolygonClient,
  type PolygonClientOptions,
  type PolygonRequestOptions,
} from './client.js';
export { classifyPolygonError } from './classify.js';
export { RANGE_LIMIT, type GroupedDailyResult, type PolygonPreviousCloseOptions } from './aggs.js';
export { CORP_ACTIONS_PAGE_LIMIT, TICKERS_PAGE_LIMIT, type PolygonCorpActionParams, type PolygonTickersParams } from './reference.js';
export { OPTION_CONTRACTS_PAGE_LIMIT, type PolygonOptionContractsParams } from './options.js';
export { POLYGON_TICKER_RE, type SkippedRow } from './context.js';
export { polygonFetchers } from './fetchers.js';
