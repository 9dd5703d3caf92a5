import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../calendar/index.js';
import { VirtualClock } from '../../clock/index.js';
import { createFredData, createFredEmulator, valueAsOf, type FredEmulatorOptions } from './index.js';
import { fixtureJson, fixtureText } from './test-support/fixtures.js';
import { serveEmulator, type LoopbackServer } from './test-support/loopback.js';

/** Wednesday 2026-06-03, 18:00 New York. */
const NOW = Date.parse('2026-06-03T22:00:00Z');
const TODAY = '2026-06-03';
const KEY = 'abcdef0123456789abcdef0123456789';
const MARKET = { seed: 5, start: '2024-01-02', end: '2026-06-30' };
const UNLIMITED = { requestsPerMinute: Infinity, requestsPerSecond: Infinity };
const data = createFredData(MARKET);

interface Reply {
  status: number;
  contentType: string;
  text: string;
  json<T = Record<string, unknown>>(): T;
}
interface ObsRow {
  realtime_start: string;
  realtime_end: string;
  date: string;
  value: string;
}
interface ObsBody {
  count: number;
  offset: number;
  limit: number;
  realtime_start: string;
  realtime_end: string;
  observations: ObsRow[];
  [key: string]: unknown;
}
interface VintageBody {
  count: number;
  vintage_dates: string[];
  [key: string]: unknown;
}

interface Running {
  clock: VirtualClock;
  server: LoopbackServer;
  get(path: string, params?: Record<string, string>, key?: string | null): Promise<Reply>;
}

async function start(over: Partial<FredEmulatorOptions> = {}): Promise<Running> {
  const clock = new VirtualClock({ start: NOW });
  const emulator = createFredEmulator({ market: MARKET, clock, credentials: { apiKey: KEY }, plan: UNLIMITED, data, ...over });
  const server = await serveEmulator(emulator);
  const get = async (path: string, params: Record<string, string> = {}, key: string | null = KEY): Promise<Reply> => {
    const query = new URLSearchParams(key === null ? params : { api_key: key, ...params });
    const res = await fetch(`${server.url}${path}?${query.toString()}`);
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json: <T>() => JSON.parse(text) as T };
  };
  return { clock, server, get };
}

/** Attributes of every `<name …>` tag, in document order (values unescaped enough for these payloads). */
function xmlTags(text: string, name: string): Array<Array<[string, string]>> {
  const tags = [...text.matchAll(new RegExp(`<${name}\\s([^>]*?)\\s*/?>`, 'g'))];
  return tags.map((m) => [...(m[1] as string).matchAll(/([a-z_]+)="([^"]*)"/g)].map((a) => [a[1] as string, (a[2] as string).replace(/&amp;/g, '&')] as [string, string]));
}

const shapeOf = (value: object): Array<[string, string]> => Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? 'array' : typeof v]);

let h: Running;
beforeAll(async () => {
  h = await start();
});
afterAll(() => h.server.close());

