import { describe, expect, it } from 'vitest';
import { parseRemaining, parseRetryTiming } from './retry-timing.js';

const NOW = Date.UTC(2026, 2, 2, 15, 0, 0);

function h(entries: Record<string, string>): Headers {
  return new Headers(entries);
}

describe('parseRetryTiming', () => {
  it('reads Retry-After delay-seconds', () => {
    expect(parseRetryTiming(h({ 'Retry-After': '12' }), NOW)).toEqual({ retryAfterMs: 12_000, resetAtMs: NOW + 12_000 });
  });

  it('reads Retry-After as an HTTP-date, relative to now', () => {
    const at = new Date(NOW + 90_000).toUTCString();
    expect(parseRetryTiming(h({ 'Retry-After': at }), NOW)).toEqual({ retryAfterMs: 90_000, resetAtMs: NOW + 90_000 });
  });

  it('treats a Retry-After date in the past as "now"', () => {
    const at = new Date(NOW - 5_000).toUTCString();
    expect(parseRetryTiming(h({ 'Retry-After': at }), NOW)).toEqual({ retryAfterMs: 0, resetAtMs: NOW });
  });

  it('lets Retry-After win over a reset header', () => {
    const headers = h({ 'Retry-After': '3', 'X-RateLimit-Reset': String(Math.floor(NOW / 1000) + 60) });
    expect(parseRetryTiming(headers, NOW).retryAfterMs).toBe(3_000);
  });

  it('reads X-RateLimit-Reset as epoch seconds (Alpaca)', () => {
    const reset = Math.floor(NOW / 1000) + 42;
    expect(parseRetryTiming(h({ 'X-Ratelimit-Reset': String(reset) }), NOW)).toEqual({ retryAfterMs: 42_000, resetAtMs: reset * 1000 });
  });

  it('reads a large reset value as epoch milliseconds', () => {
    expect(parseRetryTiming(h({ 'X-RateLimit-Reset': String(NOW + 7_000) }), NOW)).toEqual({ retryAfterMs: 7_000, resetAtMs: NOW + 7_000 });
  });

  it('reads a small RateLimit-Reset as delta seconds (IETF draft)', () => {
    expect(parseRetryTiming(h({ 'RateLimit-Reset': '30' }), NOW)).toEqual({ retryAfterMs: 30_000, resetAtMs: NOW + 30_000 });
  });

  it('clamps an epoch reset already in the past to now', () => {
    const past = Math.floor(NOW / 1000) - 10;
    expect(parseRetryTiming(h({ 'X-RateLimit-Reset': String(past) }), NOW)).toEqual({ retryAfterMs: 0, resetAtMs: NOW });
  });

  it.each(['-5', 'soon', '', 'NaN', '1e3'])('ignores junk %j', (value) => {
    expect(parseRetryTiming(h({ 'Retry-After': value, 'X-RateLimit-Reset': value }), NOW)).toEqual({});
  });

  it('returns nothing when no header is present (Polygon)', () => {
    expect(parseRetryTiming(h({}), NOW)).toEqual({});
  });
});

describe('parseRemaining', () => {
  it('reads X-RateLimit-Remaining when numeric', () => {
    expect(parseRemaining(h({ 'X-Ratelimit-Remaining': '199' }))).toBe(199);
    expect(parseRemaining(h({ 'X-Ratelimit-Remaining': 'lots' }))).toBeUndefined();
    expect(parseRemaining(h({}))).toBeUndefined();
  });
});
