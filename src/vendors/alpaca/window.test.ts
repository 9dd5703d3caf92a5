import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import { nyDayWindow } from './window.js';

const window = (start: string, end: string) => {
  const w = nyDayWindow(start, end, 'alpaca.minute');
  return [w.start, w.end];
};

describe('nyDayWindow', () => {
  it('turns bare dates into the whole New York day (EST and EDT)', () => {
    expect(window('2024-01-02', '2024-01-02')).toEqual(['2024-01-02T05:00:00Z', '2024-01-03T04:59:59Z']);
    expect(window('2024-06-03', '2024-06-03')).toEqual(['2024-06-03T04:00:00Z', '2024-06-04T03:59:59Z']);
  });

  it('follows the 23-hour and 25-hour New York days of the DST switches', () => {
    expect(window('2024-03-10', '2024-03-10')).toEqual(['2024-03-10T05:00:00Z', '2024-03-11T03:59:59Z']);
    expect(window('2024-11-03', '2024-11-03')).toEqual(['2024-11-03T04:00:00Z', '2024-11-04T04:59:59Z']);
  });

  it('keeps RFC-3339 instants, normalised to UTC, and mixes with dates', () => {
    expect(window('2024-01-02T09:30:00-05:00', '2024-01-02T16:00:00.250-05:00')).toEqual(['2024-01-02T14:30:00Z', '2024-01-02T21:00:00.250Z']);
    expect(window('2024-01-02T14:30:00.123456789Z', '2024-01-03')).toEqual(['2024-01-02T14:30:00.123Z', '2024-01-04T04:59:59Z']);
  });

  it('exposes the bounds in epoch ms', () => {
    const w = nyDayWindow('2024-01-02', '2024-01-02', 'alpaca.minute');
    expect([w.startMs, w.endMs]).toEqual([Date.UTC(2024, 0, 2, 5), Date.UTC(2024, 0, 3, 4, 59, 59)]);
  });

  it('refuses junk, zone-less instants and reversed windows', () => {
    for (const [start, end] of [
      ['2024-02-30', '2024-03-01'],
      ['2024-01-02T09:30:00', '2024-01-02'],
      ['yesterday', '2024-01-02'],
      ['2024-01-03', '2024-01-02'],
      ['2024-01-02T15:00:00Z', '2024-01-02T14:00:00Z'],
    ] as const) {
      expect(() => nyDayWindow(start, end, 'alpaca.minute'), `${start}..${end}`).toThrow(BadRequest);
    }
  });
});
