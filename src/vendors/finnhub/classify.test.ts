import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, EntitlementDenied, NotFound, RateLimited, Transient } from '../../http/index.js';
import { classifyFinnhubError } from './classify.js';
import { fixtureText } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 2, 2, 21, 30, 0);
const ctx = { endpoint: 'finnhub.candle.daily' as const, url: 'https://finnhub.io/api/v1/stock/candle?symbol=AAPL&resolution=D&from=0&to=1', nowMs: NOW };
const none = new Headers();
const NO_ACCESS = fixtureText('error_403_no_access.json');
const LIMIT = fixtureText('error_429_rate_limit.json');

describe('classifyFinnhubError: the error fixtures', () => {
  it('maps the 403 no-access fixture to a capability-scoped EntitlementDenied naming endpoint and status', () => {
    const error = classifyFinnhubError(403, NO_ACCESS, none, ctx);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect(error?.message).toBe("finnhub.candle.daily HTTP 403: You don't have access to this resource.");
    expect(error?.toJSON()).toEqual({ error: 'EntitlementDenied', vendor: 'finnhub', status: 403, message: "finnhub.candle.daily HTTP 403: You don't have access to this resource." });
  });

  it('reads the body before the status: the same text with 401 (before ~2022) is still an entitlement', () => {
    expect(classifyFinnhubError(401, NO_ACCESS, none, ctx)).toBeInstanceOf(EntitlementDenied);
  });

  it('maps the terse {"error":"403"} body to EntitlementDenied', () => {
    const error = classifyFinnhubError(403, '{"error":"403"}', none, ctx);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
  });

  it('maps the 429 fixture to RateLimited with the X-Ratelimit-Reset epoch as the reset instant', () => {
    const resetSeconds = NOW / 1000 + 42;
    const headers = new Headers({ 'X-Ratelimit-Limit': '60', 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': String(resetSeconds) });
    const error = classifyFinnhubError(429, LIMIT, headers, ctx);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error?.message).toBe('finnhub.candle.daily HTTP 429: API limit reached. Please try again later. Remaining Limit: 0');
    expect((error as RateLimited).resetAtMs).toBe(NOW + 42_000);
    expect((error as RateLimited).retryAfterMs).toBe(42_000);
  });

  it('prefers Retry-After over the reset header, and names no time when neither is sent', () => {
    const both = new Headers({ 'Retry-After': '7', 'X-Ratelimit-Reset': String(NOW / 1000 + 42) });
    expect((classifyFinnhubError(429, LIMIT, both, ctx) as RateLimited).retryAfterMs).toBe(7_000);
    const bare = classifyFinnhubError(429, LIMIT, none, ctx) as RateLimited;
    expect(bare).toBeInstanceOf(RateLimited);
    expect([bare.retryAfterMs, bare.resetAtMs]).toEqual([undefined, undefined]);
  });

  it('maps every 429 to RateLimited, even the 2020 plain-text "sign up" wording', () => {
    expect(classifyFinnhubError(429, 'API limit reached. Please sign up for a free account to continue using the API.', none, ctx)).toBeInstanceOf(RateLimited);
  });
});

describe('classifyFinnhubError: other statuses and bodies', () => {
  it('maps an invalid key to AuthFailed and a bare 401 too', () => {
    expect(classifyFinnhubError(401, '{"error":"Invalid API key."}', none, ctx)).toBeInstanceOf(AuthFailed);
    expect(classifyFinnhubError(401, '', none, ctx)).toBeInstanceOf(AuthFailed);
  });

  it('treats an HTML page as Transient whatever its status (200, 404, 502)', () => {
    const html = '<!DOCTYPE html><html><body>Finnhub - Free realtime APIs</body></html>';
    for (const status of [200, 404, 502]) {
      const error = classifyFinnhubError(status, html, none, { ...ctx, endpoint: 'finnhub.option_chain' });
      expect(error).toBeInstanceOf(Transient);
      expect(error?.message).toContain('HTML page instead of JSON');
    }
  });

  it('treats any other non-JSON 2xx body (plain text, empty) as Transient, not drift', () => {
    for (const body of ['Internal error, try later', '', '   ']) {
      const error = classifyFinnhubError(200, body, none, ctx);
      expect(error).toBeInstanceOf(Transient);
      expect(error?.message).toBe('finnhub.candle.daily HTTP 200: non-JSON body');
    }
  });

  it('maps 5xx and 408 to Transient, keeping a Retry-After', () => {
    expect(classifyFinnhubError(504, '{"error":"Gateway timeout"}', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyFinnhubError(408, '', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyFinnhubError(503, '', new Headers({ 'Retry-After': '5' }), ctx)).toMatchObject({ retryAfterMs: 5_000 });
  });

  it('maps a JSON 404 to NotFound and a 400 to BadRequest', () => {
    expect(classifyFinnhubError(404, '{"error":"Not found"}', none, ctx)).toBeInstanceOf(NotFound);
    expect(classifyFinnhubError(400, '{"error":"Wrong resolution"}', none, ctx)).toBeInstanceOf(BadRequest);
  });

  it('does not take "generate" or "separate" for a rate limit (study B17)', () => {
    const error = classifyFinnhubError(400, '{"error":"could not generate candles for separate listings"}', none, ctx);
    expect(error).toBeInstanceOf(BadRequest);
  });

  it('classifies error envelopes that arrive with HTTP 200 (study item 33)', () => {
    expect(classifyFinnhubError(200, NO_ACCESS, none, ctx)).toBeInstanceOf(EntitlementDenied);
    expect(classifyFinnhubError(200, LIMIT, none, ctx)).toBeInstanceOf(RateLimited);
    expect(classifyFinnhubError(200, '{"error":"Invalid API key."}', none, ctx)).toBeInstanceOf(AuthFailed);
    expect(classifyFinnhubError(200, '{"error":"Something unexpected"}', none, ctx)).toBeInstanceOf(BadRequest);
  });

  it('lets every 200 data fixture through, no_data included', () => {
    const data = [
      'stock_candle_ok_AAPL_D.json',
      'stock_candle_no_data.json',
      'option_chain_AAPL_RECONSTRUCTED.json',
      'option_chain_contract_AAPL220121C00110000.json',
      'stock_symbol_US_sample.json',
      'stock_split_AAPL.json',
      'stock_dividend_AAPL.json',
      'stock_profile2_AAPL.json',
      'stock_metric_AAPL_all.json',
      'stock_financials_reported_AAPL.json',
      'calendar_earnings_sample.json',
    ];
    for (const name of data) expect(classifyFinnhubError(200, fixtureText(name), none, ctx), name).toBeUndefined();
    expect(classifyFinnhubError(200, '[]', none, ctx)).toBeUndefined();
    expect(classifyFinnhubError(200, '{}', none, ctx)).toBeUndefined();
  });
});
