export { createMarket } from './market.js';
export { adjustedClosesOf } from './adjust.js';
export { createRng, type Rng } from './random.js';
export type {
  AdjustedClose,
  DatedBar,
  Market,
  MarketOptions,
  SandboxAssetType,
  SandboxBar,
  SandboxDividend,
  SandboxExchange,
  SandboxSplit,
  SandboxSymbol,
  SymbolBar,
} from './types.js';
export {
  optionChain,
  optionContracts,
  optionUnderlyings,
  occSymbol,
  OPTION_RATE,
  type SandboxOptionContract,
  type SandboxOptionQuote,
} from './options.js';
export { expiryPeriodOf, type ExpiryPeriod } from './option-expirations.js';
export { blackScholes, type BlackScholesInput, type BlackScholesOutput } from './black-scholes.js';
export { minuteBars, sliceBar, type BarSlice, type MinuteBarOptions, type SandboxMinuteBar } from './minutes.js';