describe('GET /fred/series/observations', () => {
  const jan = { series_id: 'DGS10', observation_start: '2024-01-01', observation_end: '2024-01-16' };

  it('answers JSON shaped like the captured DGS10 payload, "." on holidays, no weekends, FRED-mode real-time', async () => {
    const reply = await h.get('/fred/series/observations', { ...jan, file_type: 'json' });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/json/);
    const body = reply.json<ObsBody>();
    const fixture = fixtureJson<ObsBody>('series_observations_DGS10_with_missing.json');
    expect(shapeOf(body)).toEqual(shapeOf(fixture));
    expect(shapeOf(body.observations[0]!)).toEqual(shapeOf(fixture.observations[0]!));
    // The market starts on 2024-01-02, so does the series.
    expect(body.observations.map((o) => o.date)).toEqual([
      '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05',
      '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12', '2024-01-15', '2024-01-16',
    ]);
    const byDate = new Map(body.observations.map((o) => [o.date, o.value]));
    expect(byDate.get('2024-01-15')).toBe('.'); // Martin Luther King Jr. Day
    expect(byDate.get('2024-01-12')).toBe(data.series('DGS10')!.observations.find((o) => o.date === '2024-01-12')!.versions[0]!.value);
    expect(body).toEqual({
      realtime_start: TODAY,
      realtime_end: TODAY,
      observation_start: '2024-01-01',
      observation_end: '2024-01-16',
      units: 'lin',
      output_type: 1,
      file_type: 'json',
      order_by: 'observation_date',
      sort_order: 'asc',
      count: 11,
      offset: 0,
      limit: 100000,
      observations: body.observations,
    });
    expect(body.observations.every((o) => o.realtime_start === TODAY && o.realtime_end === TODAY)).toBe(true);
  });

  it('answers XML without file_type=json, with the XML payload attributes and the same values', async () => {
    const [xmlReply, jsonReply] = [await h.get('/fred/series/observations', jan), await h.get('/fred/series/observations', { ...jan, file_type: 'json' })];
    expect(xmlReply.status).toBe(200);
    expect(xmlReply.contentType).toMatch(/^text\/xml/);
    expect(xmlReply.text.startsWith('<?xml version="1.0" encoding="utf-8" ?>\n<observations ')).toBe(true);
    const fixture = fixtureText('series_observations_SP500.xml');
    const root = xmlTags(xmlReply.text, 'observations')[0]!;
    expect(root.map(([k]) => k)).toEqual(xmlTags(fixture, 'observations')[0]!.map(([k]) => k));
    expect(Object.fromEntries(root)).toMatchObject({ file_type: 'xml', count: '11', realtime_start: TODAY });
    const rows = xmlTags(xmlReply.text, 'observation');
    expect(rows.map((r) => r.map(([k]) => k))).toEqual(rows.map(() => xmlTags(fixture, 'observation')[0]!.map(([k]) => k)));
    expect(rows.map((r) => Object.fromEntries(r))).toEqual(jsonReply.json<ObsBody>().observations);
  });

  it('serves ALFRED vintages: the first release for an early real-time period, the revision for the latest', async () => {
    const obs = data.series('PAYEMS')!.observations.find((o) => o.date === '2024-01-01')!;
    const [firstPrint, secondPrint] = obs.versions;
    const latest = obs.versions.filter((v) => v.realtimeStart <= TODAY).at(-1)!;
    expect(firstPrint!.value).not.toBe(latest.value);
    const one = { series_id: 'PAYEMS', observation_start: '2024-01-01', observation_end: '2024-01-01', file_type: 'json' };

    const early = (await h.get('/fred/series/observations', { ...one, realtime_start: '2024-02-10', realtime_end: '2024-02-10' })).json<ObsBody>();
    expect(early.observations).toEqual([{ realtime_start: '2024-02-10', realtime_end: '2024-02-10', date: '2024-01-01', value: firstPrint!.value }]);
    const before = (await h.get('/fred/series/observations', { ...one, realtime_start: '2024-02-01', realtime_end: '2024-02-01' })).json<ObsBody>();
    expect(before).toMatchObject({ count: 0, observations: [] });
    const now = (await h.get('/fred/series/observations', one)).json<ObsBody>();
    expect(now.observations).toEqual([{ realtime_start: TODAY, realtime_end: TODAY, date: '2024-01-01', value: latest.value }]);

    const both = (await h.get('/fred/series/observations', { ...one, vintage_dates: `${TODAY},2024-02-10` })).json<ObsBody>();
    expect(both).toMatchObject({ realtime_start: '2024-02-10', realtime_end: TODAY, count: 2 });
    expect(both.observations).toEqual([
      { realtime_start: '2024-02-10', realtime_end: addDays(secondPrint!.realtimeStart, -1), date: '2024-01-01', value: firstPrint!.value },
      { realtime_start: latest.realtimeStart, realtime_end: TODAY, date: '2024-01-01', value: latest.value },
    ]);

    const all = (await h.get('/fred/series/observations', { ...one, realtime_start: '1776-07-04', realtime_end: '9999-12-31' })).json<ObsBody>();
    expect(all.observations.map((o) => [o.realtime_start, o.value])).toEqual(obs.versions.map((v) => [v.realtimeStart, v.value]));
    expect(all.observations.at(-1)!.realtime_end).toBe('9999-12-31');
    for (let i = 1; i < all.observations.length; i++) expect(all.observations[i - 1]!.realtime_end).toBe(addDays(all.observations[i]!.realtime_start, -1));
  });

  it('keeps every CPI, UNRATE, PAYEMS and GDP value as of a vintage equal to the generator ground truth', async () => {
    for (const id of ['CPIAUCSL', 'UNRATE', 'PAYEMS', 'GDP']) {
      for (const vintage of ['2024-09-30', '2025-03-31', TODAY]) {
        const body = (await h.get('/fred/series/observations', { series_id: id, vintage_dates: vintage, file_type: 'json' })).json<ObsBody>();
        const expected = data.series(id)!.observations.flatMap((o) => {
          const value = valueAsOf(o, vintage);
          return value === undefined ? [] : [{ realtime_start: vintage, realtime_end: vintage, date: o.date, value }];
        });
        expect(body.observations).toEqual(expected);
      }
    }
  });

  it('publishes a treasury day on the next business day and a payroll report on its Friday, as the clock moves', async () => {
    const own = await start();
    try {
      const ask = async (series_id: string, date: string) =>
        (await own.get('/fred/series/observations', { series_id, observation_start: date, observation_end: date, file_type: 'json' })).json<ObsBody>().count;
      expect(await ask('DGS10', TODAY)).toBe(0);
      expect(await ask('PAYEMS', '2026-05-01')).toBe(0);
      own.clock.advanceBy(24 * 3_600_000); // Thursday 2026-06-04
      expect(await ask('DGS10', TODAY)).toBe(1);
      expect(await ask('PAYEMS', '2026-05-01')).toBe(0);
      own.clock.advanceBy(24 * 3_600_000); // Friday 2026-06-05: the May employment report
      expect(await ask('PAYEMS', '2026-05-01')).toBe(1);
    } finally {
      await own.server.close();
    }
  });

  it('pages with limit and offset over a count that is the total, ascending or descending', async () => {
    const params = { series_id: 'DGS2', file_type: 'json' };
    const full = (await h.get('/fred/series/observations', params)).json<ObsBody>();
    expect(full.count).toBe(full.observations.length);
    expect(full.count).toBeGreaterThan(600);
    const pages: ObsRow[] = [];
    for (let offset = 0; ; ) {
      const page = (await h.get('/fred/series/observations', { ...params, limit: '100', offset: String(offset) })).json<ObsBody>();
      expect(page).toMatchObject({ count: full.count, offset, limit: 100 });
      pages.push(...page.observations);
      offset += page.observations.length;
      if (page.observations.length === 0 || offset >= page.count) break;
    }
    expect(pages).toEqual(full.observations);
    const desc = (await h.get('/fred/series/observations', { ...params, sort_order: 'desc', limit: '3', offset: '1' })).json<ObsBody>();
    expect(desc.observations.map((o) => o.date)).toEqual(full.observations.slice(-4, -1).reverse().map((o) => o.date));
    expect(desc.sort_order).toBe('desc');
  });

  it('answers an empty window with 200 and the envelope of the constructed empty payload', async () => {
    const reply = await h.get('/fred/series/observations', { series_id: 'DGS10', observation_start: '2030-01-01', file_type: 'json' });
    expect(reply.status).toBe(200);
    const fixture = fixtureJson<ObsBody>('CONSTRUCTED_series_observations_empty.json');
    expect(reply.json()).toEqual({ ...fixture, realtime_start: TODAY, realtime_end: TODAY });
  });

  it('serves output_type 4 as first releases and refuses transformations it does not compute', async () => {
    const body = (await h.get('/fred/series/observations', { series_id: 'GDP', output_type: '4', realtime_start: '1776-07-04', realtime_end: '9999-12-31', file_type: 'json' })).json<ObsBody>();
    const gdp = data.series('GDP')!.observations.filter((o) => o.versions[0]!.realtimeStart <= TODAY);
    expect(body.observations.map((o) => [o.date, o.realtime_start, o.value])).toEqual(gdp.map((o) => [o.date, o.versions[0]!.realtimeStart, o.versions[0]!.value]));
    expect(body.output_type).toBe(4);
    const pch = await h.get('/fred/series/observations', { series_id: 'GDP', units: 'pch', file_type: 'json' });
    expect(pch.status).toBe(400);
    const monthly = await h.get('/fred/series/observations', { series_id: 'GDP', frequency: 'q', file_type: 'json' });
    expect(monthly.status).toBe(200);
    expect((await h.get('/fred/series/observations', { series_id: 'GDP', frequency: 'a', file_type: 'json' })).status).toBe(400);
  });
});

