import { describe, expect, it } from 'vitest';
import { nyDate } from '../../calendar/index.js';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureJson, fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

const LINEAGE_AT = '2026-03-02T21:30:00.000Z';
const CANDLES = fixtureJson('stock_candle_ok_AAPL_D.json') as { t: number[] };
const DAY = 86_400;

describe('Finnhub fetchCandleDaily', () => {
  it('maps the AAPL fixture: one row per bar, session dates from t, the key only in the header', async () => {
    const { client, fake } = setup(() => fixtureResponse('stock_candle_ok_AAPL_D.json'));
    const rows = await client.fetchCandleDaily('AAPL', '2019-09-24', '2019-09-26');
    const url = `${BASE}/stock/candle?symbol=AAPL&resolution=D&from=${Date.UTC(2019, 8, 24) / 1000}&to=${Date.UTC(2019, 8, 27) / 1000 - 1}`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    // The docs sample stamps 04:00 UTC = 00:00 New York (EDT): the calendar's nyDate agrees with the UTC date.
    expect(rows.map((r) => r.date)).toEqual(CANDLES.t.map((t) => nyDate(t * 1000)));
    expect(rows.map((r) => [r.date, r.open, r.high, r.low, r.close, r.volume])).toEqual([
      ['2019-09-24', 221.03, 222.49, 217.19, 217.68, 33463820],
      ['2019-09-25', 218.55, 221.5, 217.1402, 221.03, 24018876],
      ['2019-09-26', 220, 220.94, 218.83, 219.89, 20730608],
    ]);
    expect(rows[0]).toEqual({
      symbol: 'AAPL',
      date: '2019-09-24',
      open: 221.03,
      high: 222.49,
      low: 217.19,
      close: 217.68,
      volume: 33463820,
      vwap: null,
      trades: null,
      feed: null,
      adjusted: true,
      source_name: 'finnhub',
      source_uri: url,
      ingested_at: LINEAGE_AT,
    });
  });

  it('reads the current 00:00 UTC stamps as that UTC date, where a New York conversion would give the day before', async () => {
    const t = Date.UTC(2024, 0, 2) / 1000;
    const { client } = setup(() => jsonResponse({ s: 'ok', o: [1, 2], h: [1, 2], l: [1, 2], c: [1, 2], v: [10, 20.5], t: [t, t + DAY] }));
    const rows = await client.fetchCandleDaily('MSFT', '2024-01-02', '2024-01-03');
    expect(nyDate(t * 1000)).toBe('2024-01-01');
    expect(rows.map((r) => [r.date, r.close, r.volume])).toEqual([
      ['2024-01-02', 1, 10],
      ['2024-01-03', 2, 20.5],
    ]);
  });

  it('reads the 2020 09:30 New York stamps as the same session', async () => {
    const t = Date.UTC(2020, 2, 13, 13, 30) / 1000;
    const { client } = setup(() => jsonResponse({ s: 'ok', o: [1], h: [1], l: [1], c: [1], v: [1], t: [t] }));
    expect((await client.fetchCandleDaily('AAPL', '2020-03-13', '2020-03-13')).map((r) => r.date)).toEqual(['2020-03-13']);
  });

  it('drops the bar of the day before `from` that the vendor returns too', async () => {
    const t = Date.UTC(2024, 0, 2) / 1000;
    const { client } = setup(() => jsonResponse({ s: 'ok', o: [1, 2], h: [1, 2], l: [1, 2], c: [1, 2], v: [1, 2], t: [t, t + DAY] }));
    expect((await client.fetchCandleDaily('AAPL', '2024-01-03', '2024-01-03')).map((r) => r.date)).toEqual(['2024-01-03']);
  });

  it('returns [] for {"s":"no_data"}: a valid empty answer, not an error', async () => {
    const { client, gateLog } = setup(() => fixtureResponse('stock_candle_no_data.json'));
    expect(await client.fetchCandleDaily('ZZZZ', '2024-01-02', '2024-01-05')).toEqual([]);
    expect(gateLog.outcomes).toEqual([{ status: 200, atMs: expect.any(Number) }]);
  });

  it('maps the free-key 403 to EntitlementDenied(capability) after one request, never retried', async () => {
    const { client, fake, gateLog } = setup(() => fixtureResponse('error_403_no_access.json', 403));
    const error = await client.fetchCandleDaily('AAPL', '2024-01-02', '2024-01-05').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect((error as EntitlementDenied).endpoint).toBe('finnhub.candle.daily');
    expect(fake.seen).toHaveLength(1);
    expect(gateLog.acquired).toBe(1);
    expect(gateLog.outcomes[0]).toMatchObject({ status: 403, error: 'EntitlementDenied' });
  });

  it('rejects schema drift as Malformed with the body kept for quarantine', async () => {
    const drifted = { s: 'ok', c: [1], h: [1], l: [1], o: [1], v: [1], time: [1704153600] };
    const { client } = setup(() => jsonResponse(drifted));
    const error = await client.fetchCandleDaily('AAPL', '2024-01-02', '2024-01-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^schema mismatch: t: /);
    expect((error as Malformed).rawText).toBe(JSON.stringify(drifted));
  });

  it('rejects truncated JSON as Malformed (not retried: the same bytes would come back)', async () => {
    const { client, fake } = setup(() => new Response('{"s":"ok","c":[217.68,', { status: 200 }));
    const error = await client.fetchCandleDaily('AAPL', '2024-01-02', '2024-01-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^invalid JSON/);
    expect(fake.seen).toHaveLength(1);
  });

  it('rejects an unknown status, arrays of different lengths and a bar on a weekend', async () => {
    const t = Date.UTC(2024, 0, 2) / 1000;
    const bodies = [
      { s: 'error' },
      { s: 'ok', o: [1, 2], h: [1, 2], l: [1, 2], c: [1], v: [1, 2], t: [t, t + DAY] },
      { s: 'ok', o: [1], h: [1], l: [1], c: [1], v: [1], t: [Date.UTC(2024, 0, 6) / 1000] },
    ];
    const reasons: string[] = [];
    for (const body of bodies) {
      const { client } = setup(() => jsonResponse(body));
      const error = await client.fetchCandleDaily('AAPL', '2024-01-01', '2024-01-10').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Malformed);
      reasons.push((error as Malformed).reason);
    }
    expect(reasons[0]).toMatch(/^schema mismatch: s: /);
    expect(reasons[1]).toBe('candle arrays differ in length (t=2, o=2, h=2, l=2, c=1, v=2)');
    expect(reasons[2]).toBe('bar t=1704499200 falls on 2024-01-06, not an NYSE session');
  });

  it('refuses a bad symbol or date range before spending a request', async () => {
    const { client, fake } = setup(() => jsonResponse({ s: 'no_data' }));
    await expect(client.fetchCandleDaily('../x', '2024-01-02', '2024-01-02')).rejects.toThrow(BadRequest);
    await expect(client.fetchCandleDaily('AAPL', '2024-02-30', '2024-03-01')).rejects.toThrow(BadRequest);
    await expect(client.fetchCandleDaily('AAPL', '2024-03-02', '2024-03-01')).rejects.toThrow(/after its end/);
    expect(fake.seen).toHaveLength(0);
  });
});
