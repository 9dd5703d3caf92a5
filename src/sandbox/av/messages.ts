import type { EmulatorResponse } from '../shared/http.js';

/*
 * Alpha Vantage's refusal texts, verbatim from the vendor notes (section 2) and the shared fixtures.
 * Every one of them travels with HTTP 200: the body is the only signal.
 */

const PREMIUM_URL = 'https://www.alphavantage.co/premium/';

export const DAILY_LIMIT_TEXT = `Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at ${PREMIUM_URL} to instantly remove all daily rate limits.`;

/** The 2026 variant echoes the caller's key into the body (why bodies must be redacted before logging). */
export function dailyLimitWithKeyText(apiKey: string): string {
  return `We have detected your API key as ${apiKey} and our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at ${PREMIUM_URL} to instantly remove all daily rate limits.`;
}

export const BURST_LIMIT_TEXT = `Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly (1 request per second). You may subscribe to any of the premium plans at ${PREMIUM_URL} to lift the free key rate limit (25 requests per day), raise the per-second burst limit, and instantly unlock all premium endpoints`;

/** The pre-2024 free tier (5/min + 500/day) answered both throttles with this, under `Note`. */
export const LEGACY_NOTE_TEXT = `Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit ${PREMIUM_URL} if you would like to target a higher API call frequency.`;

export const PREMIUM_ENDPOINT_TEXT = `Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at ${PREMIUM_URL} to instantly unlock all premium endpoints`;

export const PREMIUM_OUTPUTSIZE_TEXT = `Thank you for using Alpha Vantage! The outputsize=full parameter value is a premium feature for the TIME_SERIES_DAILY endpoint. You may subscribe to any of the premium plans at ${PREMIUM_URL} to instantly unlock all premium features`;

export const DEMO_KEY_TEXT =
  'The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key) to explore our full API offerings. It takes fewer than 20 seconds, and we are committed to making it free forever.';

export const INVALID_APIKEY_TEXT =
  'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.';

/** "Invalid API call" ends with the function asked for; without one the tail is dropped (our guess). */
export function invalidCallText(fn: string | null): string {
  const base = 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/)';
  return fn ? `${base} for ${fn}.` : `${base}.`;
}

export const ACCEPT_HEADER_TEXT = 'Could not satisfy the request Accept header.';

const REALTIME_OPTIONS_MESSAGE = `This is a premium endpoint. ***THE SAMPLE DATA SCHEMA BELOW IS ARTIFICIAL AND FOR ILLUSTRATION PURPOSES ONLY***. To access the actual data, please subscribe to either the 600 requests per minute or the 1200 requests per minute premium plan at ${PREMIUM_URL} if you would like to access realtime US options data for personal non-professional use.`;

/** A non-entitled REALTIME_OPTIONS call: the refusal in `message`, plus fake rows a careless parser would ingest. */
export const REALTIME_OPTIONS_NOT_ENTITLED = {
  endpoint: 'Realtime Options',
  message: REALTIME_OPTIONS_MESSAGE,
  data: [
    {
      contractID: 'XXYYZZ999999C00020000',
      symbol: 'XXYYZZ',
      expiration: '2099-99-99',
      strike: '20.00',
      type: 'call',
      last: '100.00',
      mark: '100.10',
      bid: '100.05',
      bid_size: '100',
      ask: '100.15',
      ask_size: '100',
      volume: '100',
      open_interest: '100',
      date: '2049-99-99',
      implied_volatility: '0.23766',
      delta: '0.17818',
      gamma: '0.00317',
      theta: '-0.02015',
      vega: '0.90231',
      rho: '0.71615',
    },
  ],
} as const;

const JSON_TYPE = { 'content-type': 'application/json' };

/** Alpha Vantage pretty-prints its JSON with four spaces; kept so captures and sandbox bodies look alike. */
export function avJson(value: unknown): EmulatorResponse {
  return { status: 200, body: JSON.stringify(value, null, 4), headers: { ...JSON_TYPE } };
}

/** CSV with CRLF line ends, as the vendor sends it. Fields holding a comma, quote or line break are quoted. */
export function avCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): EmulatorResponse {
  const lines = [header, ...rows].map((cells) => cells.map(csvField).join(','));
  return { status: 200, body: `${lines.join('\r\n')}\r\n`, headers: { 'content-type': 'text/csv; charset=utf-8' } };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const information = (text: string): EmulatorResponse => avJson({ Information: text });
export const note = (text: string): EmulatorResponse => avJson({ Note: text });
export const errorMessage = (text: string): EmulatorResponse => avJson({ 'Error Message': text });
export const invalidCall = (fn: string | null): EmulatorResponse => errorMessage(invalidCallText(fn));
export const invalidApiKey = (): EmulatorResponse => errorMessage(INVALID_APIKEY_TEXT);
export const premiumEndpoint = (): EmulatorResponse => information(PREMIUM_ENDPOINT_TEXT);
