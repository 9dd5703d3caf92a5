import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { TEST_BASE, TEST_KEY, avFixture, avResponse, setupAv, textResponse } from './test-support/harness.js';

const START = Date.UTC(2026, 8, 25, 14, 0, 0);
const AT = '2026-09-25T14:00:00.000Z';
const EXCERPT = 'historical_options_IBM_2026-09-24_excerpt.json';

type Row = Record<string, string>;
const excerptRows = (): Row[] => (JSON.parse(avFixture(EXCERPT)) as { data: Row[] }).data;
const withRows = (data: unknown[], message = 'success') => textResponse(JSON.stringify({ endpoint: 'Historical Options', message, data }));

describe('AV fetchHistoricalOptions', () => {
  it('maps the flat per-contract excerpt exactly: right from type, IV as a fraction, greeks, EOD quality', async () => {
    const { client, fake, notices } = setupAv(() => avResponse(EXCERPT), START);
    const rows = await client.fetchHistoricalOptions('IBM', '2026-09-24');
    const uri = `${TEST_BASE}/query?function=HISTORICAL_OPTIONS&symbol=IBM&date=2026-09-24&apikey=***`;
    expect(fake.seen.map((s) => s.url)).toEqual([uri.replace('***', TEST_KEY)]);
    expect(fake.seen[0]?.url).not.toContain('expiration=');
    expect(rows[0]).toEqual({
      contract: 'IBM261016C00220000',
      as_of: null,
      underlying: 'IBM',
      date: '2026-09-24',
      expiration: '2026-10-16',
      strike: 220,
      right: 'C',
      bid: 10.95,
      ask: 12.5,
      last: 11.65,
      volume: 18,
      open_interest: 517,
      iv: 0.33682,
      delta: 0.67422,
      gamma: 0.01919,
      theta: -0.16876,
      vega: 0.20083,
      rho: 0.08518,
      quote_quality: 'eod',
      indicative: false,
      source_name: 'av',
      source_uri: uri,
      ingested_at: AT,
    });
    expect(rows.map((r) => [r.contract, r.right, r.strike, r.bid, r.ask, r.volume, r.open_interest, r.iv, r.delta])).toEqual([
      ['IBM261016C00220000', 'C', 220, 10.95, 12.5, 18, 517, 0.33682, 0.67422],
      ['IBM261016P00220000', 'P', 220, 3.7, 4.05, 422, 4661, 0.31731, -0.31759],
      ['IBM261016C00225000', 'C', 225, 8.4, 9.1, 58, 2613, 0.33682, 0.57136],
      ['IBM261016P00225000', 'P', 225, 5.65, 6.2, 151, 1605, 0.32707, -0.42749],
    ]);
    expect(notices).toEqual([]);
  });

  it('asks for the previous session when no date is given and takes the session from the rows', async () => {
    const { client, fake } = setupAv(() => avResponse(EXCERPT), START);
    const rows = await client.fetchHistoricalOptions('ibm');
    expect(fake.seen[0]?.url).toBe(`${TEST_BASE}/query?function=HISTORICAL_OPTIONS&symbol=IBM&apikey=${TEST_KEY}`);
    expect(new Set(rows.map((r) => r.date))).toEqual(new Set(['2026-09-24']));
  });

  it('returns no rows for the empty file (data: [], message: success)', async () => {
    const { client } = setupAv(() => avResponse('historical_options_empty.json'), START);
    expect(await client.fetchHistoricalOptions('IBM', '2026-09-26')).toEqual([]);
  });

  it('rejects the whole payload when a row is for another session or underlying', async () => {
    const other = setupAv(() => avResponse(EXCERPT), START);
    const error = (await other.client.fetchHistoricalOptions('IBM', '2026-09-23').catch((e: unknown) => e)) as Malformed;
    expect(error).toBeInstanceOf(Malformed);
    expect(error.reason).toBe('contract IBM261016C00220000 is dated 2026-09-24, not 2026-09-23');

    const mixed = excerptRows();
    (mixed[3] as Row).date = '2026-09-23';
    const mixedSetup = setupAv(() => withRows(mixed), START);
    await expect(mixedSetup.client.fetchHistoricalOptions('IBM')).rejects.toThrow('contract IBM261016P00225000 is dated 2026-09-23, not 2026-09-24');

    const wrong = setupAv(() => avResponse(EXCERPT), START);
    await expect(wrong.client.fetchHistoricalOptions('MSFT', '2026-09-24')).rejects.toThrow('contract IBM261016C00220000 is on "IBM", not MSFT');
  });

  it('nulls the "not computed" deep-ITM IV/greeks and an empty two-sided quote, flagging the former', async () => {
    const rows = excerptRows();
    Object.assign(rows[0] as Row, { implied_volatility: '4.20990', delta: '0.98977' });
    Object.assign(rows[1] as Row, { bid: '0.00', ask: '0.00' });
    const { client, notices } = setupAv(() => withRows(rows), START);
    const [junk, unquoted] = await client.fetchHistoricalOptions('IBM', '2026-09-24');
    expect([junk?.iv, junk?.delta, junk?.gamma, junk?.theta, junk?.vega, junk?.rho, junk?.last]).toEqual([null, null, null, null, null, null, 11.65]);
    expect([unquoted?.bid, unquoted?.ask, unquoted?.last, unquoted?.iv]).toEqual([null, null, 3.95, 0.31731]);
    expect(notices).toEqual([
      { endpoint: 'av.historical_options', kind: 'flagged', value: '"IBM261016C00220000"', reason: 'IV 4.2099 with delta 0.98977: greeks not computed, stored as null' },
    ]);
  });

  it('reads "None"/empty optional numbers as null and skips contracts that contradict their own id or repeat', async () => {
    const rows = excerptRows();
    Object.assign(rows[0] as Row, { last: 'None', volume: '', rho: 'None' });
    Object.assign(rows[1] as Row, { expiration: '2026-10-17' });
    rows.push({ ...(rows[2] as Row) });
    const { client, notices } = setupAv(() => withRows(rows), START);
    const got = await client.fetchHistoricalOptions('IBM', '2026-09-24');
    expect(got.map((r) => [r.contract, r.last, r.volume, r.rho])).toEqual([
      ['IBM261016C00220000', null, null, null],
      ['IBM261016C00225000', 8.7, 58, 0.07289],
      ['IBM261016P00225000', 5.88, 151, -0.06213],
    ]);
    expect(notices.map((n) => [n.kind, n.value, n.reason])).toEqual([
      ['skipped', '"IBM261016P00220000"', 'contractID expiry 2026-10-16 disagrees with expiration 2026-10-17'],
      ['skipped', '"IBM261016C00225000"', 'contract listed twice: the first row is kept'],
    ]);
  });

  it('quarantines drift: nested calls/puts, numbers that are not numbers, an unknown type, a non-success message', async () => {
    const bad = (patch: Row) => [{ ...(excerptRows()[0] as Row), ...patch }];
    const cases: [Response, RegExp][] = [
      [textResponse(JSON.stringify({ symbol: 'IBM', calls: [], puts: [] })), /data: Invalid input: expected array/],
      [withRows(bad({ strike: 'two hundred' })), /data\.0\.strike: expected a decimal string/],
      [withRows(bad({ implied_volatility: '33%' })), /data\.0\.implied_volatility: expected a decimal string or "None"/],
      [withRows(bad({ type: 'straddle' })), /data\.0\.type/],
      [withRows(bad({ expiration: '2099-99-99' })), /data\.0\.expiration: expected a date/],
      [withRows([], 'maintenance'), /unexpected message "maintenance"/],
      [avResponse('empty_object.json'), /data/],
    ];
    for (const [response, reason] of cases) {
      const { client } = setupAv(() => response, START);
      const error = (await client.fetchHistoricalOptions('IBM', '2026-09-24').catch((e: unknown) => e)) as Malformed;
      expect(error, String(reason)).toBeInstanceOf(Malformed);
      expect(error.reason).toMatch(reason);
    }
  });

  it('never ingests the fake sample rows of a premium refusal, small or past the classifier size limit', async () => {
    const small = setupAv(() => avResponse('realtime_options_not_entitled.json'), START);
    await expect(small.client.fetchHistoricalOptions('IBM', '2026-09-24')).rejects.toThrow(EntitlementDenied);

    const refusal = JSON.parse(avFixture('realtime_options_not_entitled.json')) as { data: unknown[] };
    const huge = JSON.stringify({ ...refusal, data: Array.from({ length: 200 }, () => refusal.data[0]) });
    expect(huge.length).toBeGreaterThan(64 * 1024);
    const large = setupAv(() => textResponse(huge), START);
    const error = (await large.client.fetchHistoricalOptions('IBM', '2026-09-24').catch((e: unknown) => e)) as EntitlementDenied;
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect(error.scope).toBe('capability');

    const info = setupAv(() => avResponse('info_premium_endpoint.json'), START);
    await expect(info.client.fetchHistoricalOptions('IBM', '2026-09-24')).rejects.toThrow(EntitlementDenied);
  });

  it('refuses a date before 2008-01-01 or not a date, before any request', async () => {
    const { client, fake } = setupAv(() => avResponse(EXCERPT), START);
    await expect(client.fetchHistoricalOptions('IBM', '2007-12-31')).rejects.toThrow(BadRequest);
    await expect(client.fetchHistoricalOptions('IBM', '2026-9-24')).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
