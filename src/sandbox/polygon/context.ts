import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { Market } from '../market/index.js';

export interface PolygonContext {
  market: Market;
  now: number;
  /** New York date of `now`. */
  today: string;
  /** Latest session whose close is at or before `now`. */
  lastCompleted: string;
  /** Oldest date the plan may read (today − history days). */
  historyFloor: string;
  /** 32-hex id of this request. */
  requestId: string;
}

/** Public host the vendor writes into `next_url`; clients re-base it onto their configured host. */
export const PUBLIC_HOST = 'https://api.massive.com';

/** `ERROR` bodies carry their text in `error`. */
export function polygonError(status: number, error: string, requestId: string): EmulatorResponse {
  return jsonResponse(status, { status: 'ERROR', request_id: requestId, error });
}

/** `NOT_AUTHORIZED` bodies carry their text in `message`. */
export function notAuthorized(message: string, requestId: string): EmulatorResponse {
  return jsonResponse(403, { status: 'NOT_AUTHORIZED', request_id: requestId, message });
}

export const ENTITLEMENT_MESSAGE = 'You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing';
export const TIMEFRAME_MESSAGE = "Your plan doesn't include this data timeframe. Please upgrade your plan at https://polygon.io/pricing";
export const RATE_LIMIT_MESSAGE =
  "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing";
