import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { planVintageWindows } from './vintages.js';
import { TEST_BASE, TEST_INGESTED_AT, TEST_KEY, expectJsonOnEveryRequest, fixtureResponse, fredSetup, redacted } from './test-support/fixtures.js';

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** One true ALFRED version: the value current over the closed interval [rs, re]. */
interface Version {
  date: string;
  value: string;
  rs: string;
  re: string;
}

const FOREVER = '9999-12-31';
const VINTAGE_CAP = 2_000;

/**
 * A small ALFRED: vintagedates (pages of at most 2,000 whatever the limit) and observations over
 * a real-time window, clipped to it, refusing a window that spans more than 2,000 vintage dates.
 */
function alfred(vintages: readonly string[], versions: readonly Version[], pageCap = Number.MAX_SAFE_INTEGER) {
  return (url: URL): Response => {
    const p = url.searchParams;
    const rs = p.get('realtime_start') ?? '';
    const re = p.get('realtime_end') ?? '';
    const offset = Number(p.get('offset'));
    const inWindow = vintages.filter((v) => v >= rs && v <= re);
    if (url.pathname === '/fred/series/vintagedates') {
      const limit = Math.min(Number(p.get('limit')), VINTAGE_CAP);
      return jsonResponse({ realtime_start: rs, realtime_end: re, count: inWindow.length, offset, limit, vintage_dates: inWindow.slice(offset, offset + limit) });
    }
    if (inWindow.length > VINTAGE_CAP) {
      return jsonResponse({ error_code: 400, error_message: 'Bad Request. This exceeds the maximum number of vintage dates allowed (2000)' }, 400);
    }
    const first = p.get('observation_start') ?? '0000-01-01';
    const last = p.get('observation_end') ?? FOREVER;
    const rows = versions
      .filter((v) => v.rs <= re && v.re >= rs && v.date >= first && v.date <= last)
      .map((v) => ({ realtime_start: v.rs < rs ? rs : v.rs, realtime_end: v.re > re ? re : v.re, date: v.date, value: v.value }))
      .sort((a, b) => (a.date === b.date ? (a.realtime_start < b.realtime_start ? -1 : 1) : a.date < b.date ? -1 : 1));
    const limit = Math.min(Number(p.get('limit')), pageCap);
    return jsonResponse({ realtime_start: rs, realtime_end: re, count: rows.length, offset, limit, observations: rows.slice(offset, offset + limit) });
  };
}

// 4,500 vintage dates, every other day from 2000-01-01: windows end at V[1999] and V[3999], with a
// one-day gap (no release) before the next window's first vintage.
const V = Array.from({ length: 4_500 }, (_, i) => addDays('2000-01-01', 2 * i));
const at = (i: number): string => V[i] as string;
const dayBefore = (date: string): string => addDays(date, -1);

const TRUTH: Version[] = [
  // Unrevised since the first vintage: spans all three windows.
  { date: '1999-10-01', value: '1.5', rs: at(0), re: FOREVER },
  // Revised exactly at the second window's first vintage, then withdrawn to "." in the third.
  { date: '1999-11-01', value: '2.0', rs: at(0), re: dayBefore(at(2000)) },
  { date: '1999-11-01', value: '2.1', rs: at(2000), re: dayBefore(at(4100)) },
  { date: '1999-11-01', value: '.', rs: at(4100), re: FOREVER },
  // Revised twice inside the first window.
  { date: '2000-01-01', value: '5.0', rs: at(10), re: dayBefore(at(20)) },
  { date: '2000-01-01', value: '5.5', rs: at(20), re: dayBefore(at(2500)) },
  { date: '2000-01-01', value: '6.0', rs: at(2500), re: FOREVER },
  // Revised on the last vintage of the second window: cut there, continued in the third.
  { date: '2005-06-01', value: '3.0', rs: at(1500), re: dayBefore(at(3999)) },
  { date: '2005-06-01', value: '3.25', rs: at(3999), re: FOREVER },
  // First published in the third window.
  { date: '2020-01-01', value: '4.0', rs: at(4200), re: FOREVER },
];

