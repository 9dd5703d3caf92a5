import { describe, expect, it } from 'vitest';
import { addDays } from '../../calendar/index.js';
import { isFedBusinessDay, weekdayOf } from './business-days.js';
import { createFredData, FRED_SERIES_IDS, MACRO_SERIES_IDS, TREASURY_TENORS, valueAsOf, type SeriesObservation } from './index.js';

const data = createFredData({ seed: 5, start: '2024-01-02', end: '2026-06-30' });
const long = createFredData({ seed: 9, start: '2000-01-03', end: '2026-06-30' });

const first = (o: SeriesObservation) => o.versions[0]!;
const byDate = (id: string, date: string, d = data) => d.series(id)!.observations.find((o) => o.date === date);

describe('createFredData', () => {
  it('is a pure function of seed and range', () => {
    const again = createFredData({ seed: 5, start: '2024-01-02', end: '2026-06-30' });
    const other = createFredData({ seed: 6, start: '2024-01-02', end: '2026-06-30' });
    for (const id of FRED_SERIES_IDS) expect(again.series(id)).toEqual(data.series(id));
    expect(other.series('DGS10')!.observations).not.toEqual(data.series('DGS10')!.observations);
    expect(other.series('PAYEMS')!.observations).not.toEqual(data.series('PAYEMS')!.observations);
  });

  it('publishes the 11 constant-maturity tenors and four revised macro series, nothing else', () => {
    expect(data.seriesIds).toEqual(['DGS1MO', 'DGS3MO', 'DGS6MO', 'DGS1', 'DGS2', 'DGS3', 'DGS5', 'DGS7', 'DGS10', 'DGS20', 'DGS30', ...MACRO_SERIES_IDS]);
    expect(TREASURY_TENORS.map((t) => t.tenor)).toEqual(['1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', '7Y', '10Y', '20Y', '30Y']);
    expect(data.series('SP500')).toBeUndefined();
    expect(data.series('dgs10')).toBeUndefined();
  });

  it('lists vintage dates as the sorted distinct release dates of all versions', () => {
    for (const id of FRED_SERIES_IDS) {
      const s = data.series(id)!;
      const starts = new Set(s.observations.flatMap((o) => o.versions.map((v) => v.realtimeStart)));
      expect(s.vintageDates).toEqual([...starts].sort());
    }
  });
});

describe('treasury curve', () => {
  const dgs10 = data.series('DGS10')!.observations;

  it('has a row for every weekday, "." on Fed holidays and values on other days', () => {
    expect(dgs10.every((o) => weekdayOf(o.date) >= 1 && weekdayOf(o.date) <= 5)).toBe(true);
    expect(dgs10[0]!.date).toBe('2024-01-02');
    expect(dgs10.length).toBe(652 - 1); // weekdays of 2024-01-02..2026-06-30
    for (const holiday of ['2024-01-15', '2024-02-19', '2024-10-14', '2024-11-11', '2024-11-28', '2024-12-25', '2025-06-19', '2025-07-04']) {
      expect(first(byDate('DGS10', holiday)!).value).toBe('.');
    }
    // Good Friday is an NYSE holiday but not a Fed one: H.15 has a value.
    expect(first(byDate('DGS10', '2024-03-29')!).value).toMatch(/^\d+\.\d{2}$/);
    for (const o of dgs10) expect(first(o).value === '.').toBe(!isFedBusinessDay(o.date));
  });

  it('releases each day once, on the next Fed business day, never revised', () => {
    expect(first(byDate('DGS10', '2024-01-12')!).realtimeStart).toBe('2024-01-16'); // Friday → Tuesday after MLK Day
    expect(first(byDate('DGS10', '2024-01-15')!).realtimeStart).toBe('2024-01-16');
    expect(first(byDate('DGS10', '2024-01-16')!).realtimeStart).toBe('2024-01-17');
    for (const id of ['DGS1MO', 'DGS10', 'DGS30']) {
      for (const o of data.series(id)!.observations) {
        expect(o.versions).toHaveLength(1);
        expect(first(o).realtimeStart > o.date && isFedBusinessDay(first(o).realtimeStart)).toBe(true);
      }
    }
  });

  it('moves the tenors together in a plausible curve over decades', () => {
    const byTenor = TREASURY_TENORS.map((t) => new Map(long.series(t.seriesId)!.observations.map((o) => [o.date, first(o).value])));
    const curves = long.series('DGS10')!.observations.map((o) => byTenor.map((m) => m.get(o.date)));
    let upward = 0;
    let inverted = 0;
    let counted = 0;
    const implausible: string[] = [];
    for (const curve of curves) {
      if (curve.some((v) => v === undefined || v === '.')) continue;
      const y = curve.map(Number);
      counted += 1;
      if (y.some((v) => !(v > 0 && v < 12))) implausible.push(curve.join(' '));
      if (y.some((v, i) => i > 0 && Math.abs(v - y[i - 1]!) >= 1.2)) implausible.push(curve.join(' '));
      if (y[8]! > y[1]!) upward += 1; // 10Y over 3M
      else inverted += 1;
    }
    expect(implausible).toEqual([]);
    expect(counted).toBeGreaterThan(4000);
    expect(upward / counted).toBeGreaterThan(0.75);
    expect(inverted).toBeGreaterThan(0);
    const tens = long.series('DGS10')!.observations.map((o) => first(o).value).filter((v) => v !== '.').map(Number);
    expect(Math.max(...tens) - Math.min(...tens)).toBeGreaterThan(2);
  });

  it('starts DGS1MO on 2001-07-31 and leaves the suspended 30-year as "." rows', () => {
    expect(long.series('DGS1MO')!.observations[0]!.date).toBe('2001-07-31');
    expect(long.series('DGS10')!.observations[0]!.date).toBe('2000-01-03');
    expect(first(byDate('DGS30', '2002-02-15', long)!).value).toMatch(/^\d+\.\d{2}$/);
    expect(first(byDate('DGS30', '2004-06-01', long)!).value).toBe('.');
    expect(first(byDate('DGS30', '2006-02-09', long)!).value).toMatch(/^\d+\.\d{2}$/);
  });
});

