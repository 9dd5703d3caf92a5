export { createAlpacaClient, ALPACA_DATA_BASE_URL, ALPACA_TRADING_BASE_URL, type AlpacaClient, type AlpacaClientOptions } from './client.js';
export { classifyAlpacaError } from './classify.js';
export { MAX_BARS_LIMIT, type AlpacaBarsParams, type AlpacaBarsPage, type StockFeed } from './bars.js';
export type { AlpacaMinuteBarsParams, AlpacaMinuteBarsPage } from './minute-bars.js';
export { MAX_OPTION_SYMBOLS, DEFAULT_OPTION_FEED, type OptionFeed, type AlpacaOptionBarsParams, type AlpacaOptionBarsPage } from './option-bars.js';
export {
  parseOptionTrades,
  type OptionTrade,
  type ParsedOptionTrades,
  type OptionTradeRow,
  type AlpacaOptionTradesParams,
  type AlpacaOptionTradesPage,
} from './option-trades.js';
export { MAX_CHAIN_LIMIT, optionSnapshotSession, type AlpacaOptionChainParams } from './option-chain.js';
export { parseOccSymbol, type OccContract } from './occ.js';
export { nyDayWindow, type InstantWindow } from './window.js';
export { MAPPED_ACTION_TYPES, PROCESS_DATE_SLACK_DAYS, type AlpacaCorporateActionsParams } from './corporate-actions.js';
export type { AlpacaAssetsParams } from './assets.js';
export { normalizeAlpacaSymbols } from './symbols.js';
export { alpacaFetchers } from './fetchers.js';
