import { addDays, nyDate, nyInstant } from '../../calendar/index.js';
import {
  AuthFailed,
  BadRequest,
  EntitlementDenied,
  MAX_ERROR_BODY_CHARS,
  Malformed,
  MASK,
  RateLimited,
  errorInit,
  type ClassifyContext,
  type VendorError,
  type VendorErrorInit,
} from '../../http/index.js';

/** The burst limit is ~1 request/second; 2 s is what a maintainer found reliable (vendors/alphavantage.md §0). */
export const AV_BURST_RETRY_MS = 2_000;
/** Legacy `Note` (5 calls per minute) and the undated "call volume" throttle: wait out a minute. */
export const AV_MINUTE_RETRY_MS = 60_000;

const AUTH_RE = /apikey is invalid|parameter apikey|invalid api ?key|\bdemo\b\W*api key/i;
const BURST_RE = /spreading out|per[- ]second|burst/i;
const DAILY_RE = /requests per day|calls per day|daily rate limit/i;
const MINUTE_RE = /call frequency|calls per minute|requests per minute/i;
const THROTTLE_RE = /call volume|rate limit/i;
const PREMIUM_RE = /premium endpoint|premium feature/i;
const OUTPUTSIZE_RE = /outputsize=full/i;
const INVALID_CALL_RE = /invalid api call/i;

/**
 * Alpha Vantage answers HTTP 200 for everything (vendors/alphavantage.md §2), so every response
 * body is read: a one-key envelope `Error Message`, `Information` or `Note`, `detail`, or a
 * `message` naming a premium endpoint. Anything that is not a JSON object (the LISTING_STATUS CSV,
 * a huge data payload) is left to the endpoint's decoder; other statuses fall back to
 * `classifyByStatus` unless the body is a recognised envelope.
 *
 * Order matters: nearly every text ends with a premium up-sell and the burst text quotes the daily
 * limit, so credentials come first, then the burst limit, the daily limit, the minute limit and
 * other throttles, and only then premium wording.
 */
export function classifyAvError(status: number, bodyText: string, _headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  const ok = status >= 200 && status < 300;
  if (ok && bodyText.length > MAX_ERROR_BODY_CHARS) return undefined;
  const json = parseObject(bodyText);
  if (json === undefined) return undefined;
  const safeBody = scrubEchoedKey(bodyText);
  const init = errorInit('av', status, safeBody, ctx);
  const nowMs = ctx?.nowMs ?? Date.now();

  const errorMessage = textField(json, 'Error Message');
  if (errorMessage !== undefined) {
    return classifyNotice(errorMessage, init, nowMs) ?? badRequest(errorMessage, init);
  }
  const notice = textField(json, 'Information') ?? textField(json, 'Note');
  if (notice !== undefined) {
    const classified = classifyNotice(notice, init, nowMs);
    if (classified !== undefined || !ok) return classified;
    return new Malformed(`unrecognised Alpha Vantage notice: ${scrubEchoedKey(notice)}`, { ...init, rawText: safeBody });
  }
  const detail = textField(json, 'detail');
  if (detail !== undefined && Object.keys(json).length === 1) {
    return new BadRequest(`request refused: ${detail}`, init);
  }
  const message = textField(json, 'message');
  if (message !== undefined && PREMIUM_RE.test(message)) {
    // REALTIME_OPTIONS sends fake sample rows alongside this refusal: never let them through.
    return new EntitlementDenied(excerpt(message), { ...init, scope: 'capability' });
  }
  return undefined;
}

/** A throttle, refusal or credentials text; undefined when the wording is none of those. */
function classifyNotice(raw: string, init: VendorErrorInit, nowMs: number): VendorError | undefined {
  const text = scrubEchoedKey(raw);
  if (AUTH_RE.test(text)) return new AuthFailed(text, init);
  if (BURST_RE.test(text)) return new RateLimited(`burst limit: ${text}`, { ...init, retryAfterMs: AV_BURST_RETRY_MS, resetAtMs: nowMs + AV_BURST_RETRY_MS });
  if (DAILY_RE.test(text) && !MINUTE_RE.test(text)) {
    const resetAtMs = nextDailyResetMs(nowMs);
    return new RateLimited(`daily limit: ${text}`, { ...init, retryAfterMs: resetAtMs - nowMs, resetAtMs });
  }
  if (MINUTE_RE.test(text) || THROTTLE_RE.test(text)) {
    return new RateLimited(text, { ...init, retryAfterMs: AV_MINUTE_RETRY_MS, resetAtMs: nowMs + AV_MINUTE_RETRY_MS });
  }
  if (PREMIUM_RE.test(text)) {
    const what = OUTPUTSIZE_RE.test(text) ? 'outputsize=full is premium (use compact)' : 'premium endpoint';
    return new EntitlementDenied(`${what}: ${text}`, { ...init, scope: 'capability' });
  }
  return undefined;
}

function badRequest(text: string, init: VendorErrorInit): BadRequest {
  // AV cannot tell an unknown symbol from a bad parameter; a symbol is only marked bad after
  // LISTING_STATUS says it is gone (vendors/alphavantage.md §2), so this is not a NotFound.
  const hint = INVALID_CALL_RE.test(text) ? ' (unknown symbol or bad parameter)' : '';
  return new BadRequest(`${scrubEchoedKey(text)}${hint}`, init);
}

/**
 * When the daily quota comes back. The reset instant is undocumented: either 00:00 UTC or 00:00
 * New York (vendors/alphavantage.md §2). We wait for whichever candidate comes first; if the key
 * is still limited then, the next refusal points at the other one. That is the notes' policy
 * ("freeze until 00:00 UTC, probe once, else until 00:00 New York") without keeping state, and it
 * costs at most one probe per candidate reset.
 */
export function nextDailyResetMs(nowMs: number): number {
  const d = new Date(nowMs);
  const utcMidnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  try {
    const nyMidnight = nyInstant(addDays(nyDate(nowMs), 1), '00:00');
    return Math.min(utcMidnight, nyMidnight);
  } catch {
    return utcMidnight; // outside the calendar's range: UTC alone
  }
}

/**
 * The daily-limit text can quote a key ("We have detected your API key as XXXX and …"). The
 * HttpClient masks our own key; this also masks one we did not send (a proxy's, a rotated one).
 */
export function scrubEchoedKey(text: string): string {
  return text.replace(/(api ?key as\s+)(?!\*\*\*)[^\s"',;.)]+/gi, `$1${MASK}`);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function textField(json: Record<string, unknown>, key: string): string | undefined {
  const value = json[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The refusal part of a long premium message, not its marketing tail. */
function excerpt(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}