describe('macro series with revisions', () => {
  it('keeps versions ascending, each differing from the one before, first released after the period', () => {
    for (const id of MACRO_SERIES_IDS) {
      for (const o of data.series(id)!.observations) {
        expect(first(o).realtimeStart > o.date).toBe(true);
        for (let i = 1; i < o.versions.length; i++) {
          expect(o.versions[i]!.realtimeStart > o.versions[i - 1]!.realtimeStart).toBe(true);
          expect(o.versions[i]!.value).not.toBe(o.versions[i - 1]!.value);
        }
      }
    }
    const revised = MACRO_SERIES_IDS.map((id) => data.series(id)!.observations.filter((o) => o.versions.length > 1).length);
    for (const n of revised) expect(n).toBeGreaterThan(0);
  });

  it('uses monthly periods for CPI, UNRATE and PAYEMS and quarterly ones for GDP, with FRED number formats', () => {
    expect(data.series('CPIAUCSL')!.observations.slice(0, 3).map((o) => o.date)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(data.series('GDP')!.observations.slice(0, 3).map((o) => o.date)).toEqual(['2024-01-01', '2024-04-01', '2024-07-01']);
    expect(data.series('GDP')!.observations.at(-1)!.date).toBe('2026-04-01');
    const formats: Record<string, RegExp> = { CPIAUCSL: /^\d{3}\.\d{3}$/, UNRATE: /^\d{1,2}\.\d$/, PAYEMS: /^1\d{5}$/, GDP: /^\d{5}\.\d{3}$/ };
    for (const [id, re] of Object.entries(formats)) for (const o of data.series(id)!.observations) for (const v of o.versions) expect(v.value).toMatch(re);
  });

  it('releases payrolls on the first Friday of the next month and revises them in the next two releases', () => {
    // January 2024: first print 2024-02-02, monthly revisions 2024-03-01 and 2024-04-05, benchmark
    // with the February 2025 report (a month before April is not benchmarked twice).
    const schedule = ['2024-02-02', '2024-03-01', '2024-04-05', '2025-02-07'];
    const dates = byDate('PAYEMS', '2024-01-01')!.versions.map((v) => v.realtimeStart);
    expect(dates[0]).toBe('2024-02-02');
    expect(dates.every((d) => schedule.includes(d))).toBe(true);
    // June 2024 is also benchmarked by the February 2026 report.
    expect(byDate('PAYEMS', '2024-06-01')!.versions.map((v) => v.realtimeStart).at(-1)).toBe('2026-02-06');
    const observations = data.series('PAYEMS')!.observations;
    const revisedNextMonth = observations.filter((o, i) => o.versions[1]?.realtimeStart === observations[i + 1]?.versions[0]?.realtimeStart);
    expect(revisedNextMonth.length).toBeGreaterThan(observations.length * 0.8);
    const offFriday = observations.flatMap((o) => o.versions.map((v) => v.realtimeStart)).filter((d) => weekdayOf(d) !== 5);
    expect(offFriday.every((d) => weekdayOf(d) === 4 && !isFedBusinessDay(addDays(d, 1)))).toBe(true);
    // The 2025 July report came out on Thursday July 3 (July 4 is a holiday).
    expect(first(byDate('PAYEMS', '2025-06-01')!).realtimeStart).toBe('2025-07-03');
  });

  it('publishes GDP as advance, second and third estimates on the last Thursday (earlier on a holiday)', () => {
    const q3 = byDate('GDP', '2024-07-01')!;
    expect(q3.versions.slice(0, 3).map((v) => v.realtimeStart)).toEqual(['2024-10-31', '2024-11-27', '2024-12-26']);
  });

  it('answers valueAsOf with the version current on a date, undefined before the first release', () => {
    const jan = byDate('PAYEMS', '2024-01-01')!;
    expect(valueAsOf(jan, '2024-02-01')).toBeUndefined();
    expect(valueAsOf(jan, '2024-02-02')).toBe(jan.versions[0]!.value);
    expect(valueAsOf(jan, addDays(jan.versions[1]!.realtimeStart, -1))).toBe(jan.versions[0]!.value);
    expect(valueAsOf(jan, '9999-12-31')).toBe(jan.versions.at(-1)!.value);
  });
});
