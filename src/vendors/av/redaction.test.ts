import { describe, expect, it } from 'vitest';
import { Malformed, RateLimited, VendorError } from '../../http/index.js';
import type { AvClient } from './client.js';
import { TEST_KEY, avFixture, setupAv, textResponse } from './test-support/harness.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);

/** Every place an error exposes text: none may hold the key. */
function expectKeyFree(error: unknown): void {
  expect(error).toBeInstanceOf(VendorError);
  const e = error as VendorError & { rawText?: string; reason?: string };
  for (const text of [e.message, e.bodyExcerpt ?? '', e.url ?? '', e.rawText ?? '', e.reason ?? '', JSON.stringify(e.toJSON()), String(e.stack)]) {
    expect(text).not.toContain(TEST_KEY);
  }
}

const calls: [string, (client: AvClient) => Promise<unknown>][] = [
  ['TIME_SERIES_DAILY', (c) => c.fetchTimeSeriesDaily('IBM')],
  ['LISTING_STATUS', (c) => c.fetchListingStatus()],
  ['LISTING_STATUS delisted', (c) => c.fetchDelistings()],
  ['SPLITS', (c) => c.fetchSplits('IBM')],
  ['DIVIDENDS', (c) => c.fetchDividends('IBM')],
  ['HISTORICAL_OPTIONS', (c) => c.fetchHistoricalOptions('IBM', '2026-02-27')],
];

describe('AV key redaction', () => {
  it('masks the key AV echoes in the daily-limit text, on every endpoint, in the error and in what the pacer sees', async () => {
    const echoing = avFixture('info_daily_limit_25_key_variant.json').replace('XXXXXXXXXXXXXXXX', TEST_KEY);
    for (const [name, call] of calls) {
      const { client, gate, fake } = setupAv(() => textResponse(echoing), START);
      const error = await call(client).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(RateLimited);
      expectKeyFree(error);
      expect(JSON.stringify(gate.settled)).not.toContain(TEST_KEY);
      expect(fake.seen[0]?.url).toContain(`apikey=${TEST_KEY}`);
    }
  });

  it('masks the key in an unrecognised notice that quarantines the body', async () => {
    const { client } = setupAv(() => textResponse(JSON.stringify({ Information: `Your key ${TEST_KEY} is under review.` })), START);
    const error = await client.fetchSplits('IBM').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expectKeyFree(error);
    expect((error as Malformed).rawText).toContain('Your key *** is under review.');
  });

  it('masks the key in reasons that quote a parsed body (message, echoed symbol)', async () => {
    const message = setupAv(() => textResponse(JSON.stringify({ message: `maintenance for ${TEST_KEY}`, data: [] })), START);
    const byMessage = await message.client.fetchHistoricalOptions('IBM').catch((e: unknown) => e);
    expect((byMessage as Malformed).reason).toBe('unexpected message "maintenance for ***"');
    expectKeyFree(byMessage);

    const symbol = setupAv(() => textResponse(JSON.stringify({ symbol: TEST_KEY, data: [] })), START);
    const bySymbol = await symbol.client.fetchDividends('IBM').catch((e: unknown) => e);
    expect((bySymbol as Malformed).reason).toBe('payload is for "***", not IBM');
    expectKeyFree(bySymbol);
  });

  it('masks the key in notices', async () => {
    const row = JSON.parse(avFixture('historical_options_IBM_2026-09-24_excerpt.json')).data[0] as Record<string, string>;
    const { client, notices } = setupAv(() => textResponse(JSON.stringify({ message: 'success', data: [{ ...row, contractID: TEST_KEY }] })), START);
    expect(await client.fetchHistoricalOptions('IBM', '2026-09-24')).toEqual([]);
    expect(notices).toEqual([{ endpoint: 'av.historical_options', kind: 'skipped', value: '"***"', reason: 'contractID is not an OCC option symbol' }]);
  });
});
