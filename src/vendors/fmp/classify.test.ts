import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, EntitlementDenied, NotFound, RateLimited, Transient } from '../../http/index.js';
import { classifyFmpError, nextNewYorkMidnight, requestedSymbol } from './classify.js';
import { FmpLegacyEndpointClosed, FmpParameterNotEntitled } from './errors.js';
import { fmpFixtureText } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 2, 2, 15, 0, 0); // 10:00 EST
const stableCtx = { endpoint: 'fmp.historical_price' as const, url: 'https://financialmodelingprep.com/stable/historical-price-eod/non-split-adjusted?symbol=AVGO&apikey=***', nowMs: NOW };
const none = new Headers();

function classify(status: number, body: string, ctx: Parameters<typeof classifyFmpError>[3] = stableCtx) {
  return classifyFmpError(status, body, none, ctx);
}

describe('classifyFmpError on the error fixtures', () => {
  it('401 invalid key → AuthFailed with FMP\'s sentence', () => {
    const error = classify(401, fmpFixtureText('errors/401_invalid_api_key.json'));
    expect(error).toBeInstanceOf(AuthFailed);
    expect(error?.message).toMatch(/^fmp\.historical_price HTTP 401: Invalid API KEY\. Feel free to create a Free API Key/);
  });

  it('402 exclusive endpoint → capability-wide EntitlementDenied', () => {
    const error = classify(402, fmpFixtureText('errors/402_exclusive_endpoint.json'));
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect(error).not.toBeInstanceOf(FmpLegacyEndpointClosed);
    expect((error as EntitlementDenied).scope).toBe('capability');
  });

  it('402 premium symbol (bare text body) → NotFound naming the requested symbol, not an entitlement', () => {
    const error = classify(402, fmpFixtureText('errors/402_premium_symbol.txt'));
    expect(error).toBeInstanceOf(NotFound);
    expect(error).not.toBeInstanceOf(EntitlementDenied);
    expect((error as NotFound).symbol).toBe('AVGO');
    expect(error?.message).toContain('symbol AVGO is not covered by this FMP plan');
  });

  it('402 premium symbol wrapped in {"Error Message"} on a legacy URL reads the symbol from the path', () => {
    const body = JSON.stringify({ 'Error Message': fmpFixtureText('errors/402_premium_symbol.txt').trim() });
    const error = classify(402, body, { endpoint: 'fmp.statements', url: 'https://financialmodelingprep.com/api/v3/income-statement/BRK.B?period=annual&apikey=***', nowMs: NOW });
    expect((error as NotFound).symbol).toBe('BRK.B');
  });

  it('403 legacy endpoint → FmpLegacyEndpointClosed, a capability EntitlementDenied', () => {
    const error = classify(403, fmpFixtureText('errors/403_legacy_endpoint.json'));
    expect(error).toBeInstanceOf(FmpLegacyEndpointClosed);
    expect((error as EntitlementDenied).scope).toBe('capability');
  });

  it('429 Limit Reach → RateLimited resetting at the next New York midnight', () => {
    const error = classify(429, fmpFixtureText('errors/429_limit_reach.json'));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).resetAtMs).toBe(Date.UTC(2026, 2, 3, 5, 0, 0)); // 00:00 EST
    expect((error as RateLimited).retryAfterMs).toBeUndefined();
  });

  it('Limit Reach sent with HTTP 200 is the same RateLimited, never data', () => {
    expect(classify(200, fmpFixtureText('errors/429_limit_reach.json'))).toBeInstanceOf(RateLimited);
  });

  it('200 [] (the constructed empty fixture) is a valid empty answer', () => {
    expect(classify(200, fmpFixtureText('errors/CONSTRUCTED_200_empty_array.json'))).toBeUndefined();
  });
});