function projected(rows: { date: string; value: number | null; realtime_start: string; realtime_end: string }[]) {
  return rows.map((r) => ({ date: r.date, value: r.value, rs: r.realtime_start, re: r.realtime_end }));
}

const expectedTruth = TRUTH.map((v) => ({ date: v.date, value: v.value === '.' ? null : Number(v.value), rs: v.rs, re: v.re }));

describe('planVintageWindows', () => {
  it('splits 4,500 vintage dates into three windows of ≤ 2,000, keeping the requested outer bounds', () => {
    expect(planVintageWindows(V, '1776-07-04', FOREVER)).toEqual([
      { realtimeStart: '1776-07-04', realtimeEnd: at(1999), vintageDates: 2000 },
      { realtimeStart: at(2000), realtimeEnd: at(3999), vintageDates: 2000 },
      { realtimeStart: at(4000), realtimeEnd: FOREVER, vintageDates: 500 },
    ]);
  });

  it('one window at or under the cap, two just over it, one when there are no vintages', () => {
    expect(planVintageWindows(V.slice(0, 2000), '1776-07-04', FOREVER)).toHaveLength(1);
    expect(planVintageWindows(V.slice(0, 2001), '1776-07-04', FOREVER).map((w) => w.vintageDates)).toEqual([2000, 1]);
    expect(planVintageWindows([], '2024-03-01', '2024-03-01')).toEqual([{ realtimeStart: '2024-03-01', realtimeEnd: '2024-03-01', vintageDates: 0 }]);
    expect(planVintageWindows(V, '1776-07-04', FOREVER, 1500).map((w) => w.vintageDates)).toEqual([1500, 1500, 1500]);
  });

  it('ignores duplicate and out-of-window dates', () => {
    expect(planVintageWindows(['2024-01-02', '2024-01-02', '2023-12-01', '2024-02-01'], '2024-01-01', '2024-12-31')).toEqual([
      { realtimeStart: '2024-01-01', realtimeEnd: '2024-12-31', vintageDates: 2 },
    ]);
  });
});

