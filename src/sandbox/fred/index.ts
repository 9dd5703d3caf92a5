export {
  createFredEmulator,
  FRED_DOCS_DEMO_KEY,
  FRED_FREE_PLAN,
  type FredCredentials,
  type FredEmulatorOptions,
  type FredMarketView,
  type FredPlan,
} from './emulator.js';
export { createFredData, valueAsOf, FRED_SERIES_IDS, type FredData, type FredDataOptions } from './series.js';
export { MACRO_SERIES_IDS, TREASURY_SERIES_IDS, TREASURY_TENORS, type MacroSeriesId } from './catalog.js';
export { realtimeRows, REALTIME_MAX, REALTIME_MIN, type RealtimeRow, type RealtimeScope, type RowQuery } from './realtime.js';
export type { FredFrequency, FredSeriesInfo, ObservationVersion, SandboxSeries, SeriesObservation, TreasuryTenor } from './types.js';
