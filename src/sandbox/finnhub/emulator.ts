import { lastCompletedSession, nyDate } from '../../calendar/index.js';
import type { Clock } from '../../clock/index.js';
import type { Market } from '../market/index.js';
import type { Emulator, EmulatorRequest, EmulatorResponse } from '../shared/http.js';
import { SlidingWindowLimiter, type WindowVerdict } from '../shared/sliding-window.js';
import { finnhubError, INVALID_KEY_MESSAGE, NO_ACCESS_MESSAGE, noAccess, RATE_LIMIT_MESSAGE, type FinnhubContext } from './context.js';
import { optionChainSnapshot, type OptionChainUnits } from './option-chain.js';
import { candles, dividends, splits } from './premium.js';
import { profile2, quote, symbolList } from './reference.js';

export interface FinnhubCredentials {
  apiKey: string;
}

export interface FinnhubPlan {
  /** Requests per sliding 60 s window per key (free: 60). */
  requestsPerMinute: number;
  /** Cap on top of every plan, per sliding 1 s window (30). */
  requestsPerSecond: number;
  /** `/stock/candle` (premium since 2023/24: free keys get 403). */
  candles: boolean;
  /** `/stock/split` (premium). */
  splits: boolean;
  /** `/stock/dividend` (premium). */
  dividends: boolean;
  /** `/stock/option-chain` (undocumented; served to free keys 2020–2025, withdrawn for many since). */
  optionChain: boolean;
}

export const FINNHUB_FREE_PLAN: FinnhubPlan = {
  requestsPerMinute: 60,
  requestsPerSecond: 30,
  candles: false,
  splits: false,
  dividends: false,
  optionChain: true,
};

export interface FinnhubEmulatorOptions {
  market: Market;
  clock: Clock;
  /** When omitted any non-empty token is accepted. */
  credentials?: FinnhubCredentials;
  plan?: Partial<FinnhubPlan>;
  /** Units of the option chain's IV and changePercent (default 2025: IV fraction, changePercent percent). */
  optionChainUnits?: OptionChainUnits;
}

/** The public base path: a base URL of `http://host:port/api/v1` addresses this emulator. */
export const FINNHUB_BASE_PATH = '/api/v1';

const NOT_FOUND_HTML = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>404 page not found</h1></body></html>';

/** Finnhub: token from `token` or `X-Finnhub-Token`, per-key minute and second windows, then the route. */
export function createFinnhubEmulator(options: FinnhubEmulatorOptions): Emulator {
  const plan = { ...FINNHUB_FREE_PLAN, ...options.plan };
  const units = options.optionChainUnits ?? 2025;
  const perMinute = new SlidingWindowLimiter(plan.requestsPerMinute, 60_000);
  const perSecond = new SlidingWindowLimiter(plan.requestsPerSecond, 1_000);

  return {
    handle(request: EmulatorRequest): EmulatorResponse {
      const token = request.query.get('token') || request.headers['x-finnhub-token'] || '';
      // An empty token historically drew the no-access text with 401 (Finnhub-API #405); a wrong one "Invalid API key." (#582).
      if (token.length === 0) return finnhubError(401, NO_ACCESS_MESSAGE);
      if (options.credentials !== undefined && token !== options.credentials.apiKey) return finnhubError(401, INVALID_KEY_MESSAGE);

      const now = options.clock.now();
      const second = perSecond.hit(token, now);
      const minute = perMinute.hit(token, now);
      const blocking = !second.allowed ? second : !minute.allowed ? minute : undefined;
      const response = blocking ? finnhubError(429, RATE_LIMIT_MESSAGE) : route(request, contextAt(options.market, now));
      return { ...response, headers: { ...response.headers, ...rateHeaders(blocking ?? minute) } };
    },
  };

  function route(request: EmulatorRequest, ctx: FinnhubContext): EmulatorResponse {
    if (!request.path.startsWith(`${FINNHUB_BASE_PATH}/`)) return notFound();
    if (request.method !== 'GET') return finnhubError(405, 'Method not allowed');
    const { query } = request;
    switch (request.path.slice(FINNHUB_BASE_PATH.length)) {
      case '/stock/option-chain':
        return plan.optionChain ? optionChainSnapshot(query, ctx, units) : noAccess();
      case '/stock/symbol':
        return symbolList(query, ctx);
      case '/stock/profile2':
        return profile2(query, ctx);
      case '/quote':
        return quote(query, ctx);
      case '/stock/candle':
        return plan.candles ? candles(query, ctx) : noAccess();
      case '/stock/split':
        return plan.splits ? splits(query, ctx) : noAccess();
      case '/stock/dividend':
        return plan.dividends ? dividends(query, ctx) : noAccess();
      default:
        return notFound();
    }
  }
}

function contextAt(market: Market, now: number): FinnhubContext {
  return { market, now, today: nyDate(now), lastCompleted: lastCompletedSession(now) };
}

/** Hints Finnhub sends on every answer (reset as a unix epoch second). */
function rateHeaders(verdict: WindowVerdict): Record<string, string> {
  return {
    'x-ratelimit-limit': String(verdict.limit),
    'x-ratelimit-remaining': String(verdict.remaining),
    'x-ratelimit-reset': String(Math.ceil(verdict.resetMs / 1000)),
  };
}

/** Unknown paths get an HTML page, as the vendor's web front answers them. */
function notFound(): EmulatorResponse {
  return { status: 404, body: NOT_FOUND_HTML, headers: { 'content-type': 'text/html; charset=utf-8' } };
}
