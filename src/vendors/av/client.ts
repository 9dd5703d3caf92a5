import type { CorpActionRow, EquityBarRow, SymbolRow } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { AuthFailed, HttpClient, redactText, type RequestGate } from '../../http/index.js';
import type { HttpTuning } from '../shared/index.js';
import { AV_MINUTE_RETRY_MS, classifyAvError, scrubEchoedKey } from './classify.js';
import type { AvContext, AvNotice } from './context.js';
import { fetchDividends, fetchSplits, type AvSymbolOptions } from './corp-actions.js';
import { fetchTimeSeriesDaily, type AvDailyOptions } from './daily.js';
import { fetchDelistings, fetchListingStatus, type AvListingOptions, type DelistingRow } from './listing.js';
import { fetchOverview, type AvOverviewOptions } from './overview.js';
import { fetchHistoricalOptions, type AvOptionsOptions, type OptionChainHistRow } from './options.js';

export const AV_BASE_URL = 'https://www.alphavantage.co';

export interface AvClientOptions {
  /** ALPHAVANTAGE_API_KEY. Sent only as the `apikey` query parameter; masked everywhere else. */
  apiKey: string;
  clock: Clock;
  /** @default https://www.alphavantage.co (TRADEML_AV_BASE_URL) */
  baseUrl?: string | undefined;
  /** The pacer: 25 requests/day and ~1 request/second on a free key are enforced there, not here. */
  gate?: RequestGate | undefined;
  http?: HttpTuning | undefined;
  /** Told about every row dropped or flagged by a sanity check. */
  onNotice?: ((notice: AvNotice) => void) | undefined;
}

/** Every method costs exactly one request (plus retries of a burst-limit refusal). */
export interface AvClient {
  /** TIME_SERIES_DAILY, raw bars oldest first; free keys get `compact` (latest 100 sessions) only. */
  fetchTimeSeriesDaily(symbol: string, options?: AvDailyOptions): Promise<EquityBarRow[]>;
  /** LISTING_STATUS (CSV) as symbol rows, `state` active (default) or delisted. */
  fetchListingStatus(options?: AvListingOptions): Promise<SymbolRow[]>;
  /** LISTING_STATUS&state=delisted as delisting rows. */
  fetchDelistings(options?: Omit<AvListingOptions, 'state'>): Promise<DelistingRow[]>;
  fetchSplits(symbol: string, options?: AvSymbolOptions): Promise<CorpActionRow[]>;
  fetchDividends(symbol: string, options?: AvSymbolOptions): Promise<CorpActionRow[]>;
  /** HISTORICAL_OPTIONS for one underlying and session (default: the previous session). The spec's `fetch_historical_options`. */
  fetchHistoricalOptions(symbol: string, date?: string, options?: AvOptionsOptions): Promise<OptionChainHistRow[]>;
  /** OVERVIEW as one symbols row (counted against `av.listing_status`); NotFound for `{}`. */
  fetchOverview(symbol: string, options?: AvOverviewOptions): Promise<SymbolRow>;
}

export function createAvClient(options: AvClientOptions): AvClient {
  if (options.apiKey.trim() === '') throw new AuthFailed('ALPHAVANTAGE_API_KEY must be set', { vendor: 'av' });
  const http = new HttpClient({
    ...options.http,
    vendor: 'av',
    clock: options.clock,
    gate: options.gate,
    secrets: [options.apiKey],
    classify: classifyAvError,
    rateLimitDefaultMs: options.http?.rateLimitDefaultMs ?? AV_MINUTE_RETRY_MS,
  });
  const redact = (text: string): string => scrubEchoedKey(redactText(text, [options.apiKey]));
  const notify = options.onNotice ?? (() => undefined);
  const ctx: AvContext = {
    http,
    clock: options.clock,
    baseUrl: options.baseUrl ?? AV_BASE_URL,
    apiKey: options.apiKey,
    onNotice: (notice) => notify({ ...notice, value: redact(notice.value), reason: redact(notice.reason) }),
    redact,
  };
  return {
    fetchTimeSeriesDaily: (symbol, opts) => fetchTimeSeriesDaily(ctx, symbol, opts),
    fetchListingStatus: (opts) => fetchListingStatus(ctx, opts),
    fetchDelistings: (opts) => fetchDelistings(ctx, opts),
    fetchSplits: (symbol, opts) => fetchSplits(ctx, symbol, opts),
    fetchDividends: (symbol, opts) => fetchDividends(ctx, symbol, opts),
    fetchHistoricalOptions: (symbol, date, opts) => fetchHistoricalOptions(ctx, symbol, date, opts),
    fetchOverview: (symbol, opts) => fetchOverview(ctx, symbol, opts),
  };
}
