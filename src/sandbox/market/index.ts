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