describe('classifyFmpError, other wordings and statuses', () => {
  it('reads the parameter FMP refuses: period and limit are FmpParameterNotEntitled, not capability denials', () => {
    const period = classify(402, `{"Error Message":"Premium Query Parameter: 'Special Endpoint : This value set for 'period' is not available under your current subscription please visit our subscription page'"}`);
    expect(period).toBeInstanceOf(FmpParameterNotEntitled);
    expect(period).toBeInstanceOf(BadRequest);
    expect((period as FmpParameterNotEntitled).parameter).toBe('period');
    const limit = classify(402, "Premium Query Parameter: 'Special Parameters : The values for 'limit' must be between 0 and 5'");
    expect((limit as FmpParameterNotEntitled).parameter).toBe('limit');
  });

  it('Restricted Endpoint (402 or 403) → capability denial', () => {
    for (const status of [402, 403]) {
      const error = classify(status, 'Restricted Endpoint: This endpoint is not available under your current subscription please visit our subscription page');
      expect((error as EntitlementDenied).scope).toBe('capability');
    }
  });

  it('Bandwidth Limit Reach → RateLimited a day out (30-day rolling cap, no advertised reset)', () => {
    const error = classify(429, '{"Error Message": "Bandwidth Limit Reach . Please upgrade your plan"}');
    expect((error as RateLimited).resetAtMs).toBe(NOW + 86_400_000);
  });

  it('invalid key with the older 200 or 403 status is still AuthFailed', () => {
    for (const status of [200, 403]) expect(classify(status, fmpFixtureText('errors/401_invalid_api_key.json'))).toBeInstanceOf(AuthFailed);
  });

  it('a 200 error object in unknown words is BadRequest, never data', () => {
    const error = classify(200, '{"Error Message":"Query Error: Invalid or missing query parameter - symbol"}');
    expect(error).toBeInstanceOf(BadRequest);
    expect(error?.message).toBe('fmp.historical_price HTTP 200: Query Error: Invalid or missing query parameter - symbol');
  });

  it('a plain 429 uses Retry-After when sent; 5xx is Transient; 404 is NotFound', () => {
    const limited = classifyFmpError(429, 'Too Many Requests', new Headers({ 'Retry-After': '30' }), stableCtx);
    expect((limited as RateLimited).retryAfterMs).toBe(30_000);
    expect(classify(502, '<html>Bad Gateway</html>')).toBeInstanceOf(Transient);
    expect(classify(404, '')).toBeInstanceOf(NotFound);
  });

  it('leaves data alone: arrays, legacy objects without an error field, and a non-JSON page (Malformed later)', () => {
    for (const name of ['stable_income_statement_AAPL_FY2025.json', 'stable_profile_AAPL.json', 'legacy_v3_historical_price_full_AAPL.json', 'stable_stock_list.json']) {
      expect(classify(200, fmpFixtureText(name))).toBeUndefined();
    }
    expect(classify(200, '{}')).toBeUndefined();
    expect(classify(200, '<html><body>Just a moment…</body></html>')).toBeUndefined();
  });
});

describe('requestedSymbol and nextNewYorkMidnight', () => {
  it('takes ?symbol= on stable and the path segment on the legacy symbol endpoints only', () => {
    expect(requestedSymbol('http://127.0.0.1:9400/fmp/stable/profile?symbol=%5EGSPC&apikey=***')).toBe('^GSPC');
    expect(requestedSymbol('http://127.0.0.1:9400/fmp/api/v3/profile/AAPL?apikey=***')).toBe('AAPL');
    expect(requestedSymbol('https://financialmodelingprep.com/api/v3/stock/list?apikey=***')).toBeUndefined();
    expect(requestedSymbol(undefined)).toBeUndefined();
  });

  it('is the next 00:00 in New York, EST or EDT, even late in the New York evening', () => {
    expect(nextNewYorkMidnight(Date.UTC(2026, 6, 1, 3, 30))).toBe(Date.UTC(2026, 6, 1, 4, 0)); // 23:30 EDT → 00:00 EDT
    expect(nextNewYorkMidnight(Date.UTC(2026, 0, 15, 12, 0))).toBe(Date.UTC(2026, 0, 16, 5, 0));
  });
});
