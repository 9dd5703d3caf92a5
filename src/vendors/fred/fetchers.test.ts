import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fredFetchers } from './fetchers.js';
import { expectJsonOnEveryRequest, fixtureResponse, fredSetup } from './test-support/fixtures.js';

function fetcher(endpoint: string) {
  const found = fredFetchers.find((f) => f.endpoint === endpoint);
  if (!found) throw new Error(`no fetcher ${endpoint}`);
  return found;
}

describe('fredFetchers', () => {
  it('covers the three FRED endpoint ids of DESIGN.md with their datasets and needs', () => {
    expect(fredFetchers.map((f) => [f.endpoint, f.dataset, f.needs])).toEqual([
      ['fred.series', 'macro_series', ['series']],
      ['fred.treasury_curve', 'treasuries', []],
      ['fred.vintages', 'macro_series', ['series']],
    ]);
  });

  it('fred.series and fred.vintages refuse a call without --series, before any request', async () => {
    const { client, fake } = fredSetup(() => jsonResponse({}));
    for (const endpoint of ['fred.series', 'fred.vintages']) {
      const error = await fetcher(endpoint).fetch(client, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequest);
      expect((error as BadRequest).message).toBe(`${endpoint}: needs --series ID[,ID…] (FRED series ids, e.g. CPIAUCSL)`);
    }
    expect(fake.seen).toHaveLength(0);
  });

  it('fred.series fetches each --series id over --start/--end', async () => {
    const { client, fake } = fredSetup((url) => fixtureResponse(url.searchParams.get('series_id') === 'SP500' ? 'series_observations_SP500.json' : 'series_observations_DGS10_with_missing.json'));
    const rows = await fetcher('fred.series').fetch(client, { series: ['SP500', 'DGS10'], start: '2014-09-02', end: '2024-01-16' });
    expect(rows.map((r) => (r as { series_id: string }).series_id)).toEqual(['SP500', 'SP500', 'SP500', 'SP500', 'DGS10', 'DGS10', 'DGS10']);
    expect(fake.seen.map((s) => [new URL(s.url).searchParams.get('observation_start'), new URL(s.url).searchParams.get('observation_end')])).toEqual([
      ['2014-09-02', '2024-01-16'],
      ['2014-09-02', '2024-01-16'],
    ]);
    expectJsonOnEveryRequest(fake.seen);
  });

  it('fred.treasury_curve with --date asks each of the 11 series for that one day', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('CONSTRUCTED_series_observations_empty.json'));
    expect(await fetcher('fred.treasury_curve').fetch(client, { date: '2024-01-15' })).toEqual([]);
    expect(fake.seen).toHaveLength(11);
    for (const { url } of fake.seen) {
      const params = new URL(url).searchParams;
      expect([params.get('observation_start'), params.get('observation_end')]).toEqual(['2024-01-15', '2024-01-15']);
    }
  });

  it('fred.treasury_curve with --series fetches only that part of the curve', async () => {
    const { client, fake } = fredSetup(() => fixtureResponse('series_observations_DGS10_with_missing.json'));
    const rows = await fetcher('fred.treasury_curve').fetch(client, { series: ['DGS10'] });
    expect(rows.map((r) => [(r as { tenor: string }).tenor, (r as { yield_pct: number | null }).yield_pct])).toEqual([
      ['10Y', 3.97],
      ['10Y', 3.95],
      ['10Y', null],
    ]);
    expect(fake.seen).toHaveLength(1);
  });

  it('fred.vintages reads the vintage dates first, then the observations with a real-time window', async () => {
    const { client, fake } = fredSetup((url) =>
      url.pathname.endsWith('/vintagedates') ? jsonResponse({ count: 2, vintage_dates: ['2024-02-13', '2024-03-12'] }) : fixtureResponse('DERIVED_series_observations_CPIAUCSL_output_type1.json'),
    );
    const rows = await fetcher('fred.vintages').fetch(client, { series: ['CPIAUCSL'], start: '2023-11-01', end: '2024-02-29' });
    expect(fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/fred/series/vintagedates', '/fred/series/observations']);
    const observations = new URL(fake.seen[1]?.url ?? '').searchParams;
    expect([observations.get('realtime_start'), observations.get('realtime_end')]).toEqual(['1776-07-04', '9999-12-31']);
    expect(rows).toHaveLength(4);
  });
});
