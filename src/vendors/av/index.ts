export { createAvClient, AV_BASE_URL, type AvClient, type AvClientOptions } from './client.js';
export { classifyAvError, nextDailyResetMs, scrubEchoedKey, AV_BURST_RETRY_MS, AV_MINUTE_RETRY_MS } from './classify.js';
export { avFetchers, type AvEndpointFetcher } from './fetchers.js';
export { AV_SYMBOL_RE, type AvNotice } from './context.js';
export { isSmallRatio, type AvSymbolOptions } from './corp-actions.js';
export type { AvDailyOptions, AvOutputSize } from './daily.js';
export type { AvListingOptions } from './listing.js';
export type { AvOptionsOptions, OptionChainHistRow } from './options.js';
export { parseCsv, CsvError, type CsvRecord } from './csv.js';
