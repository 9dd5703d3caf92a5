export {
  createFredClient,
  FRED_BASE_URL,
  FRED_API_KEY_RE,
  FRED_RATE_LIMIT_DEFAULT_MS,
  type FredClient,
  type FredClientOptions,
} from './client.js';
export { classifyFredError, readFredErrorBody, type FredErrorBody } from './classify.js';
export { FRED_SERIES_ID_RE, FRED_KEY_GLITCH_PAUSE_MS } from './context.js';
export { OBSERVATIONS_PAGE_LIMIT, parseFredValue, type FredSeriesParams, type MacroSeriesRow } from './observations.js';
export { TREASURY_SERIES, isTreasurySeriesId, type FredTreasuryParams, type TreasuryRow, type TreasurySeriesId, type TreasuryTenor } from './treasury.js';
export {
  ALFRED_REALTIME_END,
  ALFRED_REALTIME_START,
  MAX_VINTAGE_DATES_PER_REQUEST,
  VINTAGE_DATES_PAGE_LIMIT,
  planVintageWindows,
  type FredRealtimeWindow,
  type FredVintageParams,
  type VintageWindow,
} from './vintages.js';
export { parseLastUpdated, type FredSeriesInfo } from './series-info.js';
export { fredFetchers } from './fetchers.js';
