import type { EndpointId, VendorId } from '../catalog/index.js';
import { TrademlError } from '../errors/index.js';

/** Longest body excerpt an error keeps: enough to read the vendor's message, never a whole payload. */
export const BODY_EXCERPT_CHARS = 300;

/**
 * What a vendor error knows about the request. Every string here must already be redacted: the
 * HttpClient redacts URLs and bodies before it classifies, so a classifier only ever sees safe text.
 */
export interface VendorErrorInit {
  vendor: VendorId;
  endpoint?: EndpointId | undefined;
  status?: number | undefined;
  /** Redacted request URL. */
  url?: string | undefined;
  /** Redacted response body; only the first BODY_EXCERPT_CHARS are kept. */
  body?: string | undefined;
  /** Already sanitized (see sanitizeCause). */
  cause?: unknown;
}

/** Base of every failure talking to a vendor: who, which endpoint, what status, what it said. */
export class VendorError extends TrademlError {
  override readonly vendor: VendorId;
  readonly endpoint: EndpointId | undefined;
  /** The request URL with every key masked. */
  readonly url: string | undefined;
  readonly bodyExcerpt: string | undefined;

  constructor(detail: string, init: VendorErrorInit) {
    super(composeMessage(detail, init), { vendor: init.vendor, status: init.status, cause: init.cause });
    this.vendor = init.vendor;
    this.endpoint = init.endpoint;
    this.url = init.url;
    this.bodyExcerpt = init.body === undefined ? undefined : init.body.slice(0, BODY_EXCERPT_CHARS);
  }
}

function composeMessage(detail: string, init: VendorErrorInit): string {
  const where = init.endpoint ?? init.vendor;
  const status = init.status === undefined ? '' : ` HTTP ${init.status}`;
  return `${where}${status}: ${detail}`;
}

export interface RetryTiming {
  /** How long the vendor asked us to wait, from the moment the response arrived. */
  retryAfterMs?: number | undefined;
  /** Epoch ms at which the vendor said the budget refills. */
  resetAtMs?: number | undefined;
}

/** The vendor said "too many requests" (HTTP 429 or equivalent wording). Retryable after a wait. */
export class RateLimited extends VendorError {
  readonly retryAfterMs: number | undefined;
  readonly resetAtMs: number | undefined;

  constructor(detail: string, init: VendorErrorInit & RetryTiming) {
    super(detail, init);
    this.retryAfterMs = init.retryAfterMs;
    this.resetAtMs = init.resetAtMs;
  }
}

/**
 * The plan does not cover this. `capability`: the endpoint/asset class is not in the plan (stop
 * asking). `window`: only this date range is outside the plan (clamp the window and move on).
 */
export type EntitlementScope = 'capability' | 'window';

export class EntitlementDenied extends VendorError {
  readonly scope: EntitlementScope;

  constructor(detail: string, init: VendorErrorInit & { scope: EntitlementScope }) {
    super(detail, init);
    this.scope = init.scope;
  }
}

/** Missing, wrong or revoked credentials. */
export class AuthFailed extends VendorError {}

/** The thing asked for does not exist; `symbol` names the offending symbol when the vendor said. */
export class NotFound extends VendorError {
  readonly symbol: string | undefined;

  constructor(detail: string, init: VendorErrorInit & { symbol?: string | undefined }) {
    super(detail, init);
    this.symbol = init.symbol;
  }
}

/** A 5xx, a network failure or a timeout: worth retrying with backoff. */
export class Transient extends VendorError {
  /** A 503 may say when to come back; backoff never waits less than this. */
  readonly retryAfterMs: number | undefined;

  constructor(detail: string, init: VendorErrorInit & { retryAfterMs?: number | undefined }) {
    super(detail, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * The response cannot be trusted: not parseable, or not what the endpoint's schema says. Carries the
 * reason and the redacted body so the caller can quarantine it. Never retried: asking again
 * returns the same bytes.
 */
export class Malformed extends VendorError {
  readonly reason: string;
  /** The whole response body, redacted. */
  readonly rawText: string;

  constructor(reason: string, init: VendorErrorInit & { rawText?: string | undefined }) {
    super(`malformed response: ${reason}`, { ...init, body: init.body ?? init.rawText });
    this.reason = reason;
    this.rawText = init.rawText ?? '';
  }
}

/** Our parameters were wrong (HTTP 400/422 or refused before sending): fix the caller, never retry. */
export class BadRequest extends VendorError {}

/** Only transient failures and rate limits get another try; everything else is permanent. */
export function isRetryable(error: unknown): boolean {
  return error instanceof Transient || error instanceof RateLimited;
}

export function isVendorError(error: unknown): error is VendorError {
  return error instanceof VendorError;
}
