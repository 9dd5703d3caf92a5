import { afterEach, describe, expect, it } from 'vitest';
import { AV_FREE_PLAN, AV_LEGACY_FREE_PLAN, type AvPlan } from './index.js';
import { fixture, fixtureText, startAv, UNLIMITED, type AvHarness } from './test-support/av-harness.js';

let open: AvHarness[] = [];
afterEach(async () => {
  await Promise.all(open.map((x) => x.close()));
  open = [];
});

async function av(...args: Parameters<typeof startAv>): Promise<AvHarness> {
  const x = await startAv(...args);
  open.push(x);
  return x;
}

const SPLITS = { function: 'SPLITS', symbol: 'BYUE' };
const isData = (text: string): boolean => JSON.parse(text).symbol === 'BYUE';
/** 16 characters, like the key the capture redacted to XXXXXXXXXXXXXXXX. */
const KEY = 'K3YK3YK3YK3YK3Y1';

describe('daily quota', () => {
  it('serves 25 requests a day, answers the 26th with the daily-limit body echoing the key, and resets at New York midnight', async () => {
    expect(AV_FREE_PLAN.requestsPerDay).toBe(25);
    const x = await av();
    for (let i = 1; i <= 25; i++) {
      const reply = await x.query(SPLITS, { key: KEY });
      expect(isData(reply.text)).toBe(true);
      x.clock.advanceBy(1_500);
    }
    const limited = await x.query(SPLITS, { key: KEY });
    expect(limited.status).toBe(200);
    expect(limited.text).toContain(KEY);
    expect(JSON.parse(limited.text.replace(KEY, 'XXXXXXXXXXXXXXXX'))).toEqual(fixture('info_daily_limit_25_key_variant.json'));
    // Another key has its own allowance.
    expect(isData((await x.query(SPLITS, { key: 'another' })).text)).toBe(true);
    // Past midnight UTC the day has not turned yet in New York (2026-06-04 00:00 UTC = 20:00 EDT).
    x.clock.advanceTo(Date.parse('2026-06-04T00:00:30Z'));
    expect(JSON.parse((await x.query(SPLITS, { key: KEY })).text).Information).toMatch(/25 requests per day/);
    x.clock.advanceTo(Date.parse('2026-06-04T04:00:00Z'));
    expect(isData((await x.query(SPLITS, { key: KEY })).text)).toBe(true);
    expect(x.emulator.usage()).toEqual({ requests: 29, dailyLimited: 2, burstLimited: 0 });
  });

  it('can reset at midnight UTC and send the older text without the key', async () => {
    const x = await av({ plan: { requestsPerDay: 2, dailyResetZone: 'UTC', dailyLimitEchoesKey: false } });
    for (let i = 0; i < 2; i++) {
      expect(isData((await x.query(SPLITS)).text)).toBe(true);
      x.clock.advanceBy(2_000);
    }
    expect((await x.query(SPLITS)).json()).toEqual(fixture('info_daily_limit_25.json'));
    x.clock.advanceTo(Date.parse('2026-06-04T00:00:00Z'));
    expect(isData((await x.query(SPLITS)).text)).toBe(true);
  });

  it('counts refused requests too: a burst refusal spends one of the day', async () => {
    const x = await av({ plan: { requestsPerDay: 3 } });
    expect(isData((await x.query(SPLITS)).text)).toBe(true);
    expect((await x.query(SPLITS)).json()).toEqual(fixture('info_burst_limit.json'));
    x.clock.advanceBy(1_000);
    expect(isData((await x.query(SPLITS)).text)).toBe(true);
    x.clock.advanceBy(1_000);
    expect((await x.query(SPLITS)).json<{ Information: string }>().Information).toMatch(/^We have detected your API key as avkey and/);
  });

  it('lets tests and demos raise the limits', async () => {
    const x = await av({ plan: UNLIMITED });
    for (let i = 0; i < 40; i++) expect(isData((await x.query(SPLITS)).text)).toBe(true);
    expect(x.emulator.usage()).toEqual({ requests: 40, dailyLimited: 0, burstLimited: 0 });
  });
});

describe('burst limit', () => {
  it('answers a second request within a second with the burst body, and serves again a second later', async () => {
    const x = await av();
    expect(isData((await x.query(SPLITS)).text)).toBe(true);
    x.clock.advanceBy(999);
    const burst = await x.query(SPLITS);
    expect(burst.status).toBe(200);
    expect(burst.json()).toEqual(fixture('info_burst_limit.json'));
    // The refused request (t0 + 999 ms) also holds the window until t0 + 1999 ms.
    x.clock.advanceBy(1_000);
    expect(isData((await x.query(SPLITS)).text)).toBe(true);
    expect(x.emulator.usage().burstLimited).toBe(1);
  });

  it('on the legacy plan allows 5 a minute and answers both throttles with the Note body', async () => {
    const x = await av({ plan: AV_LEGACY_FREE_PLAN satisfies AvPlan });
    for (let i = 0; i < 5; i++) {
      expect(isData((await x.query(SPLITS)).text)).toBe(true);
      x.clock.advanceBy(1_000);
    }
    expect((await x.query(SPLITS)).json()).toEqual(fixture('note_legacy_5_per_minute.json'));
    x.clock.advanceBy(60_000);
    expect(isData((await x.query(SPLITS)).text)).toBe(true);
  });
});