describe('the 2,000 vintage-date cap', () => {
  const CAP_MESSAGE = { error_code: 400, error_message: 'Bad Request. This exceeds the maximum number of vintage dates allowed (2000)' };

  it('refuses a vintage_dates list longer than 2,000 with the documented 400 body, accepts 2,000', async () => {
    const dates = Array.from({ length: 2001 }, (_, i) => addDays('2020-01-01', i));
    const over = await h.get('/fred/series/observations', { series_id: 'UNRATE', vintage_dates: dates.join(','), file_type: 'json' });
    expect(over.status).toBe(400);
    expect(over.json()).toEqual(CAP_MESSAGE);
    const at = await h.get('/fred/series/observations', { series_id: 'UNRATE', vintage_dates: dates.slice(0, 2000).join(','), file_type: 'json' });
    expect(at.status).toBe(200);
    expect(at.json<ObsBody>().realtime_end).toBe(dates[1999]);
  });

  it('refuses a real-time window spanning more than 2,000 vintages of a daily series; 2,000-date chunks work', async () => {
    const longMarket = { seed: 9, start: '2000-01-03', end: '2026-06-30' };
    const own = await start({ market: longMarket, data: createFredData(longMarket) });
    try {
      const all = await own.get('/fred/series/observations', { series_id: 'DGS10', realtime_start: '1776-07-04', realtime_end: '9999-12-31', file_type: 'json' });
      expect(all.status).toBe(400);
      expect(all.json()).toEqual(CAP_MESSAGE);
      const v = (await own.get('/fred/series/vintagedates', { series_id: 'DGS10', file_type: 'json' })).json<VintageBody>().vintage_dates;
      expect(v.length).toBeGreaterThan(6000);
      const chunk = await own.get('/fred/series/observations', { series_id: 'DGS10', realtime_start: v[0]!, realtime_end: v[1999]!, file_type: 'json' });
      expect(chunk.status).toBe(200);
      expect(chunk.json<ObsBody>().count).toBeGreaterThan(2000);
      const tooWide = await own.get('/fred/series/observations', { series_id: 'DGS10', realtime_start: v[0]!, realtime_end: v[2000]!, file_type: 'json' });
      expect(tooWide.status).toBe(400);
    } finally {
      await own.server.close();
    }
  });

  it('takes the cap from the plan', async () => {
    const own = await start({ plan: { ...UNLIMITED, maxVintageDates: 3 } });
    try {
      const reply = await own.get('/fred/series/observations', { series_id: 'GDP', vintage_dates: '2025-01-01,2025-02-01,2025-03-01,2025-04-01', file_type: 'json' });
      expect(reply.json()).toEqual({ error_code: 400, error_message: 'Bad Request. This exceeds the maximum number of vintage dates allowed (3)' });
    } finally {
      await own.server.close();
    }
  });
});

