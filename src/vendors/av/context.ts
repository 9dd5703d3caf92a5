import type { EndpointId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { BadRequest, buildUrl, type HttpClient, type HttpResult, type Malformed, type QueryParams } from '../../http/index.js';
import { invariantBroken } from '../shared/index.js';

/**
 * A symbol we are willing to send and store: US tickers as is (`BRK-B`, `BRK.B`), foreign listings
 * with their suffix (`TSCO.LON`). No spaces, control characters or path tricks.
 */
export const AV_SYMBOL_RE = /^[A-Z0-9][A-Z0-9.\-]{0,19}$/;

/**
 * Something the connector noticed about a payload without rejecting it: a row it dropped
 * (`skipped`) or kept but marked as suspicious (`flagged`, e.g. a spin-off booked as a split).
 */
export interface AvNotice {
  endpoint: EndpointId;
  kind: 'skipped' | 'flagged';
  /** The offending value, JSON-quoted so control characters stay visible in logs. */
  value: string;
  reason: string;
}

export interface AvContext {
  http: HttpClient;
  clock: Clock;
  baseUrl: string;
  apiKey: string;
  /** Receives notices already redacted. */
  onNotice: (notice: AvNotice) => void;
  /**
   * Masks the key in text taken from a parsed JSON body (the HttpClient redacts raw bodies, URLs
   * and its own messages, not values we quote from a body into a reason).
   */
  redact: (text: string) => string;
}

/** Malformed for a payload that parsed but breaks an invariant; the reason may quote the body, so it is redacted. */
export function payloadBroken(ctx: Pick<AvContext, 'redact'>, result: Pick<HttpResult<unknown>, 'redactedUrl' | 'redactedText' | 'status'>, endpoint: EndpointId, reason: string): Malformed {
  return invariantBroken(result, 'av', endpoint, ctx.redact(reason));
}

/**
 * Alpha Vantage refuses with `{"detail": …}` when the Accept header is too narrow
 * (vendors/alphavantage.md §1); nothing we send depends on content negotiation.
 */
export const AV_HEADERS: Record<string, string> = { Accept: '*/*' };

/** `GET {base}/query?function=F&…&apikey=KEY`: the key travels only here and goes last. */
export function queryUrl(ctx: Pick<AvContext, 'baseUrl' | 'apiKey'>, fn: string, params: QueryParams): URL {
  return buildUrl(ctx.baseUrl, '/query', { function: fn, ...params, apikey: ctx.apiKey });
}

/** Upper-cases and checks a symbol before any request is spent on it. */
export function requireSymbol(symbol: string, endpoint: EndpointId): string {
  const normalized = symbol.trim().toUpperCase();
  if (!AV_SYMBOL_RE.test(normalized)) throw new BadRequest(`invalid symbol ${JSON.stringify(symbol)}`, { vendor: 'av', endpoint });
  return normalized;
}

/** Oldest date an endpoint accepts (official MCP tool docstrings); earlier ones are refused locally. */
export function requireNotBefore(date: string, earliest: string, name: string, endpoint: EndpointId): void {
  if (date < earliest) throw new BadRequest(`${name} ${date} is before ${earliest}, the earliest date Alpha Vantage serves here`, { vendor: 'av', endpoint });
}

/** Two spellings of one listing (`BRK.B` / `BRK-B`, any case) compare equal. */
export function sameSymbol(a: string, b: string): boolean {
  const canon = (s: string): string => s.trim().toUpperCase().replace(/-/g, '.');
  return canon(a) === canon(b);
}
