import type { EndpointId, VendorId } from '../catalog/index.js';
import {
  AuthFailed,
  BadRequest,
  EntitlementDenied,
  NotFound,
  RateLimited,
  Transient,
  type VendorError,
  type VendorErrorInit,
} from './errors.js';
import { parseRetryTiming } from './retry-timing.js';

/** What the HttpClient tells a classifier about the request (all redacted). */
export interface ClassifyContext {
  endpoint?: EndpointId | undefined;
  /** Redacted request URL. */
  url?: string | undefined;
  /** Clock time the response arrived; used to turn reset instants into delays. */
  nowMs?: number | undefined;
}

/**
 * A vendor's error mapping: `undefined` means "this response is fine". Called for every response,
 * 2xx included, because some vendors answer errors with HTTP 200. `bodyText` is already redacted.
 */
export type Classifier = (status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext) => VendorError | undefined;

/** Bodies longer than this are never error objects; classifiers skip parsing them on 2xx. */
export const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** The parsed error body, leniently: a JSON object when the body is one, and its best message text. */
export interface VendorMessage {
  json: Record<string, unknown> | undefined;
  text: string;
}

export function readVendorMessage(bodyText: string, fields: readonly string[] = ['message', 'error']): VendorMessage {
  const json = parseObject(bodyText);
  for (const field of fields) {
    const value = json?.[field];
    if (typeof value === 'string' && value.trim() !== '') return { json, text: value.trim() };
  }
  return { json, text: bodyText.trim().slice(0, 200) || '(empty body)' };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (text.length > MAX_ERROR_BODY_CHARS || !text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function errorInit(vendor: VendorId, status: number, bodyText: string, ctx: ClassifyContext | undefined): VendorErrorInit {
  return { vendor, status, body: bodyText, endpoint: ctx?.endpoint, url: ctx?.url };
}

export function rateLimited(detail: string, init: VendorErrorInit, headers: Headers, ctx: ClassifyContext | undefined): RateLimited {
  return new RateLimited(detail, { ...init, ...parseRetryTiming(headers, ctx?.nowMs ?? Date.now()) });
}

/**
 * The fallback for statuses a vendor classifier left alone. 2xx is fine; 408/425/5xx are
 * transient; everything else in 4xx is permanent.
 */
export function classifyByStatus(vendor: VendorId, status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const { text } = readVendorMessage(bodyText);
  const init = errorInit(vendor, status, bodyText, ctx);
  if (status === 429) return rateLimited(text, init, headers, ctx);
  if (status === 401) return new AuthFailed(text, init);
  if (status === 403) return new EntitlementDenied(text, { ...init, scope: 'capability' });
  if (status === 404) return new NotFound(text, init);
  if (status === 408 || status === 425 || status === 499 || status >= 500) {
    return new Transient(text, { ...init, retryAfterMs: parseRetryTiming(headers, ctx?.nowMs ?? Date.now()).retryAfterMs });
  }
  return new BadRequest(text, init);
}
