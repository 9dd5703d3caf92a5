import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.js';
import { adjustSymbol, type AdjustmentEvent, type RawDailyBar } from './adjust.js';

const START = '2024-01-02';
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** 2..60 consecutive daily bars of one symbol with positive prices and volumes. */
const barsArb = fc.array(fc.record({ close: fc.double({ min: 0.5, max: 5_000, noNaN: true }), volume: fc.integer({ min: 0, max: 1e9 }) }), { minLength: 2, maxLength: 60 }).map((xs) =>
  xs.map((x, i): RawDailyBar => ({ symbol: 'AAA', date: addDays(START, i), open: x.close, high: x.close * 1.01, low: x.close * 0.99, close: x.close, volume: x.volume, source_name: 'alpaca' })),
);
const ratioArb = fc.constantFrom(2, 3, 4, 10, 0.5, 0.1, 1.5, 20);

const split = (ex_date: string, ratio: number): AdjustmentEvent => ({ symbol: 'AAA', action: 'split', ex_date, split_ratio: ratio, cash_amount: null, source_name: 'alpaca' });
const dividend = (ex_date: string, cash: number): AdjustmentEvent => ({ symbol: 'AAA', action: 'dividend', ex_date, split_ratio: null, cash_amount: cash, source_name: 'alpaca' });

describe('adjustment math (property)', () => {
  it('no events: adjusted equals raw', () => {
    fc.assert(
      fc.property(barsArb, (bars) => {
        for (const row of adjustSymbol(bars, []).rows) {
          expect(row.adj_close).toBe(row.close);
          expect(row.adj_volume).toBe(row.volume);
        }
      }),
    );
  });

  it('a split divides earlier prices by the ratio, multiplies earlier volumes by it, keeps later bars and the traded value', () => {
    fc.assert(
      fc.property(barsArb, ratioArb, fc.nat(), (bars, ratio, pick) => {
        const ex = (bars[1 + (pick % (bars.length - 1))] as RawDailyBar).date;
        const { rows } = adjustSymbol(bars, [split(ex, ratio)]);
        for (const row of rows) {
          if (row.date >= ex) {
            expect(row.adj_close).toBe(row.close);
            expect(row.adj_volume).toBe(row.volume);
          } else {
            expect(close(row.adj_close, row.close / ratio)).toBe(true);
            expect(close(row.adj_volume, row.volume * ratio)).toBe(true);
            expect(close(row.adj_close * row.adj_volume, row.close * row.volume)).toBe(true);
          }
        }
      }),
    );
  });

  it('a cash dividend multiplies earlier prices by 1 − cash / prior close, a factor in (0, 1]', () => {
    fc.assert(
      fc.property(barsArb, fc.double({ min: 0, max: 0.5, noNaN: true }), fc.nat(), (bars, share, pick) => {
        const i = 1 + (pick % (bars.length - 1));
        const prior = (bars[i - 1] as RawDailyBar).close;
        const { rows } = adjustSymbol(bars, [dividend((bars[i] as RawDailyBar).date, prior * share)]);
        for (const row of rows.slice(0, i)) {
          expect(close(row.adj_close, row.close * (1 - (prior * share) / prior))).toBe(true);
          expect(row.adj_factor).toBeGreaterThan(0);
          expect(row.adj_factor).toBeLessThanOrEqual(1);
          expect(row.adj_volume).toBe(row.volume);
        }
        for (const row of rows.slice(i)) expect(row.adj_close).toBe(row.close);
      }),
    );
  });

  it('does not depend on the order bars and events arrive in; factors never increase going back in time for splits > 1', () => {
    fc.assert(
      fc.property(barsArb, fc.array(fc.tuple(ratioArb, fc.nat()), { maxLength: 4 }), fc.integer(), (bars, splits, seed) => {
        const events = splits.map(([ratio, pick]) => split((bars[pick % bars.length] as RawDailyBar).date, ratio));
        const shuffle = <T>(xs: readonly T[]): T[] => [...xs].sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7));
        const expected = adjustSymbol(bars, events).rows;
        expect(adjustSymbol(shuffle(bars), shuffle(events)).rows).toEqual(expected);
        // Returns are continuous across split ex-dates: adjusted close-to-close moves equal raw ones net of the split.
        for (let i = 1; i < expected.length; i += 1) {
          const a = expected[i - 1] as (typeof expected)[number];
          const b = expected[i] as (typeof expected)[number];
          const ratioHere = events.filter((e) => e.ex_date === b.date).reduce((r, e) => r * (e.split_ratio ?? 1), 1);
          expect(close(b.adj_close / a.adj_close, (b.close / a.close) * ratioHere)).toBe(true);
        }
      }),
    );
  });
});
