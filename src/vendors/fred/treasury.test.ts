import { describe, expect, it } from 'vitest';
import { BadRequest, NotFound } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { TREASURY_SERIES } from './treasury.js';
import { TEST_BASE, TEST_INGESTED_AT, TEST_KEY, expectJsonOnEveryRequest, fixtureResponse, fredFixture, fredSetup } from './test-support/fixtures.js';

/** DGS10 answers with the captured fixture; every other tenor with the same dates at a tenor-specific level. */
function curveServer(url: URL): Response {
  const id = url.searchParams.get('series_id') ?? '';
  if (id === 'DGS10') return fixtureResponse('series_observations_DGS10_with_missing.json');
  const body = JSON.parse(fredFixture('series_observations_DGS10_with_missing.json')) as { observations: { value: string }[] };
  const level = Object.keys(TREASURY_SERIES).indexOf(id);
  return jsonResponse({ ...body, observations: body.observations.map((o) => ({ ...o, value: o.value === '.' ? '.' : `${level}.25` })) });
}

describe('TREASURY_SERIES', () => {
  it('maps the 11 constant-maturity series to canonical tenors', () => {
    expect(TREASURY_SERIES).toEqual({
      DGS1MO: '1M',
      DGS3MO: '3M',
      DGS6MO: '6M',
      DGS1: '1Y',
      DGS2: '2Y',
      DGS3: '3Y',
      DGS5: '5Y',
      DGS7: '7Y',
      DGS10: '10Y',
      DGS20: '20Y',
      DGS30: '30Y',
    });
  });
});

describe('FRED fetchTreasuryCurve (fred.treasury_curve)', () => {
  it('asks once per series for the whole window — 11 requests for 25 years, not one per day', async () => {
    const { client, fake } = fredSetup(curveServer);
    const rows = await client.fetchTreasuryCurve({ start: '2000-01-01', end: '2024-12-31' });
    expect(fake.seen).toHaveLength(11);
    expectJsonOnEveryRequest(fake.seen);
    expect(fake.seen.map((s) => new URL(s.url).searchParams.get('series_id'))).toEqual(Object.keys(TREASURY_SERIES));
    for (const { url } of fake.seen) {
      const params = new URL(url).searchParams;
      expect([params.get('observation_start'), params.get('observation_end'), params.get('limit'), params.get('offset')]).toEqual(['2000-01-01', '2024-12-31', '100000', '0']);
    }
    expect(rows).toHaveLength(33);
    expect(new Set(rows.map((r) => `${r.tenor}|${r.date}|${r.realtime_start}`)).size).toBe(33);
  });

  it('maps DGS10 exactly: tenor 10Y, yield_pct in percent, the MLK-day "." as null', async () => {
    const { client } = fredSetup(curveServer);
    const rows = await client.fetchTreasuryCurve({ start: '2024-01-01', end: '2024-01-16' });
    const source_uri = `${TEST_BASE}/fred/series/observations?series_id=DGS10&observation_start=2024-01-01&observation_end=2024-01-16&sort_order=asc&limit=100000&offset=0&file_type=json&api_key=***`;
    const lineage = { source_name: 'fred', source_uri, ingested_at: TEST_INGESTED_AT };
    const realtime = { realtime_start: '2024-01-16', realtime_end: '2024-01-16' };
    expect(rows.filter((r) => r.series_id === 'DGS10')).toEqual([
      { series_id: 'DGS10', tenor: '10Y', date: '2024-01-11', yield_pct: 3.97, ...realtime, ...lineage },
      { series_id: 'DGS10', tenor: '10Y', date: '2024-01-12', yield_pct: 3.95, ...realtime, ...lineage },
      { series_id: 'DGS10', tenor: '10Y', date: '2024-01-15', yield_pct: null, ...realtime, ...lineage },
    ]);
    expect(rows.filter((r) => r.date === '2024-01-11').map((r) => [r.series_id, r.tenor, r.yield_pct])).toEqual([
      ['DGS1MO', '1M', 0.25],
      ['DGS3MO', '3M', 1.25],
      ['DGS6MO', '6M', 2.25],
      ['DGS1', '1Y', 3.25],
      ['DGS2', '2Y', 4.25],
      ['DGS3', '3Y', 5.25],
      ['DGS5', '5Y', 6.25],
      ['DGS7', '7Y', 7.25],
      ['DGS10', '10Y', 3.97],
      ['DGS20', '20Y', 9.25],
      ['DGS30', '30Y', 10.25],
    ]);
    expect(rows.every((r) => !r.source_uri.includes(TEST_KEY))).toBe(true);
  });

  it('fetches a subset (any case, duplicates once) and refuses a non-curve id before any request', async () => {
    const { client, fake } = fredSetup(curveServer);
    const rows = await client.fetchTreasuryCurve({ series: ['dgs2', 'DGS10', 'DGS2'] });
    expect(fake.seen.map((s) => new URL(s.url).searchParams.get('series_id'))).toEqual(['DGS2', 'DGS10']);
    expect(new Set(rows.map((r) => r.tenor))).toEqual(new Set(['2Y', '10Y']));
    const before = fake.seen.length;
    await expect(client.fetchTreasuryCurve({ series: ['DGS10', 'CPIAUCSL'] })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(before);
  });

  it('stops at the first series FRED does not know, naming it', async () => {
    const { client } = fredSetup((url) => (url.searchParams.get('series_id') === 'DGS1MO' ? fixtureResponse('error_400_series_does_not_exist.json', 400) : curveServer(url)));
    const error = await client.fetchTreasuryCurve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('DGS1MO');
  });
});
