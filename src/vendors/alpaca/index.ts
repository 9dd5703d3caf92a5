export { createAlpacaClient, ALPACA_DATA_BASE_URL, ALPACA_TRADING_BASE_URL, type AlpacaClient, type AlpacaClientOptions } from './client.js';
export { classifyAlpacaError } from './classify.js';
export { MAX_BARS_LIMIT, type AlpacaBarsParams, type AlpacaBarsPage } from './bars.js';
export { MAPPED_ACTION_TYPES, PROCESS_DATE_SLACK_DAYS, type AlpacaCorporateActionsParams } from './corporate-actions.js';
export type { AlpacaAssetsParams } from './assets.js';
export { normalizeAlpacaSymbols } from './symbols.js';
export { alpacaFetchers } from './fetchers.js';
