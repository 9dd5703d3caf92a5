import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, NotFound, Transient, type VendorError } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { createFredClient } from './client.js';
import { FRED_KEY_GLITCH_PAUSE_MS } from './context.js';
import { parseFredValue } from './observations.js';
import { parseLastUpdated } from './series-info.js';
import { TEST_BASE, TEST_INGESTED_AT, TEST_KEY, TEST_START, expectJsonOnEveryRequest, fixtureResponse, fredSetup, redacted } from './test-support/fixtures.js';

const LINEAGE = { source_name: 'fred', ingested_at: TEST_INGESTED_AT };

function obs(date: string, value: string, realtime = '2026-03-02'): { realtime_start: string; realtime_end: string; date: string; value: string } {
  return { realtime_start: realtime, realtime_end: realtime, date, value };
}

/** A FRED-mode observations server over `all`, honouring offset/limit, never returning more than `cap` rows a page. */
function pagedSeries(all: ReturnType<typeof obs>[], cap = Number.MAX_SAFE_INTEGER) {
  return (url: URL): Response => {
    const offset = Number(url.searchParams.get('offset'));
    const limit = Math.min(Number(url.searchParams.get('limit')), cap);
    return jsonResponse({ count: all.length, offset, limit, observations: all.slice(offset, offset + limit) });
  };
}

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error as VendorError;
}

function expectNoKey(error: VendorError): void {
  const everything = `${error.message} ${error.url ?? ''} ${error.bodyExcerpt ?? ''} ${JSON.stringify(error.toJSON())} ${error.stack ?? ''}`;
  expect(everything).not.toContain(TEST_KEY);
}

describe('createFredClient', () => {
  it('refuses a missing or malformed key before any request', () => {
    const clock = new VirtualClock({ start: TEST_START });
    expect(() => createFredClient({ apiKey: ' ', clock })).toThrow(AuthFailed);
    expect(() => createFredClient({ apiKey: 'ABCDEF0123456789ABCDEF0123456789', clock })).toThrow('FRED_API_KEY must be 32 lower-case letters and digits');
    expect(() => createFredClient({ apiKey: 'short', clock })).toThrow(AuthFailed);
  });
});

