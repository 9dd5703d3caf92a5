import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, NotFound, RateLimited, Transient } from '../../http/index.js';
import { classifyFredError, readFredErrorBody } from './classify.js';
import { fredFixture } from './test-support/fixtures.js';

const url = 'https://api.stlouisfed.org/fred/series/observations?series_id=DGS99&sort_order=asc&limit=100000&offset=0&file_type=json&api_key=***';
const ctx = { endpoint: 'fred.series' as const, url, nowMs: 0 };
const none = new Headers();

describe('classifyFredError: the error fixtures', () => {
  it('maps "api_key is not set" (JSON, two spaces) to AuthFailed with the vendor text', () => {
    const error = classifyFredError(400, fredFixture('error_400_api_key_not_set.json'), none, ctx);
    expect(error).toBeInstanceOf(AuthFailed);
    expect(error?.status).toBe(400);
    expect(error?.message).toBe(
      'fred.series HTTP 400: Bad Request.  Variable api_key is not set. Read https://research.stlouisfed.org/docs/api/api_key.html for more information.',
    );
  });

  it('maps "api_key is not registered" to AuthFailed', () => {
    expect(classifyFredError(400, fredFixture('error_400_api_key_not_registered.json'), none, ctx)).toBeInstanceOf(AuthFailed);
  });

  it('maps the XML "api_key has not been set" body (file_type missing) to AuthFailed', () => {
    const error = classifyFredError(400, fredFixture('error_400_api_key_not_set.xml'), none, ctx);
    expect(error).toBeInstanceOf(AuthFailed);
    expect(error?.message).toBe('fred.series HTTP 400: Bad Request. Variable api_key has not been set.');
  });

  it('maps "the series does not exist" (400 JSON and XML) to NotFound naming the series from the URL', () => {
    for (const name of ['error_400_series_does_not_exist.json', 'error_400_series_does_not_exist.xml']) {
      const error = classifyFredError(400, fredFixture(name), none, ctx);
      expect(error).toBeInstanceOf(NotFound);
      expect((error as NotFound).symbol).toBe('DGS99');
      expect(error?.message).toBe('fred.series HTTP 400: Bad Request.  The series does not exist. (series_id DGS99)');
    }
  });

  it('maps the 2020-era 404 wording to NotFound too', () => {
    const error = classifyFredError(404, '{"error_code":404,"error_message":"Not Found.  The series does not exist."}', none, ctx);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('DGS99');
  });
});

describe('classifyFredError: statuses and wordings', () => {
  it('maps other 400s (bad date, bad units, too many vintage dates) to BadRequest', () => {
    for (const message of [
      'Bad Request.  Variable realtime_start is not a YYYY-MM-DD formatted date (e.g. 2000-02-24).',
      'Bad Request.  Value of units is not one of: cap, cca, cch, ch1, chg, lin, log, pc1, pca, pch.',
      'Bad Request. This exceeds the maximum number of vintage dates allowed (2000)',
    ]) {
      const error = classifyFredError(400, JSON.stringify({ error_code: 400, error_message: message }), none, ctx);
      expect(error).toBeInstanceOf(BadRequest);
      expect(error?.message).toBe(`fred.series HTTP 400: ${message}`);
    }
  });

  it('maps 429 to RateLimited whatever the body, honouring a Retry-After when one comes', () => {
    for (const body of ['{"error_code":429,"error_message":"Too Many Requests.  Exceeded Rate Limit"}', '', '<html>429</html>']) {
      const error = classifyFredError(429, body, none, ctx);
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).retryAfterMs).toBeUndefined();
    }
    expect(classifyFredError(429, '', new Headers({ 'Retry-After': '2' }), ctx)).toMatchObject({ retryAfterMs: 2_000 });
  });

  it('maps 5xx (JSON, HTML or empty) and 423 Locked to Transient', () => {
    expect(classifyFredError(500, '{"error_code":500,"error_message":"Internal Server Error"}', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyFredError(502, '<html><body>502 Bad Gateway</body></html>', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyFredError(504, '', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyFredError(423, '<error code="423" message="Locked."/>', none, ctx)).toBeInstanceOf(Transient);
    expect(classifyFredError(503, '', new Headers({ 'Retry-After': '7' }), ctx)).toMatchObject({ retryAfterMs: 7_000 });
  });

  it('classifies an error body that arrives with HTTP 200, keeping the real status', () => {
    const error = classifyFredError(200, fredFixture('error_400_series_does_not_exist.json'), none, ctx);
    expect(error).toBeInstanceOf(NotFound);
    expect(error?.status).toBe(200);
    expect(classifyFredError(200, fredFixture('error_400_api_key_not_set.xml'), none, ctx)).toBeInstanceOf(AuthFailed);
  });

  it('accepts every data fixture, JSON or XML (the XML is left for the JSON parser to reject)', () => {
    for (const name of [
      'series_observations_GNPCA.json',
      'series_observations_SP500.json',
      'series_observations_DGS10_with_missing.json',
      'series_observations_CPIAUCSL_output_type2.json',
      'DERIVED_series_observations_CPIAUCSL_output_type1.json',
      'CONSTRUCTED_series_observations_empty.json',
      'series_vintagedates_GNPCA.json',
      'series_GNPCA.json',
      'series_PAYEMS.json',
      'series_observations_SP500.xml',
      'series_PAYEMS.xml',
    ]) {
      expect(classifyFredError(200, fredFixture(name), none, ctx)).toBeUndefined();
    }
  });

  it('leaves a 403 to the generic status mapping (client.test.ts shows it becomes EntitlementDenied)', () => {
    expect(classifyFredError(403, '<html>Forbidden</html>', none, ctx)).toBeUndefined();
  });
});

describe('readFredErrorBody', () => {
  it('reads JSON and XML error bodies, decoding XML entities', () => {
    expect(readFredErrorBody('{"error_code":400,"error_message":"Bad Request.  x"}')).toEqual({ code: 400, message: 'Bad Request.  x' });
    expect(readFredErrorBody(`<?xml version="1.0"?>\n<error code='400' message="Bad &quot;units&quot; &amp; more"/>`)).toEqual({ code: 400, message: 'Bad "units" & more' });
    expect(readFredErrorBody('{"observations":[]}')).toBeUndefined();
    expect(readFredErrorBody('<observations count="0"/>')).toBeUndefined();
    expect(readFredErrorBody('plain text')).toBeUndefined();
  });
});