describe('GET /fred/series and /fred/series/vintagedates', () => {
  it('describes a series with the keys and types of the captured PAYEMS payload, in JSON and XML', async () => {
    const reply = await h.get('/fred/series', { series_id: 'payems', file_type: 'json' });
    expect(reply.status).toBe(200);
    const body = reply.json<{ seriess: Array<Record<string, unknown>> } & Record<string, unknown>>();
    const fixture = fixtureJson<{ seriess: Array<Record<string, unknown>> } & Record<string, unknown>>('series_PAYEMS.json');
    expect(shapeOf(body)).toEqual(shapeOf(fixture));
    expect(shapeOf(body.seriess[0]!)).toEqual(shapeOf(fixture.seriess[0]!));
    expect(body.seriess[0]).toMatchObject({
      id: 'PAYEMS',
      realtime_start: TODAY,
      realtime_end: TODAY,
      observation_start: '2024-01-01',
      observation_end: '2026-04-01', // May's report comes out on Friday 2026-06-05
      frequency_short: 'M',
      last_updated: '2026-05-01 07:46:04-05', // April's report, Friday 2026-05-01, 07:46 CDT
    });
    const xmlText = (await h.get('/fred/series', { series_id: 'PAYEMS' })).text;
    const fixtureXml = fixtureText('series_PAYEMS.xml');
    expect(xmlTags(xmlText, 'seriess')[0]!.map(([k]) => k)).toEqual(xmlTags(fixtureXml, 'seriess')[0]!.map(([k]) => k));
    expect(xmlTags(xmlText, 'series')[0]!.map(([k]) => k)).toEqual(xmlTags(fixtureXml, 'series')[0]!.map(([k]) => k));
    const dgs10 = (await h.get('/fred/series', { series_id: 'DGS10', file_type: 'json' })).json<{ seriess: Array<Record<string, unknown>> }>();
    expect(dgs10.seriess[0]).toMatchObject({ frequency: 'Daily', units: 'Percent', observation_start: '2024-01-02', observation_end: '2026-06-02', last_updated: '2026-06-03 15:18:02-05' });
  });

  it('lists vintage dates over all of real time by default, shaped like the GNPCA payload, paginated', async () => {
    const reply = await h.get('/fred/series/vintagedates', { series_id: 'GDP', file_type: 'json' });
    const body = reply.json<VintageBody>();
    expect(shapeOf(body)).toEqual(shapeOf(fixtureJson<VintageBody>('series_vintagedates_GNPCA.json')));
    const known = data.series('GDP')!.vintageDates.filter((d) => d <= TODAY);
    expect(body).toMatchObject({ realtime_start: '1776-07-04', realtime_end: '9999-12-31', order_by: 'vintage_date', sort_order: 'asc', count: known.length, offset: 0, limit: 10000 });
    expect(body.vintage_dates).toEqual(known);
    const pages: string[] = [];
    for (let offset = 0; offset < body.count; offset += 4) {
      pages.push(...(await h.get('/fred/series/vintagedates', { series_id: 'GDP', limit: '4', offset: String(offset), file_type: 'json' })).json<VintageBody>().vintage_dates);
    }
    expect(pages).toEqual(known);
    const desc = (await h.get('/fred/series/vintagedates', { series_id: 'GDP', sort_order: 'desc', realtime_start: '2025-01-01', file_type: 'json' })).json<VintageBody>();
    expect(desc.vintage_dates).toEqual(known.filter((d) => d >= '2025-01-01').reverse());
    const xmlText = (await h.get('/fred/series/vintagedates', { series_id: 'GDP', limit: '2' })).text;
    expect(xmlText).toContain(`<vintage_date>${known[0]}</vintage_date>\n  <vintage_date>${known[1]}</vintage_date>\n</vintage_dates>`);
    expect(xmlTags(xmlText, 'vintage_dates')[0]!.map(([k]) => k)).toEqual(['realtime_start', 'realtime_end', 'order_by', 'sort_order', 'count', 'offset', 'limit']);
  });
});

