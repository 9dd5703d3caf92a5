export {
  startSandbox,
  SANDBOX_VENDORS,
  RELAXED_PLANS,
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
  optionChain,
  optionContracts,
  optionUnderlyings,
  type SandboxOptionContract,
  type SandboxOptionQuote,
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
export { parseFaultSpec, faultInjector, driftBody, FAULT_KINDS, FaultSpecError, type FaultRule, type FaultKind } from './faults.js';
export { ALPACA_FREE_PLAN, type AlpacaCredentials, type AlpacaPlan } from './alpaca/index.js';
export { POLYGON_BASIC_PLAN, type PolygonCredentials, type PolygonPlan } from './polygon/index.js';
export { fmpMarketSample } from './fmp/index.js';
export { createFredData, TREASURY_SERIES_IDS, MACRO_SERIES_IDS } from './fred/index.js';
