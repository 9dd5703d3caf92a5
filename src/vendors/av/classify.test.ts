import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, RateLimited, Transient, classifyByStatus } from '../../http/index.js';
import { AV_BURST_RETRY_MS, AV_MINUTE_RETRY_MS, classifyAvError, nextDailyResetMs, scrubEchoedKey } from './classify.js';
import { avFixture } from './test-support/harness.js';

/** 2026-03-02 10:00 New York (EST): next 00:00 UTC (19:00 New York) comes before New York midnight. */
const NOW = Date.UTC(2026, 2, 2, 15, 0, 0);
const ctx = { endpoint: 'av.time_series_daily' as const, url: 'https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=IBM&apikey=***', nowMs: NOW };
const none = new Headers();

function classify(name: string, status = 200) {
  return classifyAvError(status, avFixture(name), none, ctx);
}

describe('classifyAvError: HTTP 200 envelopes', () => {
  it('maps both daily-limit texts to RateLimited until the next daily reset', () => {
    for (const name of ['info_daily_limit_25.json', 'info_daily_limit_25_key_variant.json']) {
      const error = classify(name);
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).resetAtMs).toBe(Date.UTC(2026, 2, 3, 0, 0, 0));
      expect((error as RateLimited).retryAfterMs).toBe(9 * 3_600_000);
      expect(error?.message).toMatch(/^av\.time_series_daily HTTP 200: daily limit: .*25 requests per day/);
      expect(error?.status).toBe(200);
    }
  });

  it('maps the burst text to a short RateLimited although it quotes the daily limit and premium endpoints', () => {
    const error = classify('info_burst_limit.json');
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBe(AV_BURST_RETRY_MS);
    expect((error as RateLimited).resetAtMs).toBe(NOW + 2_000);
    expect(error?.message).toContain('burst limit:');
  });

  it('recognises the 2025-12 burst variant without "(1 request per second)"', () => {
    const body = JSON.stringify({
      Information:
        'Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to lift the free key rate limit (25 requests per day) and instantly unlock all premium endpoints',
    });
    expect((classifyAvError(200, body, none, ctx) as RateLimited).retryAfterMs).toBe(AV_BURST_RETRY_MS);
  });

  it('maps the legacy 5-per-minute Note to a one-minute RateLimited (not the daily one)', () => {
    const error = classify('note_legacy_5_per_minute.json');
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBe(AV_MINUTE_RETRY_MS);
    expect((error as RateLimited).resetAtMs).toBe(NOW + 60_000);
  });

  it('maps the call-volume throttle to RateLimited, not to premium', () => {
    const body = '{"Information": "Thank you for using Alpha Vantage! Please contact premium@alphavantage.co if you are targeting a higher API call volume."}';
    expect(classifyAvError(200, body, none, ctx)).toBeInstanceOf(RateLimited);
  });

  it('maps the premium endpoint and premium outputsize texts to capability-scoped EntitlementDenied', () => {
    const endpoint = classify('info_premium_endpoint.json');
    expect(endpoint).toBeInstanceOf(EntitlementDenied);
    expect((endpoint as EntitlementDenied).scope).toBe('capability');
    expect(endpoint?.message).toContain('premium endpoint: Thank you for using Alpha Vantage! This is a premium endpoint.');
    const outputsize = classify('info_premium_outputsize_full.json');
    expect(outputsize).toBeInstanceOf(EntitlementDenied);
    expect((outputsize as EntitlementDenied).scope).toBe('capability');
    expect(outputsize?.message).toContain('outputsize=full is premium (use compact)');
  });

  it('maps the demo-key notice and the invalid-key error (under either key) to AuthFailed', () => {
    expect(classify('info_demo_key.json')).toBeInstanceOf(AuthFailed);
    const invalid = classify('error_invalid_apikey.json');
    expect(invalid).toBeInstanceOf(AuthFailed);
    expect(invalid?.message).toBe(
      'av.time_series_daily HTTP 200: the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.',
    );
    const asInformation = JSON.stringify({ Information: JSON.parse(avFixture('error_invalid_apikey.json'))['Error Message'] });
    expect(classifyAvError(200, asInformation, none, ctx)).toBeInstanceOf(AuthFailed);
  });

  it('maps "Invalid API call" to BadRequest, saying it may be an unknown symbol', () => {
    const error = classify('error_invalid_api_call.json');
    expect(error).toBeInstanceOf(BadRequest);
    expect(error?.message).toBe(
      'av.time_series_daily HTTP 200: Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY. (unknown symbol or bad parameter)',
    );
  });

  it('refuses the not-entitled REALTIME_OPTIONS body (fake sample rows) as EntitlementDenied', () => {
    const error = classify('realtime_options_not_entitled.json');
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect(error?.message).toContain('This is a premium endpoint.');
  });

  it('maps the Accept-header refusal to BadRequest', () => {
    expect(classifyAvError(200, '{"detail": "Could not satisfy the request Accept header."}', none, ctx)).toBeInstanceOf(BadRequest);
  });

  it('makes an unrecognised notice on HTTP 200 Malformed, carrying the body for quarantine', () => {
    const body = '{"Information": "Something new from Alpha Vantage."}';
    const error = classifyAvError(200, body, none, ctx);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('unrecognised Alpha Vantage notice: Something new from Alpha Vantage.');
    expect((error as Malformed).rawText).toBe(body);
    // On another status the status fallback decides.
    expect(classifyAvError(503, body, none, ctx)).toBeUndefined();
    expect(classifyByStatus('av', 503, body, none, ctx)).toBeInstanceOf(Transient);
  });

  it('passes data payloads, the empty object, CSV and huge bodies through to the decoder', () => {
    for (const name of [
      'time_series_daily_IBM_2024-11-22.json',
      'splits_IBM.json',
      'dividends_IBM.json',
      'historical_options_IBM_2026-09-24_excerpt.json',
      'historical_options_empty.json',
      'overview_IBM_2020.json',
      'empty_object.json',
      'listing_status_active_sample.csv',
      'listing_status_delisted_sample.csv',
    ]) {
      expect(classify(name), name).toBeUndefined();
    }
    const huge = JSON.stringify({ Information: 'x', data: 'y'.repeat(70_000) });
    expect(classifyAvError(200, huge, none, ctx)).toBeUndefined();
  });

  it('masks a key echoed in the body even when it is not ours (a proxy\'s, a rotated one)', () => {
    const body = JSON.stringify({ Information: 'We have detected your API key as OTHERKEY123456 and our standard API rate limit is 25 requests per day.' });
    const error = classifyAvError(200, body, none, ctx) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    for (const text of [error.message, error.bodyExcerpt ?? '', JSON.stringify(error.toJSON())]) {
      expect(text).not.toContain('OTHERKEY123456');
      expect(text).toContain('API key as ***');
    }
  });
});