describe('errors', () => {
  it('answers a missing api_key with the captured 400 body, JSON or XML', async () => {
    const reply = await h.get('/fred/series/observations', { series_id: 'DGS10', file_type: 'json' }, null);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual(fixtureJson('errors/400_api_key_not_set.json'));
    const xmlReply = await h.get('/fred/series/observations', { series_id: 'DGS10' }, null);
    expect(xmlReply.status).toBe(400);
    expect(xmlReply.contentType).toMatch(/^text\/xml/);
    expect(xmlReply.text).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<error code="400" message="Bad Request.  Variable api_key is not set. Read https://research.stlouisfed.org/docs/api/api_key.html for more information." />\n',
    );
  });

  it('answers an unknown series with the captured 400 bodies, JSON and XML', async () => {
    const reply = await h.get('/fred/series/observations', { series_id: 'NOPE123', file_type: 'json' });
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual(fixtureJson('errors/400_series_does_not_exist.json'));
    const xmlReply = await h.get('/fred/series', { series_id: 'NOPE123' });
    expect(xmlReply.status).toBe(400);
    expect(xmlReply.text.trim()).toBe(fixtureText('errors/400_series_does_not_exist.xml').trim());
    expect((await h.get('/fred/series/vintagedates', { series_id: 'NOPE123', file_type: 'json' })).status).toBe(400);
  });

  it('refuses a malformed key, an unregistered key and the documentation demo key', async () => {
    const malformed = await h.get('/fred/series', { series_id: 'GDP', file_type: 'json' }, 'MY-KEY');
    expect(malformed.json()).toEqual({
      error_code: 400,
      error_message: 'Bad Request.  The value for variable api_key is not a 32 character alpha-numeric lower-case string.  Read http://api.stlouisfed.org/api_key.html for more information.',
    });
    const registered = fixtureJson<{ error_code: number; error_message: string }>('errors/400_api_key_not_registered.json');
    const live = { ...registered, error_message: registered.error_message.replace('Bad Request. ', 'Bad Request.  ') };
    const unknown = await h.get('/fred/series', { series_id: 'GDP', file_type: 'json' }, '0123456789abcdef0123456789abcdef');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toEqual(live);
    const open = await start({ credentials: undefined });
    try {
      expect((await open.get('/fred/series', { series_id: 'GDP', file_type: 'json' }, '0123456789abcdef0123456789abcdef')).status).toBe(200);
      expect((await open.get('/fred/series', { series_id: 'GDP', file_type: 'json' }, 'abcdefghijklmnopqrstuvwxyz123456')).json()).toEqual(live);
    } finally {
      await open.server.close();
    }
  });

  it('names a bad parameter the way FRED does', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ series_id: 'GDP', realtime_start: '2024-13-01' }, 'Bad Request.  Variable realtime_start is not a YYYY-MM-DD formatted date (e.g. 2000-02-24).'],
      [{ series_id: 'GDP', observation_end: '20240101' }, 'Bad Request.  Variable observation_end is not a YYYY-MM-DD formatted date (e.g. 2000-02-24).'],
      [{ series_id: 'GDP', units: 'percent' }, 'Bad Request.  Value of units is not one of: cap, cca, cch, ch1, chg, lin, log, pc1, pca, pch.'],
      [{ series_id: 'GDP', limit: '100001' }, 'Bad Request.  Variable limit is not between 1 and 100000.'],
      [{ series_id: 'GDP', realtime_start: '2025-01-02', realtime_end: '2025-01-01' }, 'Bad Request.  Variable realtime_start can not be after realtime_end.'],
      [{}, 'Bad Request.  Variable series_id is not set.'],
    ];
    for (const [params, message] of cases) {
      const reply = await h.get('/fred/series/observations', { ...params, file_type: 'json' });
      expect([reply.status, reply.json()]).toEqual([400, { error_code: 400, error_message: message }]);
    }
    expect((await h.get('/fred/series/vintagedates', { series_id: 'GDP', limit: '10001', file_type: 'json' })).json()).toEqual({
      error_code: 400,
      error_message: 'Bad Request.  Variable limit is not between 1 and 10000.',
    });
    const missing = await h.get('/fred/releases', { file_type: 'json' });
    expect(missing.status).toBe(404);
  });
});