describe('FRED fetchSeries (fred.series)', () => {
  it('maps the DGS10 fixture: "." on MLK day 2024-01-15 becomes null and the row is kept', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('series_observations_DGS10_with_missing.json'));
    const rows = await client.fetchSeries('DGS10', { start: '2024-01-01', end: '2024-01-16' });
    const sent = `${TEST_BASE}/fred/series/observations?series_id=DGS10&observation_start=2024-01-01&observation_end=2024-01-16&sort_order=asc&limit=100000&offset=0&file_type=json&api_key=${TEST_KEY}`;
    expect(fake.seen.map((s) => s.url)).toEqual([sent]);
    expectJsonOnEveryRequest(fake.seen);
    const source_uri = redacted(sent);
    expect(source_uri).toContain('api_key=***');
    const realtime = { realtime_start: '2024-01-16', realtime_end: '2024-01-16' };
    expect(rows).toEqual([
      { series_id: 'DGS10', date: '2024-01-11', value: 3.97, ...realtime, ...LINEAGE, source_uri },
      { series_id: 'DGS10', date: '2024-01-12', value: 3.95, ...realtime, ...LINEAGE, source_uri },
      { series_id: 'DGS10', date: '2024-01-15', value: null, ...realtime, ...LINEAGE, source_uri },
    ]);
  });

  it('maps the SP500 fixture exactly (FRED mode: realtime columns are the request day)', async () => {
    const { client } = fredSetup(() => fixtureResponse('series_observations_SP500.json'));
    const rows = await client.fetchSeries('sp500', { start: '2014-09-02', end: '2014-09-05' });
    expect(rows.map((r) => [r.series_id, r.date, r.value, r.realtime_start, r.realtime_end])).toEqual([
      ['SP500', '2014-09-02', 2002.28, '2015-06-28', '2015-06-28'],
      ['SP500', '2014-09-03', 2000.72, '2015-06-28', '2015-06-28'],
      ['SP500', '2014-09-04', 1997.65, '2015-06-28', '2015-06-28'],
      ['SP500', '2014-09-05', 2007.71, '2015-06-28', '2015-06-28'],
    ]);
  });

  it('maps all 84 GNPCA rows (whole history, no window sent)', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('series_observations_GNPCA.json'));
    const rows = await client.fetchSeries('GNPCA');
    expect(fake.seen[0]?.url).toBe(`${TEST_BASE}/fred/series/observations?series_id=GNPCA&sort_order=asc&limit=100000&offset=0&file_type=json&api_key=${TEST_KEY}`);
    expect(rows).toHaveLength(84);
    expect(rows[0]).toMatchObject({ series_id: 'GNPCA', date: '1929-01-01', value: 1065.9, realtime_start: '2013-08-14', realtime_end: '2013-08-14' });
    expect(rows[7]).toMatchObject({ date: '1936-01-01', value: 1065 });
    expect(rows[83]).toMatchObject({ date: '2012-01-01', value: 15693.1 });
    expect(rows.map((r) => r.date)).toEqual(Array.from({ length: 84 }, (_, i) => `${1929 + i}-01-01`));
    expect(rows.every((r) => typeof r.value === 'number')).toBe(true);
  });

  it('returns no rows for the valid empty answer (count 0), in one request', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('CONSTRUCTED_series_observations_empty.json'));
    expect(await client.fetchSeries('DGS10', { start: '2030-01-01' })).toEqual([]);
    expect(fake.seen).toHaveLength(1);
  });

  it('pages with offset until count is reached (limit honoured)', async () => {
    const all = Array.from({ length: 7 }, (_, i) => obs(`2024-01-0${i + 1}`, `${i}.5`));
    const { client, fake } = fredSetup(pagedSeries(all), { observationsPageLimit: 3 });
    const rows = await client.fetchSeries('UNRATE');
    expect(fake.seen.map((s) => [new URL(s.url).searchParams.get('offset'), new URL(s.url).searchParams.get('limit')])).toEqual([
      ['0', '3'],
      ['3', '3'],
      ['6', '3'],
    ]);
    expectJsonOnEveryRequest(fake.seen);
    expect(rows.map((r) => r.value)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
    expect(rows.map((r) => r.source_uri)).toEqual([0, 0, 0, 3, 3, 3, 6].map((o) => `${TEST_BASE}/fred/series/observations?series_id=UNRATE&sort_order=asc&limit=3&offset=${o}&file_type=json&api_key=***`));
  });

  it('follows count, not the page length, when the server returns short pages', async () => {
    const all = Array.from({ length: 5 }, (_, i) => obs(`2024-02-0${i + 1}`, String(i)));
    const { client, fake } = fredSetup(pagedSeries(all, 2));
    expect((await client.fetchSeries('UNRATE')).map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
    expect(fake.seen.map((s) => new URL(s.url).searchParams.get('offset'))).toEqual(['0', '2', '4']);
  });

  it('rejects an empty page that comes before count', async () => {
    const { client } = fredSetup(() => jsonResponse({ count: 10, offset: 0, observations: [] }));
    const error = await failure(client.fetchSeries('UNRATE'));
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('empty page at offset 0 although count is 10');
  });

  it('rejects a non-decimal value, naming the series and date, and a row outside the window', async () => {
    const junk = fredSetup(() => jsonResponse({ count: 2, observations: [obs('2024-01-02', '4.1'), obs('2024-01-03', 'N/A')] }));
    const error = await failure(junk.client.fetchSeries('DGS10'));
    expect((error as Malformed).reason).toBe('DGS10 2024-01-03: value "N/A" is neither a decimal nor "."');
    expect((error as Malformed).rawText).toContain('"N/A"');
    const outside = fredSetup(() => jsonResponse({ count: 1, observations: [obs('2023-12-29', '4.1')] }));
    await expect(outside.client.fetchSeries('DGS10', { start: '2024-01-01' })).rejects.toThrow('DGS10 2023-12-29: observation lies outside 2024-01-01..…');
  });

  it('rejects output_type=2 rows (vintage keys, no value) as schema drift', async () => {
    const { client } = fredSetup(() => fixtureResponse('series_observations_CPIAUCSL_output_type2.json'));
    const error = await failure(client.fetchSeries('CPIAUCSL'));
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^schema mismatch: observations\.0\.realtime_start/);
  });

  it('rejects an XML data body (what FRED sends when file_type is missing) as Malformed, body kept', async () => {
    const { client } = fredSetup(() => fixtureResponse('series_observations_SP500.xml'));
    const error = await failure(client.fetchSeries('SP500'));
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^invalid JSON/);
    expect((error as Malformed).rawText).toContain('<observations realtime_start="2015-06-28"');
  });

  it('refuses a bad series id or date before any request', async () => {
    const { client, fake } = fredSetup(() => jsonResponse({}));
    await expect(client.fetchSeries('DGS10&api_key=x')).rejects.toThrow(BadRequest);
    await expect(client.fetchSeries('')).rejects.toThrow('invalid FRED series id ""');
    await expect(client.fetchSeries('DGS10', { start: '2024-02-30' })).rejects.toThrow('start must be a date YYYY-MM-DD, got "2024-02-30"');
    await expect(client.fetchSeries('DGS10', { start: '2024-02-02', end: '2024-02-01' })).rejects.toThrow('range start 2024-02-02 is after its end 2024-02-01');
    expect(fake.seen).toHaveLength(0);
  });
});