describe('FRED fetchVintages (fred.vintages)', () => {
  it('4,500 vintages: vintagedates pages, then 3 chunked observation requests, stitched into the true versions', async () => {
    const { client, fake } = fredSetup(alfred(V, TRUTH));
    const rows = await client.fetchVintages('gdpc1');
    expectJsonOnEveryRequest(fake.seen);
    const requests = fake.seen.map((s) => new URL(s.url));
    // vintagedates: FRED pages of ≤ 2,000 here, followed by offset until count.
    expect(requests.slice(0, 3).map((u) => [u.pathname, u.searchParams.get('offset'), u.searchParams.get('limit'), u.searchParams.get('realtime_start'), u.searchParams.get('realtime_end')])).toEqual([
      ['/fred/series/vintagedates', '0', '10000', '1776-07-04', FOREVER],
      ['/fred/series/vintagedates', '2000', '10000', '1776-07-04', FOREVER],
      ['/fred/series/vintagedates', '4000', '10000', '1776-07-04', FOREVER],
    ]);
    expect(requests.slice(3).map((u) => [u.pathname, u.searchParams.get('series_id'), u.searchParams.get('realtime_start'), u.searchParams.get('realtime_end'), u.searchParams.get('offset')])).toEqual([
      ['/fred/series/observations', 'GDPC1', '1776-07-04', at(1999), '0'],
      ['/fred/series/observations', 'GDPC1', at(2000), at(3999), '0'],
      ['/fred/series/observations', 'GDPC1', at(4000), FOREVER, '0'],
    ]);
    expect(projected(rows)).toEqual(expectedTruth);
    expect(new Set(rows.map((r) => `${r.series_id}|${r.date}|${r.realtime_start}`)).size).toBe(rows.length);
    expect(rows.every((r) => r.series_id === 'GDPC1' && r.source_name === 'fred' && r.ingested_at === TEST_INGESTED_AT)).toBe(true);
    // A stitched version keeps the lineage of the request that first returned it.
    expect(rows[0]?.source_uri).toBe(redacted(fake.seen[3]?.url ?? ''));
    expect(rows.some((r) => r.source_uri.includes(TEST_KEY))).toBe(false);
  });

  it('pages each window with offset and still stitches exactly', async () => {
    const { client, fake } = fredSetup(alfred(V, TRUTH, 2));
    const rows = await client.fetchVintages('GDPC1');
    expect(projected(rows)).toEqual(expectedTruth);
    const observationOffsets = fake.seen.map((s) => new URL(s.url)).filter((u) => u.pathname.endsWith('/observations')).map((u) => `${u.searchParams.get('realtime_start')}@${u.searchParams.get('offset')}`);
    // Window 1 holds 5 clipped versions, windows 2 and 3 six each → 3 + 3 + 3 pages of 2.
    expect(observationOffsets).toEqual([
      '1776-07-04@0', '1776-07-04@2', '1776-07-04@4',
      `${at(2000)}@0`, `${at(2000)}@2`, `${at(2000)}@4`,
      `${at(4000)}@0`, `${at(4000)}@2`, `${at(4000)}@4`,
    ]);
  });

  it('bounds the observation dates with start/end and a real-time window', async () => {
    const { client, fake } = fredSetup(alfred(V, TRUTH));
    const rows = await client.fetchVintages('GDPC1', { start: '1999-11-01', end: '1999-11-01', realtimeStart: at(1000), realtimeEnd: at(2999) });
    const observation = new URL(fake.seen.at(-1)?.url ?? '').searchParams;
    expect([observation.get('observation_start'), observation.get('observation_end'), observation.get('realtime_start'), observation.get('realtime_end')]).toEqual(['1999-11-01', '1999-11-01', at(1000), at(2999)]);
    // 2,000 vintages in [V1000, V2999]: one window; both versions clipped to the requested bounds only.
    expect(projected(rows.filter((r) => r.date === '1999-11-01'))).toEqual([
      { date: '1999-11-01', value: 2, rs: at(1000), re: dayBefore(at(2000)) },
      { date: '1999-11-01', value: 2.1, rs: at(2000), re: at(2999) },
    ]);
  });

  it('maps the CPIAUCSL vintage range (2024-02-13..2024-03-12) to one row per version', async () => {
    const { client, fake } = fredSetup((url) =>
      url.pathname.endsWith('/vintagedates')
        ? jsonResponse({ count: 2, offset: 0, vintage_dates: ['2024-02-13', '2024-03-12'] })
        : fixtureResponse('DERIVED_series_observations_CPIAUCSL_output_type1.json'),
    );
    const rows = await client.fetchVintages('CPIAUCSL', { start: '2023-11-01', end: '2024-02-29', realtimeStart: '2024-02-13', realtimeEnd: '2024-03-12' });
    const sent = fake.seen[1]?.url ?? '';
    expect(sent).toBe(
      `${TEST_BASE}/fred/series/observations?series_id=CPIAUCSL&realtime_start=2024-02-13&realtime_end=2024-03-12&observation_start=2023-11-01&observation_end=2024-02-29&sort_order=asc&limit=100000&offset=0&file_type=json&api_key=${TEST_KEY}`,
    );
    const lineage = { source_name: 'fred', source_uri: redacted(sent), ingested_at: TEST_INGESTED_AT };
    expect(rows).toEqual([
      { series_id: 'CPIAUCSL', date: '2023-11-01', value: 308.024, realtime_start: '2024-02-13', realtime_end: '2024-03-12', ...lineage },
      { series_id: 'CPIAUCSL', date: '2023-12-01', value: 308.742, realtime_start: '2024-02-13', realtime_end: '2024-03-12', ...lineage },
      { series_id: 'CPIAUCSL', date: '2024-01-01', value: 309.685, realtime_start: '2024-02-13', realtime_end: '2024-03-12', ...lineage },
      { series_id: 'CPIAUCSL', date: '2024-02-01', value: 311.054, realtime_start: '2024-03-12', realtime_end: '2024-03-12', ...lineage },
    ]);
  });

  it('an as-of query with no vintage inside the window still makes one clipped request', async () => {
    const { client, fake } = fredSetup(alfred(V, TRUTH));
    const asOf = addDays(at(4100), 1);
    const rows = await client.fetchVintages('GDPC1', { realtimeStart: asOf, realtimeEnd: asOf });
    expect(fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/fred/series/vintagedates', '/fred/series/observations']);
    expect(projected(rows)).toEqual([
      { date: '1999-10-01', value: 1.5, rs: asOf, re: asOf },
      { date: '1999-11-01', value: null, rs: asOf, re: asOf },
      { date: '2000-01-01', value: 6, rs: asOf, re: asOf },
      { date: '2005-06-01', value: 3.25, rs: asOf, re: asOf },
    ]);
  });

  it('a window over the cap (FRED counting differently) surfaces as BadRequest, not a loop', async () => {
    const { client } = fredSetup(alfred(V, TRUTH), { vintageDatesPerRequest: 5_000 });
    // Options above FRED's cap are clamped to 2,000, so this still works…
    expect(projected(await client.fetchVintages('GDPC1'))).toEqual(expectedTruth);
    // …and a server refusing a window is reported as our bad request.
    const refusing = fredSetup(() => jsonResponse({ error_code: 400, error_message: 'Bad Request. This exceeds the maximum number of vintage dates allowed (2000)' }, 400));
    await expect(refusing.client.fetchVintages('GDPC1')).rejects.toThrow(BadRequest);
  });

  it('rejects a version outside the requested real-time window', async () => {
    const { client } = fredSetup((url) =>
      url.pathname.endsWith('/vintagedates')
        ? jsonResponse({ count: 1, vintage_dates: ['2024-03-12'] })
        : jsonResponse({ count: 1, observations: [{ realtime_start: '2020-01-01', realtime_end: '2020-02-01', date: '2019-12-01', value: '1' }] }),
    );
    const error = await client.fetchVintages('CPIAUCSL', { realtimeStart: '2024-03-01', realtimeEnd: '2024-03-31' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('CPIAUCSL 2019-12-01: version 2020-01-01..2020-02-01 lies outside the requested real-time window 2024-03-01..2024-03-31');
  });
});

describe('FRED fetchVintageDates', () => {
  it('reads the 162 GNPCA vintage dates, asking for the whole real-time range', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('series_vintagedates_GNPCA.json'));
    const dates = await client.fetchVintageDates('GNPCA');
    expect(fake.seen.map((s) => s.url)).toEqual([
      `${TEST_BASE}/fred/series/vintagedates?series_id=GNPCA&realtime_start=1776-07-04&realtime_end=9999-12-31&sort_order=asc&limit=10000&offset=0&file_type=json&api_key=${TEST_KEY}`,
    ]);
    expect(dates).toHaveLength(162);
    expect([dates[0], dates[1], dates[161]]).toEqual(['1958-12-21', '1959-02-19', '2013-07-31']);
    expect([...dates].sort()).toEqual(dates);
  });

  it('rejects a vintage date outside the asked window', async () => {
    const { client } = fredSetup(() => fixtureResponse('series_vintagedates_GNPCA.json'));
    await expect(client.fetchVintageDates('GNPCA', { realtimeStart: '2000-01-01' })).rejects.toThrow('vintage date 1958-12-21 lies outside 2000-01-01..9999-12-31');
  });
});
