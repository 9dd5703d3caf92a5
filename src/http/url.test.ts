import { describe, expect, it } from 'vitest';
import { createSeededRandom, fullJitterDelay } from './backoff.js';
import { buildUrl, rebaseUrl } from './url.js';

describe('buildUrl', () => {
  it('joins base path prefixes, keeps commas literal and drops undefined params', () => {
    const url = buildUrl('http://127.0.0.1:9101/alpaca/', '/v2/stocks/bars', { symbols: 'AAPL,BRK.B', limit: 10000, page_token: undefined, token: 'a=b/c' });
    expect(url.href).toBe('http://127.0.0.1:9101/alpaca/v2/stocks/bars?symbols=AAPL,BRK.B&limit=10000&token=a%3Db%2Fc');
  });

  it('works on a bare host', () => {
    expect(buildUrl('https://api.massive.com', '/v3/reference/tickers', { active: false }).href).toBe('https://api.massive.com/v3/reference/tickers?active=false');
  });
});

describe('rebaseUrl', () => {
  it('moves an absolute link onto the configured origin, keeping path and query', () => {
    expect(rebaseUrl('https://api.massive.com:443/v3/reference/tickers?cursor=YWJj', 'http://127.0.0.1:9200').href).toBe('http://127.0.0.1:9200/v3/reference/tickers?cursor=YWJj');
  });

  it('prefixes the base path once, whether or not the link already carries it', () => {
    const base = 'http://127.0.0.1:9200/polygon';
    expect(rebaseUrl('https://api.polygon.io/v3/reference/tickers?cursor=x', base).href).toBe('http://127.0.0.1:9200/polygon/v3/reference/tickers?cursor=x');
    expect(rebaseUrl('http://127.0.0.1:9200/polygon/v3/reference/tickers?cursor=x', base).href).toBe('http://127.0.0.1:9200/polygon/v3/reference/tickers?cursor=x');
  });

  it('resolves a relative link against the base', () => {
    expect(rebaseUrl('/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=c', 'https://api.polygon.io').href).toBe(
      'https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=c',
    );
  });
});

describe('full-jitter backoff', () => {
  it('is reproducible for a seed and stays under min(cap, base·2^attempt)', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const delay = fullJitterDelay(attempt, 1_000, 30_000, a);
      expect(delay).toBe(fullJitterDelay(attempt, 1_000, 30_000, b));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(30_000, 1_000 * 2 ** attempt));
    }
  });
});
