import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { DATA, collect, expectHeaderAuth, expectNoKeys, fixture, renderError, setupAlpaca } from './test-support/setup.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const INGESTED = '2026-03-02T15:00:00.000Z';
const bar = (t: string, c = 100) => ({ t, o: c - 1, h: c + 1, l: c - 2, c, v: 1200, n: 31, vw: c - 0.5 });
const page = (bars: Record<string, unknown[]>, next: string | null = null) => jsonResponse({ bars, next_page_token: next });

describe('Alpaca streamMinuteBars', () => {
  it('sends timeframe=1Min, raw, the feed, and a bare-date window as the whole New York day', async () => {
    const { client, fake } = setupAlpaca(() => page({}), START);
    await collect(client.streamMinuteBars({ symbols: ['AAPL', 'BRK-B'], start: '2024-01-02', end: '2024-01-03', feed: 'iex' }));
    expect(fake.seen[0]?.url).toBe(
      `${DATA}/v2/stocks/bars?symbols=AAPL,BRK.B&timeframe=1Min&start=2024-01-02T05%3A00%3A00Z&end=2024-01-04T04%3A59%3A59Z&limit=10000&adjustment=raw&feed=iex&sort=asc`,
    );
    expectHeaderAuth(fake.seen);
  });

  it('keeps the bar instant and dates it in New York across midnight UTC (EST)', async () => {
    const bars = { AAPL: [bar('2024-01-02T14:30:00Z'), bar('2024-01-02T23:59:00Z'), bar('2024-01-03T00:00:00Z'), bar('2024-01-03T00:59:00Z'), bar('2024-01-03T05:00:00Z')] };
    const { client, fake } = setupAlpaca(() => page(bars), START);
    const [first] = await collect(client.streamMinuteBars({ symbols: ['AAPL'], start: '2024-01-02', end: '2024-01-03', feed: 'sip' }));
    expect(first?.rows.map((r) => [r.ts, r.date])).toEqual([
      ['2024-01-02T14:30:00.000Z', '2024-01-02'], // 09:30 EST open
      ['2024-01-02T23:59:00.000Z', '2024-01-02'], // 18:59 EST
      ['2024-01-03T00:00:00.000Z', '2024-01-02'], // 19:00 EST: after midnight UTC, still the 2nd in New York
      ['2024-01-03T00:59:00.000Z', '2024-01-02'], // 19:59 EST: the last extended-hours minute
      ['2024-01-03T05:00:00.000Z', '2024-01-03'], // 00:00 EST on the 3rd
    ]);
    expect(first?.rows[0]).toEqual({
      symbol: 'AAPL',
      ts: '2024-01-02T14:30:00.000Z',
      date: '2024-01-02',
      open: 99,
      high: 101,
      low: 98,
      close: 100,
      volume: 1200,
      vwap: 99.5,
      trades: 31,
      feed: 'sip',
      source_name: 'alpaca',
      source_uri: fake.seen[0]?.url,
      ingested_at: INGESTED,
    });
  });

  it('keeps bars at and after 20:00 ET (EDT: 00:00Z and later) on their New York date', async () => {
    const bars = { SPY: [bar('2024-06-03T23:59:00Z'), bar('2024-06-04T00:00:00Z'), bar('2024-06-04T00:30:00Z'), bar('2024-06-04T03:59:00Z'), bar('2024-06-04T04:00:00Z')] };
    const { client } = setupAlpaca(() => page(bars), START);
    const [first] = await collect(client.streamMinuteBars({ symbols: ['SPY'], start: '2024-06-03', end: '2024-06-04', feed: 'iex' }));
    expect(first?.rows.map((r) => [r.ts.slice(0, 16), r.date])).toEqual([
      ['2024-06-03T23:59', '2024-06-03'],
      ['2024-06-04T00:00', '2024-06-03'], // 20:00 EDT
      ['2024-06-04T00:30', '2024-06-03'], // 20:30 EDT: the original put this on the 4th (B8)
      ['2024-06-04T03:59', '2024-06-03'],
      ['2024-06-04T04:00', '2024-06-04'], // New York midnight
    ]);
  });

  it('dates bars correctly on both sides of the spring-forward switch', async () => {
    const bars = { AAPL: [bar('2024-03-08T14:30:00Z'), bar('2024-03-09T04:59:00Z'), bar('2024-03-11T04:00:00Z'), bar('2024-03-11T13:30:00Z')] };
    const { client, fake } = setupAlpaca(() => page(bars), START);
    const [first] = await collect(client.streamMinuteBars({ symbols: ['AAPL'], start: '2024-03-08', end: '2024-03-11', feed: 'sip' }));
    const sent = new URL(fake.seen[0]?.url ?? '');
    expect([sent.searchParams.get('start'), sent.searchParams.get('end')]).toEqual(['2024-03-08T05:00:00Z', '2024-03-12T03:59:59Z']);
    expect(first?.rows.map((r) => r.date)).toEqual(['2024-03-08', '2024-03-08', '2024-03-11', '2024-03-11']);
  });

  it('sends RFC-3339 bounds as UTC instants', async () => {
    const { client, fake } = setupAlpaca(() => page({}), START);
    await collect(client.streamMinuteBars({ symbols: ['AAPL'], start: '2024-01-02T09:30:00-05:00', end: '2024-01-02T16:00:00-05:00', feed: 'sip' }));
    const sent = new URL(fake.seen[0]?.url ?? '');
    expect([sent.searchParams.get('start'), sent.searchParams.get('end')]).toEqual(['2024-01-02T14:30:00Z', '2024-01-02T21:00:00Z']);
  });

  it('walks page_token with the other parameters unchanged; a series may straddle pages', async () => {
    const TOKEN = 'QUFQTHxNfDIwMjQtMDEtMDJUMTU6MDA6MDBa';
    const { client, fake } = setupAlpaca(
      (url) => (url.searchParams.get('page_token') === TOKEN ? page({ AAPL: [bar('2024-01-02T14:32:00Z')], MSFT: [bar('2024-01-02T14:30:00Z', 370)] }) : page({ AAPL: [bar('2024-01-02T14:30:00Z'), bar('2024-01-02T14:31:00Z')] }, TOKEN)),
      START,
    );
    const pages = await collect(client.streamMinuteBars({ symbols: ['AAPL', 'MSFT'], start: '2024-01-02', end: '2024-01-02', feed: 'sip' }));
    expect(fake.seen[1]?.url).toBe(`${fake.seen[0]?.url}&page_token=${encodeURIComponent(TOKEN)}`);
    expect(pages.map((p) => [p.page, p.rows.map((r) => `${r.symbol}@${r.ts.slice(11, 16)}`)])).toEqual([
      [1, ['AAPL@14:30', 'AAPL@14:31']],
      [2, ['AAPL@14:32', 'MSFT@14:30']],
    ]);
    expect(pages[1]?.rows[0]?.source_uri).toBe(fake.seen[1]?.url);
    for (const row of pages.flatMap((p) => p.rows)) expectNoKeys(row.source_uri);
    expectHeaderAuth(fake.seen);
  });

  it('rejects a page holding a bar outside the requested window (a misread window is not filed)', async () => {
    const { client } = setupAlpaca(() => page({ AAPL: [bar('2024-01-02T04:59:00Z')] }), START);
    const error = await collect(client.streamMinuteBars({ symbols: ['AAPL'], start: '2024-01-02', end: '2024-01-02', feed: 'sip' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('bar of AAPL at 2024-01-02T04:59:00Z lies outside the requested 2024-01-02T05:00:00Z..2024-01-03T04:59:59Z');
  });

  it('refuses bad input before any request', async () => {
    const { client, fake } = setupAlpaca(() => page({}), START);
    const attempts = [
      { symbols: ['AAPL'], start: '2024-01-03', end: '2024-01-02', feed: 'sip' as const },
      { symbols: ['AAPL'], start: '2024-01-02T09:30:00', end: '2024-01-02', feed: 'sip' as const },
      { symbols: ['BRK/B'], start: '2024-01-02', end: '2024-01-02', feed: 'sip' as const },
      { symbols: [], start: '2024-01-02', end: '2024-01-02', feed: 'sip' as const },
      { symbols: ['AAPL'], start: '2024-01-02', end: '2024-01-02', feed: 'otc' as unknown as 'sip' },
      { symbols: ['AAPL'], start: '2024-01-02', end: '2024-01-02', feed: 'sip' as const, limit: 10_001 },
    ];
    for (const params of attempts) await expect(collect(client.streamMinuteBars(params))).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });

  it('surfaces the recent-SIP 403 as a window-scoped EntitlementDenied, keys nowhere', async () => {
    const { client, fake } = setupAlpaca(() => fixture('error_403_sip_subscription.json', 403), START);
    const error = await collect(client.streamMinuteBars({ symbols: ['AAPL'], start: '2026-03-02', end: '2026-03-02', feed: 'sip' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('window');
    expect((error as EntitlementDenied).endpoint).toBe('alpaca.minute');
    expect(fake.seen).toHaveLength(1);
    expectNoKeys(renderError(error));
  });
});
