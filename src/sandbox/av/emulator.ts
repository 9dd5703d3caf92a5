import { lastCompletedSession, nyDate } from '../../calendar/index.js';
import type { Clock } from '../../clock/index.js';
import type { Market } from '../market/index.js';
import type { Emulator, EmulatorRequest, EmulatorResponse } from '../shared/http.js';
import { SlidingWindowLimiter } from '../shared/sliding-window.js';
import type { AvContext } from './context.js';
import { dividends, splits } from './corporate-actions.js';
import { timeSeriesDaily } from './daily.js';
import { listingStatus } from './listing.js';
import {
  ACCEPT_HEADER_TEXT,
  avJson,
  BURST_LIMIT_TEXT,
  DAILY_LIMIT_TEXT,
  dailyLimitWithKeyText,
  DEMO_KEY_TEXT,
  information,
  invalidApiKey,
  invalidCall,
  LEGACY_NOTE_TEXT,
  note,
  premiumEndpoint,
} from './messages.js';
import { historicalOptions, realtimeOptions } from './options.js';
import { DailyQuota, type AvResetZone } from './quota.js';

export interface AvCredentials {
  apiKey: string;
}

export interface AvPlan {
  /** Requests per key per day, refused ones included (free: 25). */
  requestsPerDay: number;
  /** At most this many requests per key in any `burstWindowMs` (free: about 1 per second). */
  burstRequests: number;
  burstWindowMs: number;
  /**
   * When the daily count restarts. The vendor does not document it; New York midnight is the later
   * of the two candidates the notes name, so a client that probes at 00:00 UTC sees one refusal first.
   */
  dailyResetZone: AvResetZone;
  /** `information` (2024 on: separate daily and burst texts) or `legacy_note` (the 5/min + 500/day era). */
  throttleStyle: 'information' | 'legacy_note';
  /** The 2026 daily-limit text echoes the caller's key; the older one does not. */
  dailyLimitEchoesKey: boolean;
  /** `TIME_SERIES_DAILY&outputsize=full` (premium since late 2024). */
  outputsizeFull: boolean;
  /** `HISTORICAL_OPTIONS` (free in 2024–25; premium-gated for some keys in 2026). */
  historicalOptions: boolean;
}

export const AV_FREE_PLAN: AvPlan = {
  requestsPerDay: 25,
  burstRequests: 1,
  burstWindowMs: 1_000,
  dailyResetZone: 'America/New_York',
  throttleStyle: 'information',
  dailyLimitEchoesKey: true,
  outputsizeFull: false,
  historicalOptions: true,
};

/** The pre-2024 free tier: 5 calls a minute, 500 a day, both refused with the `Note` body. */
export const AV_LEGACY_FREE_PLAN: AvPlan = {
  ...AV_FREE_PLAN,
  requestsPerDay: 500,
  burstRequests: 5,
  burstWindowMs: 60_000,
  throttleStyle: 'legacy_note',
  dailyLimitEchoesKey: false,
};

export interface AvEmulatorOptions {
  market: Market;
  clock: Clock;
  /** When omitted any non-empty key is accepted (`demo` always means the public demo key). */
  credentials?: AvCredentials;
  plan?: Partial<AvPlan>;
}

/** Throttles answer 200, so the server's per-status stats cannot see them; this can. */
export interface AvUsage {
  requests: number;
  dailyLimited: number;
  burstLimited: number;
}

export interface AvEmulator extends Emulator {
  usage(): AvUsage;
}

type FunctionHandler = (query: URLSearchParams, ctx: AvContext) => EmulatorResponse;

const FUNCTIONS: Readonly<Record<string, FunctionHandler>> = {
  TIME_SERIES_DAILY: timeSeriesDaily,
  LISTING_STATUS: listingStatus,
  SPLITS: splits,
  DIVIDENDS: dividends,
  HISTORICAL_OPTIONS: historicalOptions,
  REALTIME_OPTIONS: realtimeOptions,
  TIME_SERIES_DAILY_ADJUSTED: premiumEndpoint,
  TIME_SERIES_INTRADAY: premiumEndpoint,
};

/**
 * Alpha Vantage: one path, `GET /query?function=…&apikey=…`, and HTTP 200 for everything — data,
 * throttles, refusals and bad input differ only in the body. Key, demo key, daily quota, burst
 * limit, then the function.
 */
export function createAvEmulator(options: AvEmulatorOptions): AvEmulator {
  const plan: AvPlan = { ...AV_FREE_PLAN, ...options.plan };
  const quota = new DailyQuota(plan.requestsPerDay, plan.dailyResetZone);
  const burst = new SlidingWindowLimiter(plan.burstRequests, plan.burstWindowMs);
  const usage: AvUsage = { requests: 0, dailyLimited: 0, burstLimited: 0 };

  return {
    usage: () => ({ ...usage }),
    handle(request: EmulatorRequest): EmulatorResponse {
      usage.requests += 1;
      if (request.path !== '/query') return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain; charset=utf-8' } };
      if (request.method !== 'GET') return { status: 405, body: 'Method Not Allowed', headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'GET' } };
      if (!acceptable(request.headers['accept'])) return avJson({ detail: ACCEPT_HEADER_TEXT });

      const { query } = request;
      const key = query.get('apikey');
      if (!key) return invalidApiKey();
      const fn = query.get('function');
      const now = options.clock.now();
      if (key === 'demo') return demoAllows(fn, query) ? dispatch(fn, query, now) : information(DEMO_KEY_TEXT);
      if (options.credentials !== undefined && key !== options.credentials.apiKey) return invalidApiKey();

      if (!quota.take(key, now)) {
        usage.dailyLimited += 1;
        if (plan.throttleStyle === 'legacy_note') return note(LEGACY_NOTE_TEXT);
        return information(plan.dailyLimitEchoesKey ? dailyLimitWithKeyText(key) : DAILY_LIMIT_TEXT);
      }
      if (!burst.hit(key, now).allowed) {
        usage.burstLimited += 1;
        return plan.throttleStyle === 'legacy_note' ? note(LEGACY_NOTE_TEXT) : information(BURST_LIMIT_TEXT);
      }
      return dispatch(fn, query, now);
    },
  };

  function dispatch(fn: string | null, query: URLSearchParams, now: number): EmulatorResponse {
    const handler = fn === null ? undefined : FUNCTIONS[fn];
    if (handler === undefined) return invalidCall(fn);
    const ctx: AvContext = {
      market: options.market,
      today: nyDate(now),
      lastCompleted: lastCompletedSession(now),
      outputsizeFull: plan.outputsizeFull,
      historicalOptions: plan.historicalOptions,
    };
    return handler(query, ctx);
  }
}

/** The demo key answers only the documentation's examples: IBM, and IBM's options on 2017-11-15. */
function demoAllows(fn: string | null, query: URLSearchParams): boolean {
  if (query.get('symbol') !== 'IBM') return false;
  if (fn === 'HISTORICAL_OPTIONS') return query.get('date') === '2017-11-15';
  return fn === 'TIME_SERIES_DAILY' || fn === 'SPLITS' || fn === 'DIVIDENDS';
}

const ACCEPTED_TYPES = new Set(['*/*', 'application/*', 'application/json', 'text/*', 'text/csv']);

/** A restrictive Accept header the vendor cannot satisfy gets the `detail` body (still HTTP 200). */
function acceptable(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => ACCEPTED_TYPES.has((part.split(';')[0] ?? '').trim().toLowerCase()));
}
