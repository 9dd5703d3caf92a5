export * from './alpaca/index.js';
export * from './polygon/index.js';
export type { HttpTuning, Lineage } from './shared/index.js';
export * from './finnhub/index.js';
export * from './fred/index.js';
export * from './fmp/index.js';
export * from './av/index.js';
export { VENDOR_FETCHERS, fetcherFor, type VendorClients } from './registry.js';
export type { EndpointFetcher, FetchArgs } from './shared/index.js';
