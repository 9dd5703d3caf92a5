import { afterEach, describe, expect, it } from 'vitest';
import { nyInstant } from '../../calendar/index.js';
import { FMP_FREE_PLAN, FMP_FREE_SAMPLE } from './plan.js';
import { fmpMarketSample } from './sample.js';
import { fixture, fixtureText, KEY, startFmp, testMarket, type FmpHarness } from './test-support/harness.js';

const market = testMarket();
const stocks = market.symbols.filter((s) => s.type === 'CS' && s.delistDate === null && s.listDate < market.start).map((s) => s.symbol);
/** A free plan whose sample holds three of the market's stocks (the published sample names none of them). */
const SAMPLE = stocks.slice(0, 3);
const OUTSIDE = stocks[5]!;
const IN = SAMPLE[0]!;

const bodies = {
  invalidKey: fixture<{ 'Error Message': string }>('errors/401_invalid_api_key.json'),
  exclusive: fixture<{ 'Error Message': string }>('errors/402_exclusive_endpoint.json'),
  premiumSymbol: fixtureText('errors/402_premium_symbol.txt'),
  legacy: fixture<{ 'Error Message': string }>('errors/403_legacy_endpoint.json'),
  limitReach: fixture<{ 'Error Message': string }>('errors/429_limit_reach.json'),
};

let open: FmpHarness[] = [];
afterEach(async () => {
  await Promise.all(open.map((x) => x.close()));
  open = [];
});

async function free(overrides: Parameters<typeof startFmp>[0] = {}): Promise<FmpHarness> {
  const h = await startFmp({ ...overrides, plan: { symbols: SAMPLE, ...overrides.plan } });
  open.push(h);
  return h;
}

describe('the free plan defaults', () => {
  it('follow the notes: 250 a day, the 87-symbol sample, annual statements up to 5, page 0, no legacy', () => {
    expect(FMP_FREE_PLAN).toMatchObject({
      requestsPerDay: 250, bandwidthBytesPer30Days: 500_000_000, limitReachStatus: 429, profileAnySymbol: true,
      quarterlyStatements: false, statementLimitMax: 5, delistedMaxPage: 0, legacyAllowed: false, premiumQueryBody: 'text',
    });
    expect(FMP_FREE_PLAN.symbols).toBe(FMP_FREE_SAMPLE);
    expect(new Set(FMP_FREE_SAMPLE).size).toBe(87);
    expect(FMP_FREE_SAMPLE).toEqual(expect.arrayContaining(['AAPL', 'TSLA', 'AMZN', 'ATVI', 'V']));
  });
});

describe('fmpMarketSample', () => {
  it('draws a deterministic, sorted sample of the market symbols for a free-like demo plan', async () => {
    const sample = fmpMarketSample(market, 20);
    expect(sample).toHaveLength(20);
    expect(sample).toEqual([...sample].sort());
    expect(fmpMarketSample(market, 20)).toEqual(sample);
    expect(sample.every((s) => market.symbol(s) !== undefined)).toBe(true);
    const h = await free({ plan: { symbols: sample } });
    const outside = market.symbols.find((s) => !sample.includes(s.symbol))!.symbol;
    expect((await h.get('/stable/historical-price-eod/full', { symbol: sample[0]! })).status).toBe(200);
    expect((await h.get('/stable/historical-price-eod/full', { symbol: outside })).text).toBe(bodies.premiumSymbol);
  });
});

describe('401 invalid key', () => {
  it('answers a missing, empty or wrong key with the exact body', async () => {
    const h = await free({ credentials: { apiKey: KEY } });
    for (const key of [null, '', 'not-the-key']) {
      const reply = await h.get('/stable/stock-list', {}, key);
      expect(reply.status).toBe(401);
      expect(reply.json()).toEqual(bodies.invalidKey);
    }
    expect((await h.get('/stable/stock-list')).status).toBe(200);
  });

  it('also takes the key from an apikey header', async () => {
    const h = await free({ credentials: { apiKey: KEY } });
    const res = await fetch(`${h.url}/stable/stock-list`, { headers: { apikey: KEY } });
    expect(res.status).toBe(200);
  });
});

