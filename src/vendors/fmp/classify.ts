import { addDays, nyDate, nyInstant } from '../../calendar/index.js';
import {
  AuthFailed,
  BadRequest,
  EntitlementDenied,
  MAX_ERROR_BODY_CHARS,
  NotFound,
  RateLimited,
  Transient,
  errorInit,
  parseRetryTiming,
  rateLimited,
  readVendorMessage,
  type ClassifyContext,
  type VendorError,
} from '../../http/index.js';
import { FmpLegacyEndpointClosed, FmpParameterNotEntitled } from './errors.js';

/** FMP's error text lives in `"Error Message"` (then `message`, `error`); 402 bodies may be bare text. */
const MESSAGE_FIELDS = ['Error Message', 'message', 'error'] as const;
/** Bare-text bodies are matched on this much of their head: every FMP error sentence is shorter. */
const TEXT_HEAD_CHARS = 2_000;

const BANDWIDTH_RE = /bandwidth limit reach/i;
const LIMIT_REACH_RE = /limit reach/i;
const AUTH_RE = /invalid api key/i;
const LEGACY_RE = /legacy endpoint/i;
/** `This value set for 'symbol'` / `The values for 'limit'`: the parameter the plan refuses. */
const PARAMETER_RE = /values?\s+(?:set\s+)?for\s+'([A-Za-z_]+)'/i;
const ENDPOINT_DENIED_RE = /exclusive endpoint|restricted endpoint/i;
const PREMIUM_RE = /premium query parameter|special parameters/i;
/** Any of FMP's error sentences: how a bare-text body is told apart from a CDN page or junk. */
const KNOWN_ERROR_RE = new RegExp(
  [BANDWIDTH_RE, LIMIT_REACH_RE, AUTH_RE, LEGACY_RE, PARAMETER_RE, ENDPOINT_DENIED_RE, PREMIUM_RE].map((re) => re.source).join('|'),
  'i',
);
/** Legacy v3 puts the symbol in the path of these endpoints. */
const LEGACY_SYMBOL_PATH_RE = /\/api\/v3\/(?:profile|historical-price-full|income-statement|balance-sheet-statement|cash-flow-statement)\/([^/]+)$/;

/**
 * `Bandwidth Limit Reach` is a trailing-30-day byte cap with no advertised reset: look again in a
 * day (our guess, not a vendor fact); the scheduler freezes FMP until then.
 */
export const BANDWIDTH_RETRY_MS = 24 * 60 * 60 * 1000;

/**
 * FMP error mapping (vendors/fmp.md §2.2, order as the notes' classifier list). Called on every
 * response: FMP answers errors with HTTP 200 too (`{"Error Message": …}` instead of an array), and
 * its 402 means three different things that only the text distinguishes:
 * - `value set for 'symbol'` → NotFound{symbol}: this plan does not cover the symbol (free keys
 *   see ~87 sample symbols). Not a capability denial — the endpoint works for other symbols — and
 *   not a date window; NotFound with the symbol is what marks a bad symbol for days (the notes ask
 *   ≥ 7) without disabling the endpoint. A 402 never proves the symbol does not exist.
 * - `value set for 'period'` / `values for 'limit'` → FmpParameterNotEntitled (a BadRequest):
 *   change the request (annual instead of quarter, limit ≤ 5, page 0).
 * - `Exclusive Endpoint` / `Restricted Endpoint` → EntitlementDenied{capability}: stop asking.
 */
export function classifyFmpError(status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  const ok = status >= 200 && status < 300;
  if (ok && !looksLikeError(bodyText)) return undefined;
  const { text, haystack } = fmpMessage(bodyText);
  const init = errorInit('fmp', status, bodyText, ctx);
  const nowMs = ctx?.nowMs ?? Date.now();
  if (BANDWIDTH_RE.test(haystack)) return new RateLimited(text, { ...init, resetAtMs: nowMs + BANDWIDTH_RETRY_MS });
  if (LIMIT_REACH_RE.test(haystack)) return new RateLimited(text, { ...init, resetAtMs: nextNewYorkMidnight(nowMs) });
  if (AUTH_RE.test(haystack) || status === 401) return new AuthFailed(text, init);
  if (LEGACY_RE.test(haystack)) return new FmpLegacyEndpointClosed(text, init);
  const parameter = PARAMETER_RE.exec(haystack)?.[1]?.toLowerCase();
  if (parameter === 'symbol') {
    const symbol = requestedSymbol(ctx?.url);
    return new NotFound(`symbol ${symbol ?? '(unknown)'} is not covered by this FMP plan: ${text}`, { ...init, symbol });
  }
  if (ENDPOINT_DENIED_RE.test(haystack)) return new EntitlementDenied(text, { ...init, scope: 'capability' });
  if (parameter !== undefined || PREMIUM_RE.test(haystack)) return new FmpParameterNotEntitled(text, { ...init, parameter: parameter ?? 'unknown' });
  return byStatus(status, text, init, headers, ctx);
}

function byStatus(status: number, text: string, init: ReturnType<typeof errorInit>, headers: Headers, ctx: ClassifyContext | undefined): VendorError {
  if (status === 429) return rateLimited(text, init, headers, ctx);
  // A 402/403 we cannot read is treated as the endpoint being off the plan: a person looks at it.
  if (status === 402 || status === 403) return new EntitlementDenied(text, { ...init, scope: 'capability' });
  if (status === 404) return new NotFound(text, init);
  if (status === 408 || status === 425 || status === 499 || status >= 500) {
    return new Transient(text, { ...init, retryAfterMs: parseRetryTiming(headers, ctx?.nowMs ?? Date.now()).retryAfterMs });
  }
  // Other 4xx, and a 2xx carrying an error object in words we do not know: permanent, never data.
  return new BadRequest(text, init);
}

/**
 * Is a 2xx body an error? Arrays are data; a big body is data; a JSON object is an error only when
 * it carries an error field (legacy `{symbol, historical}` is data); bare text only when it is one
 * of FMP's error sentences (anything else fails JSON parsing later and is quarantined as Malformed).
 */
function looksLikeError(bodyText: string): boolean {
  if (bodyText.length > MAX_ERROR_BODY_CHARS) return false;
  const head = bodyText.trimStart();
  if (head.startsWith('[')) return false;
  if (head.startsWith('{')) {
    const { json } = readVendorMessage(bodyText, MESSAGE_FIELDS);
    return MESSAGE_FIELDS.some((field) => typeof json?.[field] === 'string');
  }
  return KNOWN_ERROR_RE.test(head.slice(0, TEXT_HEAD_CHARS));
}

/** The message to show and the text to match (the whole bare body, not a 200-char excerpt). */
function fmpMessage(bodyText: string): { text: string; haystack: string } {
  const { json, text } = readVendorMessage(bodyText, MESSAGE_FIELDS);
  return { text, haystack: json === undefined ? bodyText.slice(0, TEXT_HEAD_CHARS) : text };
}

/** The symbol a request asked for: `?symbol=` on stable, the last path segment on legacy v3. */
export function requestedSymbol(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    const query = parsed.searchParams.get('symbol');
    if (query !== null && query !== '') return query;
    const segment = LEGACY_SYMBOL_PATH_RE.exec(parsed.pathname)?.[1];
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * FMP documents no reset time for the daily request cap; the notes' rule is "wait until the next
 * 00:00 America/New_York". A calendar-day counter is the assumption, not a vendor fact.
 */
export function nextNewYorkMidnight(nowMs: number): number {
  return nyInstant(addDays(nyDate(nowMs), 1), '00:00');
}
