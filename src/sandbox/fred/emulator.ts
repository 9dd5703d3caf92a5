import { nyDate } from '../../calendar/index.js';
import type { Clock } from '../../clock/index.js';
import type { Market } from '../market/index.js';
import type { Emulator, EmulatorRequest, EmulatorResponse } from '../shared/http.js';
import { SlidingWindowLimiter } from '../shared/sliding-window.js';
import type { FredContext } from './context.js';
import { FredApiError, MESSAGES } from './messages.js';
import { observations } from './observations.js';
import { checkFileType } from './params.js';
import { seriesMetadata } from './series-info.js';
import { createFredData, type FredData } from './series.js';
import { vintageDates } from './vintage-dates.js';
import { errorResponse, fileTypeOf, type FileType } from './wire.js';

export interface FredCredentials {
  /** 32 lower-case alphanumerics, like a real key. */
  apiKey: string;
}

export interface FredPlan {
  /** Documented limit per key, sliding 60 s window (fred.md §2). */
  requestsPerMinute: number;
  /** Enforcement seen since 2026-06: more than this inside one second is a 429 (Infinity: off). */
  requestsPerSecond: number;
  /** Vintage dates one observations request may span (json/xml). */
  maxVintageDates: number;
}

export const FRED_FREE_PLAN: FredPlan = { requestsPerMinute: 120, requestsPerSecond: 2, maxVintageDates: 2000 };

/** The emulator reads only the market's seed and date range. */
export type FredMarketView = Pick<Market, 'seed' | 'start' | 'end'>;

export interface FredEmulatorOptions {
  market: FredMarketView;
  clock: Clock;
  /** When omitted any well-formed key is accepted (the docs' demo key never is). */
  credentials?: FredCredentials;
  plan?: Partial<FredPlan>;
  /** Prebuilt series over the market's seed and range (shared with tests); built when omitted. */
  data?: FredData;
}

const KEY_RE = /^[a-z0-9]{32}$/;
/** The key FRED's documentation shows for illustration; the real API rejects it. */
export const FRED_DOCS_DEMO_KEY = 'abcdefghijklmnopqrstuvwxyz123456';

const ROUTES: Readonly<Record<string, (query: URLSearchParams, ctx: FredContext) => EmulatorResponse>> = {
  '/fred/series/observations': observations,
  '/fred/series/vintagedates': vintageDates,
  '/fred/series': seriesMetadata,
};

/** FRED/ALFRED: route, `api_key` check, per-key rate limits, then the endpoint; XML unless file_type=json. */
export function createFredEmulator(options: FredEmulatorOptions): Emulator {
  const plan = { ...FRED_FREE_PLAN, ...options.plan };
  const perMinute = new SlidingWindowLimiter(plan.requestsPerMinute, 60_000);
  const perSecond = new SlidingWindowLimiter(plan.requestsPerSecond, 1_000);
  const { seed, start, end } = options.market;
  const data = options.data ?? createFredData({ seed, start, end });

  return {
    handle(request: EmulatorRequest): EmulatorResponse {
      const fileType = fileTypeOf(request.query);
      try {
        const endpoint = ROUTES[request.path.replace(/\/+$/, '')];
        if (!endpoint) throw new FredApiError(404, MESSAGES.notFound);
        if (request.method !== 'GET') throw new FredApiError(405, MESSAGES.methodNotAllowed);
        const key = checkApiKey(request.query.get('api_key'), options.credentials);
        const now = options.clock.now();
        // Both windows see every request, so a burst also fills the minute.
        const minuteOk = perMinute.hit(key, now).allowed;
        const secondOk = perSecond.hit(key, now).allowed;
        if (!minuteOk || !secondOk) throw new FredApiError(429, MESSAGES.rateLimited);
        checkFileType(request.query);
        return endpoint(request.query, contextOf(data, now, fileType, plan));
      } catch (error) {
        if (error instanceof FredApiError) return errorResponse(error.status, error.message, fileType);
        throw error;
      }
    },
  };
}

function checkApiKey(key: string | null, expected: FredCredentials | undefined): string {
  if (key === null || key === '') throw new FredApiError(400, MESSAGES.apiKeyNotSet);
  if (!KEY_RE.test(key)) throw new FredApiError(400, MESSAGES.apiKeyMalformed);
  const registered = expected === undefined ? key !== FRED_DOCS_DEMO_KEY : key === expected.apiKey;
  if (!registered) throw new FredApiError(400, MESSAGES.apiKeyNotRegistered);
  return key;
}

function contextOf(data: FredData, now: number, fileType: FileType, plan: FredPlan): FredContext {
  return { data, today: nyDate(now), fileType, maxVintageDates: plan.maxVintageDates };
}
