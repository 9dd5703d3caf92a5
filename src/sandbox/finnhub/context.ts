import type { Market } from '../market/index.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';

/** What one request handler may read: the market and the instant it is served at. */
export interface FinnhubContext {
  market: Market;
  now: number;
  /** New York date of `now`. */
  today: string;
  /** Latest session whose close is at or before `now`: the "current" snapshot is of this day. */
  lastCompleted: string;
}

/** Finnhub error bodies are `{"error": …}`. */
export function finnhubError(status: number, error: string): EmulatorResponse {
  return jsonResponse(status, { error });
}

/** Premium endpoints on a free key (and, historically, an empty token): fixture `error_403_no_access.json`. */
export const NO_ACCESS_MESSAGE = "You don't have access to this resource.";
/** A key Finnhub does not know (Finnhub-API #582). */
export const INVALID_KEY_MESSAGE = 'Invalid API key.';
/** Over the per-minute or per-second limit: fixture `error_429_rate_limit.json`. */
export const RATE_LIMIT_MESSAGE = 'API limit reached. Please try again later. Remaining Limit: 0';

export const noAccess = (): EmulatorResponse => finnhubError(403, NO_ACCESS_MESSAGE);

/**
 * A required parameter missing or unparseable. Finnhub's wording for this is not documented in the
 * notes; the sandbox answers 422 with an `error` text naming the parameter.
 */
export function badParameter(name: string): EmulatorResponse {
  return finnhubError(422, `Wrong or missing parameter: ${name}`);
}

export const cents = (x: number): number => Math.round(x * 100) / 100;
export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
