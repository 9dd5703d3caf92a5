import type { EndpointId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { BadRequest, type HttpClient } from '../../http/index.js';

/**
 * A symbol we send or store: US tickers as Finnhub spells them (`AAPL`, `BRK.B`, `ABR-PD`) and the
 * suffixed foreign forms (`0A02.L`); no spaces, control characters or path tricks.
 */
export const FINNHUB_SYMBOL_RE = /^[A-Za-z0-9][A-Za-z0-9.\-]{0,23}$/;

/** A row a connector dropped on purpose, with why (reported, never silent). */
export interface FinnhubSkip {
  endpoint: EndpointId;
  /** The offending value, JSON-quoted so control characters stay visible in logs. */
  value: string;
  reason: string;
}

export interface FinnhubContext {
  http: HttpClient;
  baseUrl: string;
  /** `X-Finnhub-Token: <key>`: the key never travels in a URL, so it cannot reach `source_uri`. */
  headers: Record<string, string>;
  clock: Clock;
  onSkip: (skipped: FinnhubSkip) => void;
}

/** Refuses a symbol before a request is spent on it. */
export function requireSymbol(symbol: string, endpoint: EndpointId): string {
  if (!FINNHUB_SYMBOL_RE.test(symbol)) throw new BadRequest(`invalid symbol ${JSON.stringify(symbol)}`, { vendor: 'finnhub', endpoint });
  return symbol;
}
