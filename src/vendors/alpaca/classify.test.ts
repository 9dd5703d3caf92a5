import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, EntitlementDenied, NotFound, RateLimited, Transient } from '../../http/index.js';
import { fixtureText } from '../shared/test-support/fixtures.js';
import { classifyAlpacaError } from './classify.js';

const NOW = Date.UTC(2026, 2, 2, 15, 0, 0);
const ctx = { endpoint: 'alpaca.bars' as const, url: 'https://data.alpaca.markets/v2/stocks/bars?symbols=AAPL', nowMs: NOW };
const none = new Headers();

describe('classifyAlpacaError', () => {
  it('maps the recent-SIP 403 fixture to a window-scoped EntitlementDenied', () => {
    const error = classifyAlpacaError(403, fixtureText('alpaca', 'error_403_sip_subscription.json'), none, ctx);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('window');
    expect(error?.message).toBe('alpaca.bars HTTP 403: subscription does not permit querying recent SIP data');
    expect(error?.url).toBe(ctx.url);
  });

  it('maps an OPRA subscription 403 to a capability-scoped EntitlementDenied', () => {
    const error = classifyAlpacaError(403, '{"message":"subscription does not permit querying OPRA data"}', none, ctx);
    expect((error as EntitlementDenied).scope).toBe('capability');
  });

  it('maps the "forbidden." 403 fixture and a 401 to AuthFailed', () => {
    const forbidden = classifyAlpacaError(403, fixtureText('alpaca', 'error_403_forbidden.json'), none, ctx);
    expect(forbidden).toBeInstanceOf(AuthFailed);
    expect(forbidden?.message).toBe('alpaca.bars HTTP 403: forbidden.');
    expect(classifyAlpacaError(401, '', none, ctx)).toBeInstanceOf(AuthFailed);
  });

  it('maps the 429 fixture to RateLimited with the X-RateLimit-Reset instant', () => {
    const reset = NOW / 1000 + 30;
    const error = classifyAlpacaError(429, fixtureText('alpaca', 'error_429_rate_limit.json'), new Headers({ 'X-Ratelimit-Reset': String(reset) }), ctx);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).resetAtMs).toBe(reset * 1000);
    expect((error as RateLimited).retryAfterMs).toBe(30_000);
    expect(error?.bodyExcerpt?.trim()).toBe('{"code":42910000,"message":"rate limit exceeded"}');
  });

  it('maps a plain-text 429 without headers to RateLimited with no timing', () => {
    const error = classifyAlpacaError(429, 'Too Many Requests', none, ctx);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBeUndefined();
  });

  it('names the offending symbol of an "invalid symbol" 400 (NotFound for that symbol)', () => {
    const error = classifyAlpacaError(400, '{"message":"invalid symbol: BF-B"}', none, ctx);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('BF-B');
  });

  it('maps other 400/422 parameter errors to BadRequest', () => {
    expect(classifyAlpacaError(422, '{"code":42210000,"message":"invalid timeframe"}', none, ctx)).toBeInstanceOf(BadRequest);
    expect(classifyAlpacaError(400, '{"message":"invalid page token"}', none, ctx)).toBeInstanceOf(BadRequest);
  });

  it('maps 404 to NotFound and 5xx (even HTML) to Transient', () => {
    expect(classifyAlpacaError(404, '{"code":40410000,"message":"asset not found"}', none, ctx)).toBeInstanceOf(NotFound);
    const error = classifyAlpacaError(502, '<html><body>Bad Gateway</body></html>', none, ctx);
    expect(error).toBeInstanceOf(Transient);
    expect(error?.message).toBe('alpaca.bars HTTP 502: <html><body>Bad Gateway</body></html>');
  });

  it('does not mistake words containing "rate" for a rate limit (study B17)', () => {
    expect(classifyAlpacaError(400, '{"message":"cannot generate a separate page"}', none, ctx)).toBeInstanceOf(BadRequest);
  });

  it('accepts every 2xx', () => {
    expect(classifyAlpacaError(200, fixtureText('alpaca', 'stock_bars_empty.json'), none, ctx)).toBeUndefined();
  });
});
