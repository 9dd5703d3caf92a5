export {
  VendorError,
  RateLimited,
  EntitlementDenied,
  AuthFailed,
  NotFound,
  Transient,
  Malformed,
  BadRequest,
  isRetryable,
  isVendorError,
  BODY_EXCERPT_CHARS,
  type EntitlementScope,
  type RetryTiming,
  type VendorErrorInit,
} from './errors.js';
export { redactUrl, redactText, redactHeaders, MASK } from './redact.js';
export { parseRetryTiming, parseRemaining } from './retry-timing.js';
export type { RequestGate, RequestOutcome } from './gate.js';
export { createSeededRandom, fullJitterDelay, type RandomSource } from './backoff.js';
export { buildUrl, rebaseUrl, encodeQuery, type QueryParams } from './url.js';
export {
  classifyByStatus,
  readVendorMessage,
  errorInit,
  rateLimited,
  MAX_ERROR_BODY_CHARS,
  type Classifier,
  type ClassifyContext,
  type VendorMessage,
} from './classify.js';
export { describeIssues, sanitizeCause } from './sanitize.js';
export {
  HttpClient,
  DEFAULT_MAX_BODY_BYTES,
  type HttpClientOptions,
  type HttpRequestInit,
  type RequestBasics,
  type HttpResult,
  type FetchLike,
} from './client.js';
