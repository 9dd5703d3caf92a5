import { describe, expect, it } from 'vitest';
import { Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

describe('Finnhub fetchBasicFinancials', () => {
  it('reads the named metrics of the AAPL fixture (volume from millions to shares) and its annual series', async () => {
    const { client, fake } = setup(() => fixtureResponse('stock_metric_AAPL_all.json'));
    const result = await client.fetchBasicFinancials('AAPL');
    const url = `${BASE}/stock/metric?symbol=AAPL&metric=all`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    const annual = (metric: string, period_end: string, value: number) => ({ frequency: 'annual', metric, period_end, value });
    expect(result).toEqual({
      symbol: 'AAPL',
      high_52w: 310.43,
      low_52w: 149.22,
      high_52w_date: null,
      low_52w_date: '2019-01-14',
      price_return_52w_pct: 101.96334,
      beta: 1.2989,
      avg_volume_10d_shares: 32_501_470,
      series: [
        annual('current_ratio', '2019-09-28', 1.5401),
        annual('current_ratio', '2018-09-29', 1.1329),
        annual('sales_per_share', '2019-09-28', 55.9645),
        annual('sales_per_share', '2018-09-29', 53.1178),
        annual('net_margin', '2019-09-28', 0.2124),
        annual('net_margin', '2018-09-29', 0.2241),
      ],
      source_name: 'finnhub',
      source_uri: url,
      ingested_at: '2026-03-02T21:30:00.000Z',
    });
  });

  it('reads an uncovered symbol (empty metric and series) as all null, and a mistyped metric as Malformed', async () => {
    const empty = setup(() => jsonResponse({ metric: {}, metricType: '', series: {}, symbol: 'ZZZZ' }));
    expect(await empty.client.fetchBasicFinancials('ZZZZ')).toMatchObject({ symbol: 'ZZZZ', high_52w: null, beta: null, avg_volume_10d_shares: null, series: [] });
    const drift = setup(() => jsonResponse({ metric: { '52WeekHigh': '2019-01-14' }, symbol: 'AAPL' }));
    const error = await drift.client.fetchBasicFinancials('AAPL').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('metric.52WeekHigh is "2019-01-14", expected a number or null');
  });
});
