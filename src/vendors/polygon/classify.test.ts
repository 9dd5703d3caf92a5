import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, EntitlementDenied, NotFound, RateLimited, Transient } from '../../http/index.js';
import { fixtureText } from '../shared/test-support/fixtures.js';
import { classifyPolygonError } from './classify.js';

const ctx = { endpoint: 'polygon.aggs.grouped_daily' as const, url: 'https://api.massive.com/v2/aggs/grouped/locale/us/market/stocks/2020-10-14?adjusted=false', nowMs: 0 };
const none = new Headers();

describe('classifyPolygonError', () => {
  it('maps the 401 fixture to AuthFailed, reading the text from `error`', () => {
    const error = classifyPolygonError(401, fixtureText('polygon', 'error_401_unknown_api_key.json'), none, ctx);
    expect(error).toBeInstanceOf(AuthFailed);
    expect(error?.message).toBe('polygon.aggs.grouped_daily HTTP 401: Unknown API Key');
  });

  it('maps the plan 403 fixture to a capability-scoped EntitlementDenied, reading `message`', () => {
    const error = classifyPolygonError(403, fixtureText('polygon', 'error_403_not_authorized_entitlement.json'), none, ctx);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect(error?.message).toContain('You are not entitled to this data');
  });

  it('maps the "data timeframe" 403 fixture to a window-scoped EntitlementDenied', () => {
    const error = classifyPolygonError(403, fixtureText('polygon', 'error_403_not_authorized_timeframe.json'), none, ctx);
    expect((error as EntitlementDenied).scope).toBe('window');
  });

  it('maps the 429 fixture (and its newer wordings) to RateLimited without timing', () => {
    for (const body of [
      fixtureText('polygon', 'error_429_rate_limit.json'),
      '{"status":"ERROR","error":"You\'ve exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://massive.com/pricing"}',
      '{"status":"ERROR","error":"You\'ve exceeded the maximum requests per minute, please wait or upgrade your subscription to continue."}',
    ]) {
      const error = classifyPolygonError(429, body, none, ctx);
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).retryAfterMs).toBeUndefined();
    }
  });

  it('checks rate-limit wording before entitlement wording ("upgrade your subscription" is in both)', () => {
    const body = '{"status":"ERROR","error":"You\'ve exceeded the maximum requests per minute, please wait or upgrade your subscription to continue."}';
    expect(classifyPolygonError(403, body, none, ctx)).toBeInstanceOf(RateLimited);
  });

  it('maps NOT_FOUND to NotFound and a bad path date to BadRequest', () => {
    expect(classifyPolygonError(404, '{"status":"NOT_FOUND","request_id":"x","message":"Ticker not found."}', none, ctx)).toBeInstanceOf(NotFound);
    const bad = classifyPolygonError(400, '{"status":"ERROR","request_id":"x","error":"Could not parse the time parameter: \'from\'. Use YYYY-MM-DD or Unix MS Timestamps"}', none, ctx);
    expect(bad).toBeInstanceOf(BadRequest);
  });

  it('maps a missing-key body sent with 400 to AuthFailed', () => {
    expect(classifyPolygonError(400, '{"status":"ERROR","request_id":"x","error":"API Key was not provided"}', none, ctx)).toBeInstanceOf(AuthFailed);
  });

  it('classifies error envelopes that arrive with HTTP 200', () => {
    expect(classifyPolygonError(200, '{"status":"ERROR","error":"Unknown API Key"}', none, ctx)).toBeInstanceOf(AuthFailed);
    const window = classifyPolygonError(200, fixtureText('polygon', 'error_403_not_authorized_timeframe.json'), none, ctx);
    expect((window as EntitlementDenied).scope).toBe('window');
  });

  it('accepts OK and DELAYED bodies and real data fixtures', () => {
    expect(classifyPolygonError(200, '{"status":"DELAYED","results":[]}', none, ctx)).toBeUndefined();
    for (const name of ['grouped_daily_stocks_sdk_mock.json', 'tickers_page1_next_url.json', 'stocks_v1_splits_example.json', 'ticker_details_AAPL.json']) {
      expect(classifyPolygonError(200, fixtureText('polygon', name), none, ctx)).toBeUndefined();
    }
  });

  it('maps 5xx (HTML too) and 499 to Transient', () => {
    expect(classifyPolygonError(502, '<html>502 Bad Gateway</html>', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyPolygonError(499, '', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyPolygonError(503, '', new Headers({ 'Retry-After': '5' }), ctx)).toMatchObject({ retryAfterMs: 5_000 });
  });
});
