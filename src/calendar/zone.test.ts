import { describe, expect, it } from 'vitest';
import { CalendarRangeError, nyDate, nyInstant, nyTime } from './index.js';

const at = (iso: string): number => Date.parse(iso);

describe('nyDate', () => {
  it('is the previous New York day until 04:00Z in summer and 05:00Z in winter', () => {
    expect(nyDate(at('2024-07-04T03:59:59.999Z'))).toBe('2024-07-03');
    expect(nyDate(at('2024-07-04T04:00:00.000Z'))).toBe('2024-07-04');
    expect(nyDate(at('2024-01-15T04:59:59.999Z'))).toBe('2024-01-14');
    expect(nyDate(at('2024-01-15T05:00:00.000Z'))).toBe('2024-01-15');
    expect(nyDate(at('2025-01-01T04:30:00.000Z'))).toBe('2024-12-31');
  });

  it('follows the DST changes (2024-03-10 07:00Z spring forward, 2024-11-03 06:00Z fall back)', () => {
    expect(nyTime(at('2024-03-10T06:59:00.000Z'))).toBe('01:59');
    expect(nyTime(at('2024-03-10T07:00:00.000Z'))).toBe('03:00');
    expect(nyTime(at('2024-11-03T05:59:00.000Z'))).toBe('01:59');
    expect(nyTime(at('2024-11-03T06:00:00.000Z'))).toBe('01:00');
    expect(nyDate(at('2024-03-10T04:30:00.000Z'))).toBe('2024-03-09');
    expect(nyDate(at('2024-03-11T03:59:00.000Z'))).toBe('2024-03-10');
    expect(nyDate(at('2024-03-11T04:00:00.000Z'))).toBe('2024-03-11');
    expect(nyDate(at('2024-11-04T04:30:00.000Z'))).toBe('2024-11-03');
    expect(nyDate(at('2024-11-04T05:00:00.000Z'))).toBe('2024-11-04');
  });

  it('uses the pre-2007 US DST rules (April to October)', () => {
    expect(nyTime(at('2006-04-02T06:59:00.000Z'))).toBe('01:59');
    expect(nyTime(at('2006-04-02T07:00:00.000Z'))).toBe('03:00');
    expect(nyTime(at('2006-10-29T05:59:00.000Z'))).toBe('01:59');
    expect(nyTime(at('2006-10-29T06:00:00.000Z'))).toBe('01:00');
  });

  it('refuses non-finite instants', () => {
    expect(() => nyDate(Number.NaN)).toThrow(CalendarRangeError);
    expect(() => nyDate(Number.POSITIVE_INFINITY)).toThrow(CalendarRangeError);
  });
});

describe('nyInstant', () => {
  it('converts New York wall-clock times with the right offset on each side of a DST change', () => {
    expect(new Date(nyInstant('2024-03-08', '09:30')).toISOString()).toBe('2024-03-08T14:30:00.000Z');
    expect(new Date(nyInstant('2024-03-11', '09:30')).toISOString()).toBe('2024-03-11T13:30:00.000Z');
    expect(new Date(nyInstant('2024-11-01', '16:00')).toISOString()).toBe('2024-11-01T20:00:00.000Z');
    expect(new Date(nyInstant('2024-11-04', '16:00')).toISOString()).toBe('2024-11-04T21:00:00.000Z');
    expect(new Date(nyInstant('2024-12-31', '23:59')).toISOString()).toBe('2025-01-01T04:59:00.000Z');
    expect(new Date(nyInstant('2024-01-01', '00:00')).toISOString()).toBe('2024-01-01T05:00:00.000Z');
  });

  it('moves a time skipped by spring-forward later, and takes the first of a repeated time', () => {
    expect(new Date(nyInstant('2024-03-10', '02:30')).toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(new Date(nyInstant('2024-11-03', '01:30')).toISOString()).toBe('2024-11-03T05:30:00.000Z');
  });

  it('round-trips with nyDate and nyTime', () => {
    const ms = nyInstant('2031-06-20', '13:00');
    expect(nyDate(ms)).toBe('2031-06-20');
    expect(nyTime(ms)).toBe('13:00');
  });

  it('rejects malformed times and dates, naming the value', () => {
    expect(() => nyInstant('2024-01-02', '9:30')).toThrow('"9:30"');
    expect(() => nyInstant('2024-01-02', '24:00')).toThrow(CalendarRangeError);
    expect(() => nyInstant('2024-02-31', '09:30')).toThrow('"2024-02-31"');
  });
});
