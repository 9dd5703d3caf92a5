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

// Specific wordings only: the original pipeline took any text containing "rate" for a rate limit (study B17).
const RATE_LIMIT_RE = /api limit reached|too many requests|rate limit exceeded/i;
// An empty or webhook-secret token got "API limit reached. Please sign up for a free account…" (#122): no key, not a limit.
const AUTH_RE = /invalid api key|please sign up|api key (is )?(required|missing)|wrong api key/i;
// "You don't have access to this resource." came with 401 before ~2022 and 403 since (#405, #532).
const ENTITLEMENT_RE = /(don'?t|do not) have access|premium|upgrade|subscription|not entitled/i;

/**
 * Finnhub's error mapping (vendors/finnhub.md §4): body text first, status second, because the
 * same "no access" text has come with 401 and 403. Checked on every response: an HTML page with
 * 200/404 (#549) or any other non-JSON 2xx body is Transient, and a 2xx JSON object carrying an
 * `error` string is an error, never data (study §3.2 item 33). A 2xx `{"s":"no_data"}` is a valid
 * empty answer and passes; a 429 is always RateLimited, with X-Ratelimit-Reset (epoch seconds) or
 * Retry-After as its timing.
 */
export function classifyFinnhubError(status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  const ok = status >= 200 && status < 300;
  const init = errorInit('finnhub', status, bodyText, ctx);
  if (status === 429) return rateLimited(readVendorMessage(bodyText, ['error', 'message']).text, init, headers, ctx);
  const first = firstCharOf(bodyText);
  if (first === '<') return new Transient('HTML page instead of JSON (vendor outage or blocked endpoint)', { ...init, retryAfterMs: retryAfterOf(headers, ctx) });
  // Any other non-JSON 2xx body (plain text, nothing) is a vendor hiccup, not drift: back off (vendors/finnhub.md §3.2).
  if (ok && first !== '{' && first !== '[') return new Transient('non-JSON body', { ...init, retryAfterMs: retryAfterOf(headers, ctx) });
  // Big 2xx bodies are data (the US symbol list is megabytes); error envelopes are tiny.
  if (ok && bodyText.length > MAX_ERROR_BODY_CHARS) return undefined;
  const { json, text } = readVendorMessage(bodyText, ['error', 'message']);
  if (ok && typeof json?.error !== 'string') return undefined;
  if (AUTH_RE.test(text)) return new AuthFailed(text, init);
  if (RATE_LIMIT_RE.test(text)) return rateLimited(text, init, headers, ctx);
  if (status === 403 || ENTITLEMENT_RE.test(text)) return new EntitlementDenied(text, { ...init, scope: 'capability' });
  if (status === 401) return new AuthFailed(text, init);
  if (status === 404) return new NotFound(text, init);
  if (status === 408 || status === 499 || status >= 500) return new Transient(text, { ...init, retryAfterMs: retryAfterOf(headers, ctx) });
  // 400/422, other 4xx, and any 2xx error envelope: asking again returns the same answer.
  return new BadRequest(text, init);
}

/** The first non-blank character, without copying a megabyte body. */
function firstCharOf(bodyText: string): string | undefined {
  return /^\s*(\S)/.exec(bodyText.slice(0, 1024))?.[1];
}

function retryAfterOf(headers: Headers, ctx: ClassifyContext | undefined): number | undefined {
  return parseRetryTiming(headers, ctx?.nowMs ?? Date.now()).retryAfterMs;
}
