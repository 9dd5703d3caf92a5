import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

describe('Finnhub fetchEarningsCalendar', () => {
  it('maps the sample calendar: fiscal year/quarter, hour, estimates and actuals', async () => {
    const { client, fake } = setup(() => fixtureResponse('calendar_earnings_sample.json'));
    const rows = await client.fetchEarningsCalendar({ from: '2019-10-15', to: '2020-01-31', symbol: 'AAPL' });
    const url = `${BASE}/calendar/earnings?from=2019-10-15&to=2020-01-31&symbol=AAPL`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    const origin = { source_name: 'finnhub', source_uri: url, ingested_at: '2026-03-02T21:30:00.000Z' };
    expect(rows).toEqual([
      { symbol: 'AAPL', date: '2020-01-28', hour: 'amc', fiscal_year: 2020, fiscal_quarter: 1, eps_actual: 4.99, eps_estimate: 4.5474, revenue_actual: 91_819_000_000, revenue_estimate: 88_496_400_810, ...origin },
      { symbol: 'AAPL', date: '2019-10-30', hour: 'amc', fiscal_year: 2019, fiscal_quarter: 4, eps_actual: 3.03, eps_estimate: 2.8393, revenue_actual: 64_040_000_000, revenue_estimate: 62_985_161_760, ...origin },
    ]);
  });

  it('keeps a future row with null actuals and a blank hour, skips junk symbols, rejects a body without the calendar', async () => {
    const future = { date: '2026-04-30', epsActual: null, epsEstimate: 1.6, hour: '', quarter: 2, revenueActual: null, revenueEstimate: 94e9, symbol: 'AAPL', year: 2026 };
    const { client, skipped } = setup(() => jsonResponse({ earningsCalendar: [future, { ...future, symbol: '../x' }] }));
    const rows = await client.fetchEarningsCalendar({ from: '2026-04-15', to: '2026-04-30' });
    expect(rows.map((r) => [r.symbol, r.date, r.hour, r.fiscal_quarter, r.eps_actual, r.eps_estimate, r.revenue_actual])).toEqual([['AAPL', '2026-04-30', null, 2, null, 1.6, null]]);
    expect(skipped.map((s) => [s.endpoint, s.value])).toEqual([['finnhub.symbols', '"../x"']]);
    const drift = setup(() => jsonResponse({ calendar: [] }));
    await expect(drift.client.fetchEarningsCalendar({ from: '2026-04-15', to: '2026-04-30' })).rejects.toThrow(Malformed);
  });

  it('refuses a reversed window before any request', async () => {
    const { client, fake } = setup(() => jsonResponse({ earningsCalendar: [] }));
    await expect(client.fetchEarningsCalendar({ from: '2026-04-30', to: '2026-04-15' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});