describe('FRED errors through the client', () => {
  it('an unknown series is NotFound naming it, not retried, and the key appears nowhere', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('error_400_series_does_not_exist.json', 400));
    const error = await failure(client.fetchSeries('DGS99'));
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('DGS99');
    expect(error.url).toBe(`${TEST_BASE}/fred/series/observations?series_id=DGS99&sort_order=asc&limit=100000&offset=0&file_type=json&api_key=***`);
    expect(fake.seen).toHaveLength(1);
    expectNoKey(error);
  });

  it('an XML error body is still classified (NotFound and AuthFailed)', async () => {
    const missing = fredSetup(() => fixtureResponse('error_400_series_does_not_exist.xml', 400));
    expect(await failure(missing.client.fetchSeries('DGS99'))).toBeInstanceOf(NotFound);
    const key = fredSetup(() => fixtureResponse('error_400_api_key_not_set.xml', 400));
    expect(await failure(key.client.fetchSeries('DGS10'))).toBeInstanceOf(AuthFailed);
  });

  it('an unregistered key on the first request is AuthFailed at once (one request, no pause)', async () => {
    const { client, fake, clock } = fredSetup(() => fixtureResponse('error_400_api_key_not_registered.json', 400));
    const error = await failure(client.fetchSeries('DGS10'));
    expect(error).toBeInstanceOf(AuthFailed);
    expect(fake.seen).toHaveLength(1);
    expect(clock.now()).toBe(TEST_START);
    expectNoKey(error);
  });

  it('"not registered" after the key worked is treated as a burst: one retry after 60 s, then it succeeds', async () => {
    const { client, fake, clock } = fredSetup([
      fixtureResponse('series_observations_SP500.json'),
      fixtureResponse('error_400_api_key_not_registered.json', 400),
      fixtureResponse('series_observations_SP500.json'),
    ]);
    await client.fetchSeries('SP500');
    const rows = await client.fetchSeries('SP500');
    expect(rows).toHaveLength(4);
    expect(fake.seen).toHaveLength(3);
    expect(clock.now() - TEST_START).toBe(FRED_KEY_GLITCH_PAUSE_MS);
  });

  it('a second "not registered" after that pause is final', async () => {
    const { client, fake } = fredSetup([
      fixtureResponse('series_observations_SP500.json'),
      fixtureResponse('error_400_api_key_not_registered.json', 400),
      fixtureResponse('error_400_api_key_not_registered.json', 400),
      fixtureResponse('error_400_api_key_not_registered.json', 400),
    ]);
    await client.fetchSeries('SP500');
    expect(await failure(client.fetchSeries('SP500'))).toBeInstanceOf(AuthFailed);
    expect(await failure(client.fetchSeries('SP500'))).toBeInstanceOf(AuthFailed);
    expect(fake.seen).toHaveLength(4);
  });

  it('429 waits the 60 s default (no Retry-After from FRED), then retries', async () => {
    const { client, fake, clock } = fredSetup([jsonResponse({ error_code: 429, error_message: 'Too Many Requests.' }, 429), fixtureResponse('series_observations_SP500.json')]);
    expect(await client.fetchSeries('SP500')).toHaveLength(4);
    expect(fake.seen).toHaveLength(2);
    expect(clock.now() - TEST_START).toBe(60_000);
  });

  it('a 5xx is Transient: retried with backoff, and surfaced when it persists', async () => {
    const flaky = fredSetup([new Response('<html>502</html>', { status: 502 }), fixtureResponse('series_observations_SP500.json')]);
    expect(await flaky.client.fetchSeries('SP500')).toHaveLength(4);
    expect(flaky.fake.seen).toHaveLength(2);
    const down = fredSetup(() => jsonResponse({ error_code: 500, error_message: 'Internal Server Error' }, 500));
    expect(await failure(down.client.fetchSeries('SP500'))).toBeInstanceOf(Transient);
    expect(down.fake.seen).toHaveLength(3);
  });

  it('a bad-date 400 is BadRequest and a 403 EntitlementDenied (generic mapping)', async () => {
    const bad = fredSetup(() => jsonResponse({ error_code: 400, error_message: 'Bad Request.  Variable observation_start is not a YYYY-MM-DD formatted date (e.g. 2000-02-24).' }, 400));
    expect(await failure(bad.client.fetchSeries('SP500'))).toBeInstanceOf(BadRequest);
    const forbidden = fredSetup(() => new Response('<html>Forbidden</html>', { status: 403 }));
    expect(await failure(forbidden.client.fetchSeries('SP500'))).toBeInstanceOf(EntitlementDenied);
  });
});

