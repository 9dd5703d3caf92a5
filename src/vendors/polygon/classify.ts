import {
  AuthFailed,
  BadRequest,
  EntitlementDenied,
  MAX_ERROR_BODY_CHARS,
  NotFound,
  Transient,
  errorInit,
  parseRetryTiming,
  rateLimited,
  readVendorMessage,
  type ClassifyContext,
  type VendorError,
} from '../../http/index.js';

const RATE_LIMIT_RE = /exceeded the maximum requests|too many requests/i;
const AUTH_RE = /api key was not provided|unknown api key|invalid api key/i;
const TIMEFRAME_RE = /data timeframe/i;
const ERROR_STATUSES = new Set(['ERROR', 'NOT_AUTHORIZED', 'NOT_FOUND']);

/**
 * Polygon/Massive error mapping (vendors/polygon.md §5). `ERROR` bodies carry their text in
 * `error`, `NOT_AUTHORIZED`/`NOT_FOUND` in `message`; classification reads the body's `status`
 * and wording as well as the HTTP code (a missing key has been seen with 400, a bad path with
 * NOT_AUTHORIZED). Order: rate limit, auth, entitlement, not found, then status fallbacks.
 */
export function classifyPolygonError(status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  const ok = status >= 200 && status < 300;
  // A big 2xx body is data (grouped daily is megabytes); error envelopes are tiny.
  if (ok && bodyText.length > MAX_ERROR_BODY_CHARS) return undefined;
  const { json, text } = readVendorMessage(bodyText, ['error', 'message']);
  const bodyStatus = typeof json?.status === 'string' ? json.status.toUpperCase() : undefined;
  if (ok && (bodyStatus === undefined || !ERROR_STATUSES.has(bodyStatus))) return undefined;
  const init = errorInit('polygon', status, bodyText, ctx);
  if (status === 429 || RATE_LIMIT_RE.test(text)) return rateLimited(text, init, headers, ctx);
  if (status === 401 || AUTH_RE.test(text)) return new AuthFailed(text, init);
  if (status === 403 || bodyStatus === 'NOT_AUTHORIZED') {
    // "Your plan doesn't include this data timeframe": only this date range (too old, or future).
    return new EntitlementDenied(text, { ...init, scope: TIMEFRAME_RE.test(text) ? 'window' : 'capability' });
  }
  if (status === 404 || bodyStatus === 'NOT_FOUND') return new NotFound(text, init);
  if (status === 408 || status === 413 || status === 499 || status >= 500) {
    return new Transient(text, { ...init, retryAfterMs: parseRetryTiming(headers, ctx?.nowMs ?? Date.now()).retryAfterMs });
  }
  if (status >= 400 || bodyStatus === 'ERROR') return new BadRequest(text, init);
  return undefined;
}