describe('keys, functions and refusals', () => {
  it('answers a missing or wrong key with the invalid-apikey body, without spending the quota', async () => {
    const x = await av({ credentials: { apiKey: 'right' }, plan: { requestsPerDay: 1 } });
    expect((await x.query(SPLITS, { key: null })).json()).toEqual(fixture('error_invalid_apikey.json'));
    expect((await x.query(SPLITS, { key: '' })).json()).toEqual(fixture('error_invalid_apikey.json'));
    const wrong = await x.query(SPLITS, { key: 'wrong' });
    expect(wrong.status).toBe(200);
    expect(wrong.json()).toEqual(fixture('error_invalid_apikey.json'));
    expect(isData((await x.query(SPLITS, { key: 'right' })).text)).toBe(true);
  });

  it('answers an unknown or missing function with the invalid-call body', async () => {
    const x = await av({ plan: UNLIMITED });
    expect((await x.query({ function: 'TIME_SERIES_FOO', symbol: 'BYUE' })).json()).toEqual({
      'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_FOO.',
    });
    expect((await x.query({ symbol: 'BYUE' })).json()).toEqual({
      'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/).',
    });
  });

  it('answers premium functions with the premium-endpoint body', async () => {
    const x = await av({ plan: UNLIMITED });
    for (const fn of ['TIME_SERIES_DAILY_ADJUSTED', 'TIME_SERIES_INTRADAY']) {
      expect((await x.query({ function: fn, symbol: 'BYUE' })).json()).toEqual(fixture('info_premium_endpoint.json'));
    }
  });

  it('answers the demo key with the demo notice except for the documented IBM examples, outside the quota', async () => {
    const x = await av({ credentials: { apiKey: 'right' }, plan: { requestsPerDay: 1 } });
    const demo = fixture('info_demo_key.json');
    expect((await x.query(SPLITS, { key: 'demo' })).json()).toEqual(demo);
    expect((await x.query({ function: 'LISTING_STATUS' }, { key: 'demo' })).json()).toEqual(demo);
    expect((await x.query({ function: 'HISTORICAL_OPTIONS', symbol: 'IBM' }, { key: 'demo' })).json()).toEqual(demo);
    // The simulated market has no IBM, so the documented examples get the vendor's unknown-symbol answers.
    expect(x.market.symbol('IBM')).toBeUndefined();
    expect((await x.query({ function: 'SPLITS', symbol: 'IBM' }, { key: 'demo' })).json()).toEqual(fixture('empty_object.json'));
    expect((await x.query({ function: 'TIME_SERIES_DAILY', symbol: 'IBM' }, { key: 'demo' })).json()).toEqual(fixture('error_invalid_api_call.json'));
    expect((await x.query({ function: 'HISTORICAL_OPTIONS', symbol: 'IBM', date: '2017-11-15' }, { key: 'demo' })).json()).toEqual(
      fixture('historical_options_empty.json'),
    );
    expect(isData((await x.query(SPLITS, { key: 'right' })).text)).toBe(true);
  });

  it('answers a restrictive Accept header with the detail body, still HTTP 200', async () => {
    const x = await av({ plan: UNLIMITED });
    const reply = await x.query(SPLITS, { headers: { Accept: 'application/xml' } });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ detail: 'Could not satisfy the request Accept header.' });
    expect(isData((await x.query(SPLITS, { headers: { Accept: 'application/json, text/plain;q=0.5' } })).text)).toBe(true);
  });

  it('answers every refusal with HTTP 200 and JSON, and other paths with 404', async () => {
    const x = await av();
    const refusals = [
      await x.query(SPLITS, { key: null }),
      await x.query({ function: 'NOPE' }),
      await x.query(SPLITS),
      await x.query({ function: 'TIME_SERIES_DAILY', symbol: 'BYUE', outputsize: 'full' }, { key: 'other' }),
      await x.query({ function: 'LISTING_STATUS', state: 'bogus' }, { key: 'third' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refusals.map((r) => Object.keys(r.json<object>())[0])).toEqual(['Error Message', 'Error Message', 'Information', 'Information', 'Error Message']);
    expect(refusals.every((r) => r.headers.get('content-type')?.startsWith('application/json'))).toBe(true);
    // The vendor's own capture is pretty-printed JSON; so is the sandbox.
    expect(refusals[2]!.text).toBe(fixtureText('info_burst_limit.json').trimEnd());
    expect((await x.query(SPLITS, { path: '/v1/query' })).status).toBe(404);
  });
});