describe('rate limits on the injected clock', () => {
  const LIMITED = { error_code: 429, error_message: 'Too Many Requests.  Exceeded Rate Limit' };

  it('serves 120 requests a minute per key, answers the 121st with 429, and recovers when the minute has passed', async () => {
    const own = await start({ plan: { requestsPerMinute: 120, requestsPerSecond: Infinity } });
    try {
      const params = { series_id: 'DGS10', observation_start: '2026-05-01', file_type: 'json' };
      for (let i = 0; i < 120; i++) {
        if (i === 60) own.clock.advanceBy(30_000);
        expect((await own.get('/fred/series/observations', params)).status).toBe(200);
      }
      const limited = await own.get('/fred/series/observations', params);
      expect([limited.status, limited.json()]).toEqual([429, LIMITED]);
      const limitedXml = await own.get('/fred/series/vintagedates', { series_id: 'GDP' });
      expect([limitedXml.status, limitedXml.text]).toEqual([429, '<?xml version="1.0" encoding="utf-8" ?>\n<error code="429" message="Too Many Requests.  Exceeded Rate Limit" />\n']);
      own.clock.advanceBy(30_000); // the first 60 requests leave the window
      expect((await own.get('/fred/series/observations', params)).status).toBe(200);
    } finally {
      await own.server.close();
    }
  });

  it('applies the per-second burst rule of the free plan, per key', async () => {
    const own = await start({ plan: {}, credentials: undefined });
    try {
      const other = '99999999999999999999999999999999';
      const ask = (key: string) => own.get('/fred/series', { series_id: 'UNRATE', file_type: 'json' }, key);
      expect((await ask(KEY)).status).toBe(200);
      expect((await ask(KEY)).status).toBe(200);
      const third = await ask(KEY);
      expect([third.status, third.json()]).toEqual([429, LIMITED]);
      expect((await ask(other)).status).toBe(200);
      own.clock.advanceBy(1_000);
      expect((await ask(KEY)).status).toBe(200);
    } finally {
      await own.server.close();
    }
  });
});
