import { describe, expect, it } from 'vitest';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, RateLimited } from '../../http/index.js';
import { TEST_BASE, TEST_KEY, avFixture, avResponse, setupAv, textResponse } from './test-support/harness.js';

/** Monday 2024-11-25 10:00 New York: the fixture's 2024-11-22 session is final. */
const START = Date.UTC(2024, 10, 25, 15, 0, 0);
const URL_SENT = `${TEST_BASE}/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=compact&apikey=${TEST_KEY}`;
const URL_STORED = `${TEST_BASE}/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=compact&apikey=***`;

function series(lastRefreshed: string, bars: Record<string, Record<string, string>>): string {
  return JSON.stringify({ 'Meta Data': { '2. Symbol': 'IBM', '3. Last Refreshed': lastRefreshed, '5. Time Zone': 'US/Eastern' }, 'Time Series (Daily)': bars });
}
const bar = (close: string) => ({ '1. open': '1.0000', '2. high': '2.0000', '3. low': '0.5000', '4. close': close, '5. volume': '100' });

describe('AV fetchTimeSeriesDaily', () => {
  it('maps the IBM fixture exactly: raw prices from strings, key only in the request, redacted lineage', async () => {
    const { client, fake } = setupAv(() => avResponse('time_series_daily_IBM_2024-11-22.json'), START);
    const rows = await client.fetchTimeSeriesDaily('ibm');
    expect(fake.seen.map((s) => s.url)).toEqual([URL_SENT]);
    expect(fake.seen[0]?.headers.accept).toBe('*/*');
    expect(rows).toEqual([
      {
        symbol: 'IBM',
        date: '2024-11-22',
        open: 223.35,
        high: 227.2,
        low: 220.89,
        close: 222.97,
        volume: 5320740,
        vwap: null,
        trades: null,
        feed: null,
        adjusted: false,
        source_name: 'av',
        source_uri: URL_STORED,
        ingested_at: '2024-11-25T15:00:00.000Z',
      },
    ]);
  });

  it('returns bars oldest first whatever the key order', async () => {
    const { client } = setupAv(() => textResponse(series('2024-11-22', { '2024-11-22': bar('3'), '2024-11-20': bar('1'), '2024-11-21': bar('2') })), START);
    expect((await client.fetchTimeSeriesDaily('IBM')).map((r) => [r.date, r.close])).toEqual([
      ['2024-11-20', 1],
      ['2024-11-21', 2],
      ['2024-11-22', 3],
    ]);
  });

  it('drops a session still in progress: an intraday Last Refreshed, or today before 18:00 New York', async () => {
    const intraday = setupAv(() => textResponse(series('2024-11-22 11:50:49', { '2024-11-22': bar('3'), '2024-11-21': bar('2') })), START);
    expect((await intraday.client.fetchTimeSeriesDaily('IBM')).map((r) => r.date)).toEqual(['2024-11-21']);
    expect(intraday.notices).toEqual([
      { endpoint: 'av.time_series_daily', kind: 'skipped', value: '"IBM 2024-11-22"', reason: 'session in progress (Last Refreshed 2024-11-22 11:50:49)' },
    ]);

    const today = setupAv(() => textResponse(series('2024-11-25', { '2024-11-25': bar('3'), '2024-11-22': bar('2') })), START);
    expect((await today.client.fetchTimeSeriesDaily('IBM')).map((r) => r.date)).toEqual(['2024-11-22']);
    expect(today.notices[0]?.reason).toBe("today's session is not final before 18:00 New York");

    const evening = setupAv(() => textResponse(series('2024-11-25', { '2024-11-25': bar('3') })), Date.UTC(2024, 10, 25, 23, 30));
    expect((await evening.client.fetchTimeSeriesDaily('IBM')).map((r) => r.date)).toEqual(['2024-11-25']);
  });

  it('refuses outputsize=full on a free key as a capability EntitlementDenied, without retrying', async () => {
    const { client, fake } = setupAv(() => avResponse('info_premium_outputsize_full.json'), START);
    const error = await client.fetchTimeSeriesDaily('IBM', { outputsize: 'full' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]?.url).toContain('outputsize=full');
  });

  it('waits out the burst limit on the virtual clock and retries once', async () => {
    const { client, fake, clock, gate } = setupAv([avResponse('info_burst_limit.json'), avResponse('time_series_daily_IBM_2024-11-22.json')], START);
    const rows = await client.fetchTimeSeriesDaily('IBM');
    expect(rows.map((r) => r.close)).toEqual([222.97]);
    expect(fake.seen).toHaveLength(2);
    expect(clock.now()).toBe(START + 2_000);
    expect(gate.acquired).toEqual(['av.time_series_daily', 'av.time_series_daily']);
    expect(gate.settled[0]).toMatchObject({ status: 200, error: 'RateLimited', retryAfterMs: 2_000, resetAtMs: START + 2_000 });
    expect(gate.settled[1]).toEqual({ status: 200, atMs: START + 2_000, remaining: undefined });
  });

  it('throws the daily limit at once with the reset instant the pacer freezes until', async () => {
    const { client, fake, gate } = setupAv(() => avResponse('info_daily_limit_25.json'), START);
    const error = await client.fetchTimeSeriesDaily('IBM').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).resetAtMs).toBe(Date.UTC(2024, 10, 26, 0, 0));
    expect(fake.seen).toHaveLength(1);
    expect(gate.settled[0]).toMatchObject({ error: 'RateLimited', resetAtMs: Date.UTC(2024, 10, 26, 0, 0) });
  });

  it('never lets the key out of a daily-limit body that echoes it', async () => {
    const echoing = avFixture('info_daily_limit_25_key_variant.json').replace('XXXXXXXXXXXXXXXX', TEST_KEY);
    expect(echoing).toContain(TEST_KEY);
    const { client } = setupAv(() => textResponse(echoing), START);
    const error = (await client.fetchTimeSeriesDaily('IBM').catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.bodyExcerpt).toContain('We have detected your API key as *** and');
    for (const text of [error.message, error.bodyExcerpt ?? '', error.url ?? '', JSON.stringify(error.toJSON()), String(error.stack)]) {
      expect(text).not.toContain(TEST_KEY);
    }
    expect(error.url).toBe(URL_STORED);
  });

  it('maps "Invalid API call" (unknown symbol) to BadRequest and the demo key to AuthFailed', async () => {
    const invalid = setupAv(() => avResponse('error_invalid_api_call.json'), START);
    await expect(invalid.client.fetchTimeSeriesDaily('NOPE')).rejects.toThrow(BadRequest);
    const demo = setupAv(() => avResponse('info_demo_key.json'), START);
    await expect(demo.client.fetchTimeSeriesDaily('IBM')).rejects.toThrow(AuthFailed);
  });

  it('treats {} and drifted shapes as Malformed, quarantinable and key-free', async () => {
    const adjusted = series('2024-11-22', {}).replace('{}', JSON.stringify({ '2024-11-22': { '1. open': '1', '2. high': '1', '3. low': '1', '4. close': '1', '5. adjusted close': '1', '6. volume': '10' } }));
    const cases: [string, RegExp][] = [
      [avFixture('empty_object.json'), /Meta Data|Time Series/],
      [adjusted, /5\. volume/],
      [series('2024-11-22', { '2024-11-22': { ...bar('2.x') } }), /4\. close: expected a decimal string/],
      [series('2024-11-22', { '22/11/2024': bar('1') }), /22\/11\/2024: Invalid key in record/],
      [`<html>apikey=${TEST_KEY}</html>`, /invalid JSON/],
    ];
    for (const [body, reason] of cases) {
      const { client } = setupAv(() => textResponse(body), START);
      const error = (await client.fetchTimeSeriesDaily('IBM').catch((e: unknown) => e)) as Malformed;
      expect(error, body).toBeInstanceOf(Malformed);
      expect(error.reason).toMatch(reason);
      expect(error.rawText).not.toContain(TEST_KEY);
      expect(error.rawText.length).toBeGreaterThan(0);
    }
  });

  it('refuses a bad symbol before spending a request', async () => {
    const { client, fake } = setupAv(() => avResponse('time_series_daily_IBM_2024-11-22.json'), START);
    await expect(client.fetchTimeSeriesDaily('../etc')).rejects.toThrow(BadRequest);
    await expect(client.fetchTimeSeriesDaily('IBM MSFT')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