describe('FRED fetchSeriesInfo', () => {
  it('maps the GNPCA and PAYEMS records, last_updated (Central, -05) to UTC', async () => {
    const { client, fake } = fredSetup((url) => fixtureResponse(url.searchParams.get('series_id') === 'GNPCA' ? 'series_GNPCA.json' : 'series_PAYEMS.json'));
    const [gnpca] = await client.fetchSeriesInfo('GNPCA');
    expect(fake.seen[0]?.url).toBe(`${TEST_BASE}/fred/series?series_id=GNPCA&file_type=json&api_key=${TEST_KEY}`);
    expect(gnpca).toEqual({
      series_id: 'GNPCA',
      title: 'Real Gross National Product',
      observation_start: '1929-01-01',
      observation_end: '2012-01-01',
      frequency_short: 'A',
      units: 'Billions of Chained 2009 Dollars',
      seasonal_adjustment_short: 'NSA',
      last_updated_at: '2013-07-31T14:26:16.000Z',
      realtime_start: '2013-08-14',
      realtime_end: '2013-08-14',
      ...LINEAGE,
      source_uri: `${TEST_BASE}/fred/series?series_id=GNPCA&file_type=json&api_key=***`,
    });
    const payems = await client.fetchSeriesInfo('PAYEMS');
    expect(payems.map((p) => [p.series_id, p.frequency_short, p.seasonal_adjustment_short, p.observation_start, p.last_updated_at])).toEqual([
      ['PAYEMS', 'M', 'SA', '1939-01-01', '2015-06-05T13:47:20.000Z'],
    ]);
    expectJsonOnEveryRequest(fake.seen);
  });

  it('the XML twin of a series record is Malformed, not a crash', async () => {
    const { client } = fredSetup(() => fixtureResponse('series_PAYEMS.xml'));
    expect(await failure(client.fetchSeriesInfo('PAYEMS'))).toBeInstanceOf(Malformed);
  });
});

describe('value and timestamp parsing', () => {
  it('parseFredValue: decimals, "." → null, junk → undefined', () => {
    expect(['4.25', '-0.07', '1065.0', '0', '.5', '1e3'].map(parseFredValue)).toEqual([4.25, -0.07, 1065, 0, 0.5, 1000]);
    expect(parseFredValue('.')).toBeNull();
    expect(['', ' 4.2', 'NaN', 'Infinity', '4,25', '#N/A', '..'].map(parseFredValue)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('parseLastUpdated: CST and CDT offsets, junk → null', () => {
    expect(parseLastUpdated('2024-01-05 07:46:03-06')).toBe('2024-01-05T13:46:03.000Z');
    expect(parseLastUpdated('2024-07-05 07:46:03-05')).toBe('2024-07-05T12:46:03.000Z');
    expect(parseLastUpdated('yesterday')).toBeNull();
    expect(parseLastUpdated(undefined)).toBeNull();
  });
});
