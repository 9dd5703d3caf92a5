export {
  startSandbox,
  type Fault,
  type FaultContext,
  type FaultInjector,
  type RequestLogEntry,
  type Sandbox,
  type SandboxOptions,
  type SandboxVendor,
  type VendorStats,
} from './server.js';
export {
  createMarket,
  adjustedClosesOf,
  type AdjustedClose,
  type DatedBar,
  type Market,
  type MarketOptions,
  type SandboxAssetType,
  type SandboxBar,
  type SandboxDividend,
  type SandboxExchange,
  type SandboxSplit,
  type SandboxSymbol,
  type SymbolBar,
} from './market/index.js';
export { ALPACA_FREE_PLAN, type AlpacaCredentials, type AlpacaPlan } from './alpaca/index.js';
export { POLYGON_BASIC_PLAN, type PolygonCredentials, type PolygonPlan } from './polygon/index.js';
