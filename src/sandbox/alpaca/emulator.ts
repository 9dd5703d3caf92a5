import { lastCompletedSession, nyDate } from '../../calendar/index.js';
import type { Clock } from '../../clock/index.js';
import type { Market } from '../market/index.js';
import type { Emulator, EmulatorRequest, EmulatorResponse } from '../shared/http.js';
import { SlidingWindowLimiter } from '../shared/sliding-window.js';
import { assets } from './assets.js';
import { multiBars, singleBars } from './bars.js';
import { alpacaError, type AlpacaContext } from './context.js';
import { buildActionRecords, corporateActions } from './corporate-actions.js';
import { optionBars } from './option-bars.js';
import { optionChainSnapshots, optionSnapshots } from './option-snapshots.js';

export interface AlpacaCredentials {
  keyId: string;
  secretKey: string;
}

export interface AlpacaPlan {
  /** Requests per sliding 60 s window per key id (free: 200). */
  requestsPerMinute: number;
  /** SIP data newer than this is refused (free: 15 minutes). */
  recentSipBlockMs: number;
  /**
   * Bars per page of an intraday timeframe (stock 1Min, option 1Hour) whatever `limit` says, one
   * value in [min, max] per request (a 2026 live trial saw ~190–255; free: that range).
   */
  intradayPageCap: { min: number; max: number };
  /** Whether the OPRA options feed is included (free: no, `indicative` only). */
  opra: boolean;
  /** First date with options data (the vendor's options history starts February 2024). */
  optionsHistoryStart: string;
}

export const ALPACA_FREE_PLAN: AlpacaPlan = {
  requestsPerMinute: 200,
  recentSipBlockMs: 15 * 60_000,
  intradayPageCap: { min: 190, max: 255 },
  opra: false,
  optionsHistoryStart: '2024-02-01',
};

export interface AlpacaEmulatorOptions {
  market: Market;
  clock: Clock;
  /** When omitted any non-empty key pair is accepted. */
  credentials?: AlpacaCredentials;
  plan?: Partial<AlpacaPlan>;
}

const SINGLE_BARS_RE = /^\/v2\/stocks\/([^/]+)\/bars$/;
const OPTION_CHAIN_RE = /^\/v1beta1\/options\/snapshots\/([^/]+)$/;

/** Alpaca's data host and trading host paths on one handler: auth, rate limit, then the route. */
export function createAlpacaEmulator(options: AlpacaEmulatorOptions): Emulator {
  const plan = { ...ALPACA_FREE_PLAN, ...options.plan };
  const limiter = new SlidingWindowLimiter(plan.requestsPerMinute, 60_000);
  const records = buildActionRecords(options.market);

  return {
    handle(request: EmulatorRequest): EmulatorResponse {
      const keyId = request.headers['apca-api-key-id'] ?? '';
      const secret = request.headers['apca-api-secret-key'] ?? '';
      if (!authorised(keyId, secret, options.credentials)) return alpacaError(403, 'forbidden.');

      const now = options.clock.now();
      const verdict = limiter.hit(keyId, now);
      const headers = {
        'x-ratelimit-limit': String(verdict.limit),
        'x-ratelimit-remaining': String(verdict.remaining),
        'x-ratelimit-reset': String(Math.ceil(verdict.resetMs / 1000)),
      };
      const response = verdict.allowed ? route(request, contextAt(options.market, now, plan)) : alpacaError(429, 'rate limit exceeded', 42910000);
      return { ...response, headers: { ...response.headers, ...headers } };
    },
  };

  function route(request: EmulatorRequest, ctx: AlpacaContext): EmulatorResponse {
    if (request.method !== 'GET') return alpacaError(405, 'method not allowed');
    const { path, query } = request;
    if (path === '/v2/stocks/bars') return multiBars(query, ctx);
    if (path === '/v1/corporate-actions') return corporateActions(records, query, ctx);
    if (path === '/v2/assets') return assets(query, ctx);
    if (path === '/v1beta1/options/bars') return optionBars(query, ctx);
    if (path === '/v1beta1/options/snapshots') return optionSnapshots(query, ctx);
    const chain = OPTION_CHAIN_RE.exec(path);
    if (chain) {
      const underlying = safeDecode(chain[1] as string);
      return underlying === undefined ? alpacaError(400, `invalid symbol: ${chain[1] as string}`) : optionChainSnapshots(underlying, query, ctx);
    }
    const single = SINGLE_BARS_RE.exec(path);
    if (single) {
      const symbol = safeDecode(single[1] as string);
      return symbol === undefined ? alpacaError(400, `invalid symbol: ${single[1] as string}`) : singleBars(symbol, query, ctx);
    }
    return alpacaError(404, 'endpoint not found', 40410000);
  }
}

function authorised(keyId: string, secret: string, expected: AlpacaCredentials | undefined): boolean {
  if (keyId.length === 0 || secret.length === 0) return false;
  return expected === undefined || (keyId === expected.keyId && secret === expected.secretKey);
}

function contextAt(market: Market, now: number, plan: AlpacaPlan): AlpacaContext {
  return {
    market,
    now,
    today: nyDate(now),
    lastCompleted: lastCompletedSession(now),
    recentSipBlockMs: plan.recentSipBlockMs,
    intradayPageCap: plan.intradayPageCap,
    opra: plan.opra,
    optionsHistoryStart: plan.optionsHistoryStart,
  };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
