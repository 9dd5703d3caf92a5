import { describe, expect, it } from 'vitest';
import { fixtureJson } from './test-support/fixtures.js';
import { realtimeRows, REALTIME_MAX, REALTIME_MIN, type RealtimeRow, type RowQuery, type SeriesObservation } from './index.js';

interface WireRow {
  realtime_start: string;
  realtime_end: string;
  date: string;
  value: string;
}

const toWire = (r: RealtimeRow): WireRow => ({ realtime_start: r.realtimeStart, realtime_end: r.realtimeEnd, date: r.date, value: r.value });

/** CPIAUCSL around the 2024-02-13 and 2024-03-12 releases (values of the fixture, earlier prints invented). */
const CPI: SeriesObservation[] = [
  { date: '2023-11-01', versions: [{ realtimeStart: '2023-12-12', value: '307.917' }, { realtimeStart: '2024-02-13', value: '308.024' }, { realtimeStart: '2025-02-12', value: '308.100' }] },
  { date: '2023-12-01', versions: [{ realtimeStart: '2024-01-11', value: '308.850' }, { realtimeStart: '2024-02-13', value: '308.742' }] },
  { date: '2024-01-01', versions: [{ realtimeStart: '2024-02-13', value: '309.685' }] },
  { date: '2024-02-01', versions: [{ realtimeStart: '2024-03-12', value: '311.054' }] },
  { date: '2024-03-01', versions: [{ realtimeStart: '2024-04-10', value: '312.230' }] },
];

const query = (over: Partial<RowQuery>): RowQuery => ({
  today: '2025-06-01',
  scope: { kind: 'window', start: '2025-06-01', end: '2025-06-01' },
  observationStart: REALTIME_MIN,
  observationEnd: REALTIME_MAX,
  initialOnly: false,
  ...over,
});

describe('realtimeRows (ALFRED output_type 1)', () => {
  it('reproduces the CPIAUCSL window fixture: versions clipped to the real-time window', () => {
    const fixture = fixtureJson<{ observations: WireRow[] }>('DERIVED_series_observations_CPIAUCSL_output_type1.json');
    const rows = realtimeRows(CPI, query({ scope: { kind: 'window', start: '2024-02-13', end: '2024-03-12' }, observationStart: '2023-11-01', observationEnd: '2024-02-29' }));
    expect(rows.map(toWire)).toEqual(fixture.observations);
  });

  it('in FRED mode (today..today) reports the current value of each observation with today as both bounds', () => {
    const rows = realtimeRows(CPI, query({}));
    expect(rows.map((r) => [r.date, r.value, r.realtimeStart, r.realtimeEnd])).toEqual([
      ['2023-11-01', '308.100', '2025-06-01', '2025-06-01'],
      ['2023-12-01', '308.742', '2025-06-01', '2025-06-01'],
      ['2024-01-01', '309.685', '2025-06-01', '2025-06-01'],
      ['2024-02-01', '311.054', '2025-06-01', '2025-06-01'],
      ['2024-03-01', '312.230', '2025-06-01', '2025-06-01'],
    ]);
  });

  it('over all of real time gives every version its release date and the day before the next release', () => {
    const rows = realtimeRows(CPI, query({ scope: { kind: 'window', start: REALTIME_MIN, end: REALTIME_MAX }, observationEnd: '2023-11-01' }));
    expect(rows.map(toWire)).toEqual([
      { realtime_start: '2023-12-12', realtime_end: '2024-02-12', date: '2023-11-01', value: '307.917' },
      { realtime_start: '2024-02-13', realtime_end: '2025-02-11', date: '2023-11-01', value: '308.024' },
      { realtime_start: '2025-02-12', realtime_end: '9999-12-31', date: '2023-11-01', value: '308.100' },
    ]);
  });

  it('does not know versions released after today: the last known one stays open-ended', () => {
    const rows = realtimeRows(CPI, query({ today: '2024-06-30', scope: { kind: 'window', start: REALTIME_MIN, end: REALTIME_MAX }, observationEnd: '2023-11-01' }));
    expect(rows.map((r) => [r.value, r.realtimeEnd])).toEqual([['307.917', '2024-02-12'], ['308.024', '9999-12-31']]);
    expect(realtimeRows(CPI, query({ today: '2024-03-11', scope: { kind: 'window', start: '2024-03-11', end: '2024-03-11' } })).map((r) => r.date)).toEqual([
      '2023-11-01',
      '2023-12-01',
      '2024-01-01',
    ]);
  });

  it('with vintage dates reports the versions current on them, split at revisions, clipped to first..last (fredr #91 shape)', () => {
    const gdpc1: SeriesObservation[] = [
      { date: '2000-01-01', versions: [{ realtimeStart: '2000-04-27', value: '9191.8' }, { realtimeStart: '2001-07-27', value: '9229.4' }, { realtimeStart: '2002-07-31', value: '9284.3' }] },
    ];
    const rows = realtimeRows(gdpc1, query({ scope: { kind: 'vintages', dates: ['2001-01-01', '2002-01-01'] } }));
    expect(rows.map(toWire)).toEqual([
      { realtime_start: '2001-01-01', realtime_end: '2001-07-26', date: '2000-01-01', value: '9191.8' },
      { realtime_start: '2001-07-27', realtime_end: '2002-01-01', date: '2000-01-01', value: '9229.4' },
    ]);
    const one = realtimeRows(gdpc1, query({ scope: { kind: 'vintages', dates: ['2003-01-01'] } }));
    expect(one.map(toWire)).toEqual([{ realtime_start: '2003-01-01', realtime_end: '2003-01-01', date: '2000-01-01', value: '9284.3' }]);
  });

  it('with output_type 4 keeps only first releases', () => {
    const rows = realtimeRows(CPI, query({ scope: { kind: 'window', start: REALTIME_MIN, end: REALTIME_MAX }, initialOnly: true }));
    expect(rows.map((r) => [r.date, r.value, r.realtimeStart, r.realtimeEnd])).toEqual([
      ['2023-11-01', '307.917', '2023-12-12', '2024-02-12'],
      ['2023-12-01', '308.850', '2024-01-11', '2024-02-12'],
      ['2024-01-01', '309.685', '2024-02-13', '9999-12-31'],
      ['2024-02-01', '311.054', '2024-03-12', '9999-12-31'],
      ['2024-03-01', '312.230', '2024-04-10', '9999-12-31'],
    ]);
  });
});
