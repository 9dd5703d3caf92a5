import type { RetryTiming } from './errors.js';

/**
 * Reads when a vendor wants us back from response headers. Pure; `nowMs` is the instant the
 * response arrived on the caller's clock. The result carries both forms (a delay and an instant)
 * or neither, so callers may use whichever suits them.
 *
 * Rules (after ky's retry-timing, adapted):
 * 1. `Retry-After` wins when present and valid: it is the server's explicit instruction (RFC 9110
 *    §10.2.3), either delay-seconds or an HTTP-date. A date in the past means "now".
 * 2. Otherwise a reset header: `X-RateLimit-Reset`, then `RateLimit-Reset`. Vendors disagree on
 *    its unit: Alpaca and GitHub send Unix epoch seconds, the IETF RateLimit draft sends delta
 *    seconds, a few gateways send epoch milliseconds. The magnitude tells them apart safely:
 *    - ≥ 1e12 → epoch milliseconds (1e12 s would be ~31,700 years away);
 *    - ≥ 1e9  → epoch seconds (1e9 s = Sept 2001: no real reset instant is smaller, and no
 *      limiter asks for a 31-year delay);
 *    - otherwise → delta seconds from now.
 * 3. Anything unparseable (negative, NaN, garbage dates) is ignored rather than guessed at.
 */
export function parseRetryTiming(headers: Headers, nowMs: number): RetryTiming {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return { retryAfterMs: retryAfter, resetAtMs: nowMs + retryAfter };
  for (const name of ['x-ratelimit-reset', 'ratelimit-reset']) {
    const resetAt = parseReset(headers.get(name), nowMs);
    if (resetAt !== undefined) return { retryAfterMs: Math.max(0, resetAt - nowMs), resetAtMs: Math.max(resetAt, nowMs) };
  }
  return {};
}

const SECONDS_RE = /^\d+(?:\.\d+)?$/;

function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (SECONDS_RE.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names a month/weekday; a bare or signed number that failed above is junk.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

function parseReset(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (!SECONDS_RE.test(text)) return undefined;
  const n = Number(text);
  if (n >= 1e12) return Math.round(n);
  if (n >= 1e9) return Math.round(n * 1000);
  return nowMs + Math.round(n * 1000);
}

/** `X-RateLimit-Remaining` (Alpaca) / `RateLimit-Remaining` when numeric: lets pacing lower its headroom. */
export function parseRemaining(headers: Headers): number | undefined {
  const value = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
