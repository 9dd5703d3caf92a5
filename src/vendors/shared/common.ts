import type { EndpointId, VendorId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { BadRequest, Malformed, type HttpClientOptions, type HttpResult } from '../../http/index.js';

/** HttpClient knobs a connector factory passes through (tests inject `fetch` and `random`). */
export type HttpTuning = Partial<
  Pick<
    HttpClientOptions,
    'fetch' | 'timeoutMs' | 'maxRetries' | 'random' | 'backoffBaseMs' | 'backoffCapMs' | 'rateLimitDefaultMs' | 'maxRetryAfterMs' | 'userAgent'
  >
>;

/** Lineage columns every raw and reference row carries. */
export interface Lineage {
  source_name: VendorId;
  source_uri: string;
  ingested_at: string;
}

export function lineage(vendor: VendorId, redactedUrl: string, clock: Clock): Lineage {
  return { source_name: vendor, source_uri: redactedUrl, ingested_at: new Date(clock.now()).toISOString() };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date `YYYY-MM-DD` (2024-02-30 is not). */
export function isIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Refuses a malformed date parameter before any request is spent on it. */
export function requireDate(value: string, name: string, vendor: VendorId, endpoint: EndpointId): string {
  if (!isIsoDate(value)) throw new BadRequest(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`, { vendor, endpoint });
  return value;
}

export function requireOrderedRange(from: string, to: string, vendor: VendorId, endpoint: EndpointId): void {
  if (from > to) throw new BadRequest(`range start ${from} is after its end ${to}`, { vendor, endpoint });
}

/** The date part of a vendor date that may be `YYYY-MM-DD` or a full timestamp; null when absent or junk. */
export function optionalDate(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const head = value.slice(0, 10);
  return isIsoDate(head) ? head : null;
}

/** Epoch ms of an RFC-3339 instant; tolerates nanosecond fractions (Alpaca) that Date.parse may not. */
export function instantMs(value: string): number | undefined {
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) && /[Tt]/.test(value) ? ms : undefined;
}

/** Malformed for a payload that parsed but breaks an endpoint invariant; carries the body to quarantine. */
export function invariantBroken(result: Pick<HttpResult<unknown>, 'redactedUrl' | 'redactedText' | 'status'>, vendor: VendorId, endpoint: EndpointId, reason: string): Malformed {
  return new Malformed(reason, { vendor, endpoint, status: result.status, url: result.redactedUrl, rawText: result.redactedText });
}
