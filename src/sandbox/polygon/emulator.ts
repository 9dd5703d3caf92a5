import { addDays, lastCompletedSession, nyDate } from '../../calendar/index.js';
import type { Clock } from '../../clock/index.js';
import type { Market } from '../market/index.js';
import { stableHex } from '../shared/ids.js';
import { jsonResponse, type Emulator, type EmulatorRequest, type EmulatorResponse } from '../shared/http.js';
import { SlidingWindowLimiter } from '../shared/sliding-window.js';
import { groupedDaily, rangeAggs } from './aggs.js';
import { polygonError, RATE_LIMIT_MESSAGE, type PolygonContext } from './context.js';
import { dividendsV1, dividendsV3, splitsV1, splitsV3 } from './corporate-actions.js';
import { optionsContracts } from './options-contracts.js';
import { tickers } from './tickers.js';

export interface PolygonCredentials {
  apiKey: string;
}

export interface PolygonPlan {
  /** Requests per sliding 60 s window per key (Basic: 5). */
  requestsPerMinute: number;
  /** Calendar days of history before today the plan may read (Basic: 730). */
  historyDays: number;
  /**
   * Whether the key may read options reference data. Basic: yes — reference data is on every plan
   * and the notes believe in a free Options Basic tier; false answers the NOT_AUTHORIZED entitlement 403.
   */
  optionsEntitled: boolean;
}

export const POLYGON_BASIC_PLAN: PolygonPlan = { requestsPerMinute: 5, historyDays: 730, optionsEntitled: true };

export interface PolygonEmulatorOptions {
  market: Market;
  clock: Clock;
  /** When omitted any non-empty key is accepted. */
  credentials?: PolygonCredentials;
  plan?: Partial<PolygonPlan>;
}

const RANGE_RE = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;
const GROUPED_RE = /^\/v2\/aggs\/grouped\/locale\/us\/market\/stocks\/([^/]+)$/;

/** Polygon/Massive: key from `apiKey` or a Bearer header, a per-key sliding window, then the route. */
export function createPolygonEmulator(options: PolygonEmulatorOptions): Emulator {
  const plan = { ...POLYGON_BASIC_PLAN, ...options.plan };
  const limiter = new SlidingWindowLimiter(plan.requestsPerMinute, 60_000);
  let served = 0;

  return {
    handle(request: EmulatorRequest): EmulatorResponse {
      served += 1;
      const requestId = stableHex(`polygon-request:${served}`, 32);
      const key = apiKeyOf(request);
      if (key === undefined) return polygonError(401, 'API Key was not provided', requestId);
      if (options.credentials !== undefined && key !== options.credentials.apiKey) return polygonError(401, 'Unknown API Key', requestId);
      const now = options.clock.now();
      if (!limiter.hit(key, now).allowed) return polygonError(429, RATE_LIMIT_MESSAGE, requestId);
      const today = nyDate(now);
      const ctx: PolygonContext = {
        market: options.market,
        now,
        today,
        lastCompleted: lastCompletedSession(now),
        historyFloor: addDays(today, -plan.historyDays),
        requestId,
      };
      return route(request, ctx, plan);
    },
  };
}

function apiKeyOf(request: EmulatorRequest): string | undefined {
  const fromQuery = request.query.get('apiKey');
  if (fromQuery) return fromQuery;
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '');
  return match ? match[1] : undefined;
}

function route(request: EmulatorRequest, ctx: PolygonContext, plan: PolygonPlan): EmulatorResponse {
  const { path, query } = request;
  if (request.method !== 'GET') return polygonError(405, 'Method not allowed', ctx.requestId);
  const range = RANGE_RE.exec(path);
  if (range) {
    const [ticker, multiplier, timespan, from, to] = range.slice(1).map(safeDecode);
    if ([ticker, multiplier, timespan, from, to].some((s) => s === undefined)) return polygonError(400, 'Malformed path', ctx.requestId);
    return rangeAggs({ ticker: ticker as string, multiplier: multiplier as string, timespan: timespan as string, from: from as string, to: to as string }, query, ctx);
  }
  const grouped = GROUPED_RE.exec(path);
  if (grouped) return groupedDaily(safeDecode(grouped[1] as string) ?? '', query, ctx);
  switch (path) {
    case '/v3/reference/tickers':
      return tickers(query, ctx);
    case '/v3/reference/splits':
      return splitsV3(query, ctx);
    case '/stocks/v1/splits':
      return splitsV1(query, ctx);
    case '/v3/reference/dividends':
      return dividendsV3(query, ctx);
    case '/stocks/v1/dividends':
      return dividendsV1(query, ctx);
    case '/v3/reference/options/contracts':
      return optionsContracts(query, ctx, plan.optionsEntitled);
    default:
      return jsonResponse(404, { status: 'NOT_FOUND', request_id: ctx.requestId, message: 'Not found' });
  }
}

function safeDecode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