describe('402, three ways', () => {
  it('exclusive endpoint: the JSON body, for bulk, batch and other paid-only paths', async () => {
    const h = await free();
    for (const path of ['/stable/batch-quote', '/stable/eod-bulk', '/stable/income-statement-bulk', '/stable/news/stock', '/stable/company-screener']) {
      const reply = await h.get(path, { symbol: IN, date: '2026-06-01' });
      expect([path, reply.status]).toEqual([path, 402]);
      expect(reply.json()).toEqual(bodies.exclusive);
    }
  });

  it('premium symbol: the bare-text body for symbols outside the sample, unknown ones included', async () => {
    const h = await free();
    for (const [path, symbol] of [
      ['/stable/historical-price-eod/full', OUTSIDE], ['/stable/income-statement', OUTSIDE], ['/stable/balance-sheet-statement', OUTSIDE],
      ['/stable/cash-flow-statement', OUTSIDE], ['/stable/historical-price-eod/dividend-adjusted', OUTSIDE], ['/stable/income-statement', 'ZZZZQ'],
    ] as const) {
      const reply = await h.get(path, { symbol });
      expect([path, symbol, reply.status]).toEqual([path, symbol, 402]);
      expect(reply.text).toBe(bodies.premiumSymbol);
      expect(reply.contentType).toMatch(/^text\/plain/);
    }
    expect((await h.get('/stable/income-statement', { symbol: IN })).status).toBe(200);
  });

  it('premium symbol can come wrapped in {"Error Message"} instead', async () => {
    const h = await free({ plan: { premiumQueryBody: 'json' } });
    const reply = await h.get('/stable/income-statement', { symbol: OUTSIDE });
    expect(reply.status).toBe(402);
    expect(reply.json()).toEqual({ 'Error Message': bodies.premiumSymbol });
  });

  it('profile is the exception: any symbol works on the free plan', async () => {
    const h = await free();
    const reply = await h.get('/stable/profile', { symbol: OUTSIDE });
    expect(reply.status).toBe(200);
    expect(reply.json<Array<{ symbol: string }>>()[0]!.symbol).toBe(OUTSIDE);
    const strict = await free({ plan: { profileAnySymbol: false } });
    expect((await strict.get('/stable/profile', { symbol: OUTSIDE })).text).toBe(bodies.premiumSymbol);
  });

  it('premium parameter: quarterly periods, limit above 5 and delisted pages past 0', async () => {
    const h = await free();
    for (const period of ['quarter', 'Q1']) {
      const reply = await h.get('/stable/income-statement', { symbol: IN, period });
      expect(reply.status).toBe(402);
      expect(reply.text.startsWith("Premium Query Parameter: 'Special Endpoint : This value set for 'period' is not available under your current subscription")).toBe(true);
    }
    const limit = await h.get('/stable/cash-flow-statement', { symbol: IN, limit: '10' });
    expect(limit.status).toBe(402);
    expect(limit.text.startsWith("Premium Query Parameter: 'Special Parameters : The values for 'limit' must be between 0 and 5")).toBe(true);
    expect((await h.get('/stable/cash-flow-statement', { symbol: IN, limit: '5', period: 'annual' })).status).toBe(200);
    const page = await h.get('/stable/delisted-companies', { page: '1', limit: '100' });
    expect(page.status).toBe(402);
    expect(page.text.startsWith("Premium Query Parameter: 'Special Parameters : The values for 'page'")).toBe(true);
    expect((await h.get('/stable/delisted-companies', { page: '0', limit: '100' })).status).toBe(200);
  });
});

describe('200 [] for unknown symbols where the plan covers them', () => {
  it('answers an empty array rather than a 402', async () => {
    const h = await free({ plan: { symbols: [...SAMPLE, 'ZZZZQ'] } });
    for (const path of ['/stable/historical-price-eod/full', '/stable/income-statement', '/stable/profile']) {
      const reply = await h.get(path, { symbol: 'ZZZZQ' });
      expect([path, reply.status, reply.text]).toEqual([path, 200, '[]']);
    }
  });

  it('a plan with every symbol serves the whole market', async () => {
    const h = await free({ plan: { symbols: 'all' } });
    expect((await h.get('/stable/income-statement', { symbol: OUTSIDE })).json<unknown[]>().length).toBeGreaterThan(0);
  });
});

describe('403 legacy endpoint', () => {
  it('refuses every v3 path for a key created after 2025-08-31', async () => {
    const h = await free();
    for (const path of ['/api/v3/stock/list', `/api/v3/historical-price-full/${IN}`, `/api/v3/income-statement/${IN}`, `/api/v3/profile/${IN}`, '/api/v4/anything']) {
      const reply = await h.get(path);
      expect([path, reply.status]).toEqual([path, 403]);
      expect(reply.json()).toEqual(bodies.legacy);
    }
  });

  it('serves v3 when the plan allows legacy access', async () => {
    const h = await free({ plan: { legacyAllowed: true } });
    expect((await h.get('/api/v3/stock/list')).status).toBe(200);
    expect((await h.get(`/api/v3/income-statement/${OUTSIDE}`)).text).toBe(bodies.premiumSymbol);
  });
});

describe('429 Limit Reach', () => {
  it('refuses the 251st request of a New York day and serves again the next day', async () => {
    const h = await free();
    for (let i = 1; i <= 250; i++) {
      const reply = await h.get(i % 2 === 0 ? '/stable/stock-list' : '/stable/nowhere');
      expect(reply.status).toBe(i % 2 === 0 ? 200 : 404);
    }
    const refused = await h.get('/stable/stock-list');
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual(bodies.limitReach);
    expect((await h.get('/stable/profile', { symbol: IN })).status).toBe(429);
    expect((await h.get('/stable/stock-list', {}, 'another-key')).status).toBe(200);
    h.clock.advanceTo(nyInstant('2026-06-03', '23:59'));
    expect((await h.get('/stable/stock-list')).status).toBe(429);
    h.clock.advanceTo(nyInstant('2026-06-04', '00:00'));
    expect((await h.get('/stable/stock-list')).status).toBe(200);
  });

  it('can arrive with status 200 and the same error object', async () => {
    const h = await free({ plan: { requestsPerDay: 2, limitReachStatus: 200 } });
    await h.get('/stable/stock-list');
    await h.get('/stable/stock-list');
    const reply = await h.get('/stable/stock-list');
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual(bodies.limitReach);
  });

  it('refuses with Bandwidth Limit Reach once 30 days of responses pass the plan bytes', async () => {
    const h = await free({ plan: { bandwidthBytesPer30Days: 10_000 } });
    const size = Buffer.byteLength((await h.get('/stable/stock-list')).text);
    const served = Math.ceil(10_000 / size);
    for (let i = 2; i <= served; i++) expect((await h.get('/stable/stock-list')).status).toBe(200);
    const refused = await h.get('/stable/stock-list');
    expect(refused.status).toBe(429);
    expect(refused.json<{ 'Error Message': string }>()['Error Message'].startsWith('Bandwidth Limit Reach . Please upgrade your plan')).toBe(true);
    h.clock.advanceBy(29 * 86_400_000);
    expect((await h.get('/stable/stock-list')).status).toBe(429);
    h.clock.advanceBy(86_400_000);
    expect((await h.get('/stable/stock-list')).status).toBe(200);
  });
});
