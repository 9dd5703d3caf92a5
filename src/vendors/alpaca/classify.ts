import {
  AuthFailed,
  BadRequest,
  EntitlementDenied,
  NotFound,
  Transient,
  errorInit,
  parseRetryTiming,
  rateLimited,
  readVendorMessage,
  type ClassifyContext,
  type VendorError,
} from '../../http/index.js';

// Patterns are specific on purpose: the original pipeline matched the substring "rate" and
// mistook "generate"/"separate" for rate limits (study B17).
const RATE_LIMIT_RE = /rate limit exceeded|too many requests/i;
const RECENT_SIP_RE = /subscription does not permit querying recent sip data/i;
const ENTITLEMENT_RE = /subscription does not permit|not entitled|not_entitled|upgrade your (plan|subscription)/i;
const INVALID_SYMBOL_RE = /invalid symbol:?\s*([^\s"',]+)/i;

/**
 * Alpaca's error mapping (vendors/alpaca.md §5). Bodies are `{"message": …}` (sometimes with a
 * numeric `code`) or plain text from a gateway. Rate-limit wording is checked before entitlement
 * wording, and both before the status fallbacks.
 */
export function classifyAlpacaError(status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const { text } = readVendorMessage(bodyText, ['message', 'error']);
  const init = errorInit('alpaca', status, bodyText, ctx);
  if (status === 429 || RATE_LIMIT_RE.test(text)) return rateLimited(text, init, headers, ctx);
  if (status === 403 && RECENT_SIP_RE.test(text)) return new EntitlementDenied(text, { ...init, scope: 'window' });
  if (ENTITLEMENT_RE.test(text)) return new EntitlementDenied(text, { ...init, scope: 'capability' });
  // Alpaca answers 403 "forbidden." for a missing or wrong key pair (the FAQ), 401 per the spec.
  if (status === 401 || status === 403) return new AuthFailed(text, init);
  if (status === 404) return new NotFound(text, init);
  if (status === 400 || status === 422) {
    const symbol = INVALID_SYMBOL_RE.exec(text)?.[1];
    // One malformed symbol fails the whole batch: report which, so the caller can drop it and retry.
    if (symbol !== undefined) return new NotFound(text, { ...init, symbol });
    return new BadRequest(text, init);
  }
  if (status === 408 || status >= 500) return new Transient(text, { ...init, retryAfterMs: parseRetryTiming(headers, ctx?.nowMs ?? Date.now()).retryAfterMs });
  return undefined;
}