describe('nextDailyResetMs', () => {
  it('is 00:00 UTC when that comes first (New York daytime)', () => {
    expect(nextDailyResetMs(Date.UTC(2026, 2, 2, 15, 0))).toBe(Date.UTC(2026, 2, 3, 0, 0));
    // Summer (EDT): 2026-07-01 09:00 New York.
    expect(nextDailyResetMs(Date.UTC(2026, 6, 1, 13, 0))).toBe(Date.UTC(2026, 6, 2, 0, 0));
  });

  it('is 00:00 New York when 00:00 UTC has passed but New York midnight has not (the probe failed)', () => {
    // 2026-03-02 21:00 New York (EST) = 2026-03-03 02:00Z: New York midnight is 05:00Z.
    expect(nextDailyResetMs(Date.UTC(2026, 2, 3, 2, 0))).toBe(Date.UTC(2026, 2, 3, 5, 0));
    // Summer: 2026-07-01 22:30 New York (EDT) = 2026-07-02 02:30Z: New York midnight is 04:00Z.
    expect(nextDailyResetMs(Date.UTC(2026, 6, 2, 2, 30))).toBe(Date.UTC(2026, 6, 2, 4, 0));
  });

  it('moves to the following 00:00 UTC right after New York midnight', () => {
    expect(nextDailyResetMs(Date.UTC(2026, 2, 3, 5, 0))).toBe(Date.UTC(2026, 2, 4, 0, 0));
  });
});

describe('scrubEchoedKey', () => {
  it('masks the echoed token and leaves ordinary prose alone', () => {
    expect(scrubEchoedKey('We have detected your API key as ABCD1234 and our …')).toBe('We have detected your API key as *** and our …');
    expect(scrubEchoedKey('the parameter apikey is invalid or missing.')).toBe('the parameter apikey is invalid or missing.');
    expect(scrubEchoedKey('The **demo** API key is for demo purposes only.')).toBe('The **demo** API key is for demo purposes only.');
  });
});
