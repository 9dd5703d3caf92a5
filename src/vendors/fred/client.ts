import type { Clock } from '../../clock/index.js';
import { AuthFailed, HttpClient, type RequestGate } from '../../http/index.js';
import type { HttpTuning } from '../shared/index.js';
import { classifyFredError } from './classify.js';
import type { FredContext } from './context.js';
import { fetchSeries, OBSERVATIONS_PAGE_LIMIT, type FredSeriesParams, type MacroSeriesRow } from './observations.js';
import { fetchSeriesInfo, type FredSeriesInfo } from './series-info.js';
import { fetchTreasuryCurve, type FredTreasuryParams, type TreasuryRow } from './treasury.js';
import { fetchVintageDates, fetchVintages, MAX_VINTAGE_DATES_PER_REQUEST, type FredRealtimeWindow, type FredVintageParams } from './vintages.js';

export const FRED_BASE_URL = 'https://api.stlouisfed.org';
/** "32 character alpha-numeric lowercase string" (FRED's api_key docs). */
export const FRED_API_KEY_RE = /^[a-z0-9]{32}$/;
/** FRED sends no Retry-After; its documented window is a minute (vendors/fred.md §2). */
export const FRED_RATE_LIMIT_DEFAULT_MS = 60_000;
/** A 100,000-row page of a revised series is several MB. */
const FRED_TIMEOUT_MS = 60_000;

export interface FredClientOptions {
  apiKey: string;
  clock: Clock;
  /** @default https://api.stlouisfed.org (TRADEML_FRED_BASE_URL); paths start with /fred/. */
  baseUrl?: string | undefined;
  gate?: RequestGate | undefined;
  http?: HttpTuning | undefined;
  /** `limit` per observations page. @default 100000 (FRED's maximum) */
  observationsPageLimit?: number | undefined;
  /** Vintage dates per ALFRED request; lower it (e.g. 1500) if FRED ever counts differently. @default 2000 */
  vintageDatesPerRequest?: number | undefined;
}

export interface FredClient {
  /** `fred.series`: observations in FRED mode (today's values), all pages. */
  fetchSeries(seriesId: string, params?: FredSeriesParams): Promise<MacroSeriesRow[]>;
  /** `fred.treasury_curve`: the constant-maturity curve, one request per series over the whole window. */
  fetchTreasuryCurve(params?: FredTreasuryParams): Promise<TreasuryRow[]>;
  /** `fred.vintages`: every ALFRED version in a real-time window, chunked by 2,000 vintage dates. */
  fetchVintages(seriesId: string, params?: FredVintageParams): Promise<MacroSeriesRow[]>;
  /** The series' vintage (release) dates in a real-time window, ascending. */
  fetchVintageDates(seriesId: string, params?: FredRealtimeWindow): Promise<string[]>;
  /** `/fred/series` metadata (observation range, frequency, last update). */
  fetchSeriesInfo(seriesId: string, options?: { signal?: AbortSignal }): Promise<FredSeriesInfo[]>;
}

/**
 * The FRED/ALFRED connector. The key travels as the `api_key` query parameter (FRED has no header
 * auth), so it is registered as a secret: every URL, `source_uri`, error and body excerpt is masked.
 * A key that is not 32 lower-case letters/digits is refused here, before a request is spent.
 */
export function createFredClient(options: FredClientOptions): FredClient {
  const apiKey = options.apiKey.trim();
  if (apiKey === '') throw new AuthFailed('FRED_API_KEY must be set', { vendor: 'fred' });
  if (!FRED_API_KEY_RE.test(apiKey)) throw new AuthFailed('FRED_API_KEY must be 32 lower-case letters and digits', { vendor: 'fred' });
  const http = new HttpClient({
    timeoutMs: FRED_TIMEOUT_MS,
    ...options.http,
    vendor: 'fred',
    clock: options.clock,
    gate: options.gate,
    secrets: [apiKey],
    classify: classifyFredError,
    rateLimitDefaultMs: options.http?.rateLimitDefaultMs ?? FRED_RATE_LIMIT_DEFAULT_MS,
  });
  const ctx: FredContext = {
    http,
    clock: options.clock,
    baseUrl: options.baseUrl ?? FRED_BASE_URL,
    apiKey,
    observationsPageLimit: positive(options.observationsPageLimit, OBSERVATIONS_PAGE_LIMIT),
    vintageDatesPerRequest: positive(options.vintageDatesPerRequest, MAX_VINTAGE_DATES_PER_REQUEST),
    session: { keyAccepted: false },
  };
  return {
    fetchSeries: (seriesId, params) => fetchSeries(ctx, seriesId, params),
    fetchTreasuryCurve: (params) => fetchTreasuryCurve(ctx, params),
    fetchVintages: (seriesId, params) => fetchVintages(ctx, seriesId, params),
    fetchVintageDates: (seriesId, params) => fetchVintageDates(ctx, seriesId, params),
    fetchSeriesInfo: (seriesId, opts) => fetchSeriesInfo(ctx, seriesId, opts?.signal),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? Math.min(value, fallback) : fallback;
}
