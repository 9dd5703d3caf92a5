import { describe, expect, it } from 'vitest';
import { CalendarRangeError, addDays } from './index.js';

describe('addDays', () => {
  it('does calendar arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-03-10', 0)).toBe('2024-03-10');
    expect(addDays('2000-01-01', 36_889)).toBe('2100-12-31');
    expect(addDays('2100-03-01', -1)).toBe('2100-02-28'); // 2100 is not a leap year
  });

  it('rejects malformed dates, naming the value', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-05', '20240105', '', '2024-01-05T00:00:00Z']) {
      expect(() => addDays(bad, 1)).toThrow(CalendarRangeError);
      expect(() => addDays(bad, 1)).toThrow(JSON.stringify(bad));
    }
  });

  it('rejects a fractional day count', () => {
    expect(() => addDays('2024-01-01', 1.5)).toThrow(/integer/);
  });
});
