import { describe, expect, it } from 'vitest';
import { dailyPicks, dateChunks, rangeCovered, weekStart } from './common.js';
import { localContext } from './test-support/context.js';

describe('slow planner helpers', () => {
  it('tell whether the union of ranges contains a window, adjacent ranges joining', () => {
    const ranges = [
      { start: '2024-01-01', end: '2024-01-10' },
      { start: '2024-01-11', end: '2024-02-01' },
      { start: '2024-03-01', end: '2024-03-05' },
    ];
    expect(rangeCovered(ranges, { start: '2024-01-05', end: '2024-02-01' })).toBe(true);
    expect(rangeCovered(ranges, { start: '2024-01-05', end: '2024-02-02' })).toBe(false);
    expect(rangeCovered(ranges, { start: '2024-03-02', end: '2024-03-02' })).toBe(true);
    expect(rangeCovered(undefined, { start: '2024-03-02', end: '2024-03-02' })).toBe(false);
  });

  it('cut a fixed grid of chunks anchored on the earliest date, the last clipped', () => {
    expect(dateChunks('2024-01-01', '2024-01-25', 10)).toEqual([
      { start: '2024-01-01', end: '2024-01-10' },
      { start: '2024-01-11', end: '2024-01-20' },
      { start: '2024-01-21', end: '2024-01-25' },
    ]);
    expect(dateChunks('2024-01-01', '2023-12-31', 10)).toEqual([]);
  });

  it('key weeks on their New York Monday', () => {
    expect(weekStart(Date.parse('2026-06-03T22:00:00Z'))).toBe('2026-06-01'); // Wednesday
    expect(weekStart(Date.parse('2026-06-08T03:00:00Z'))).toBe('2026-06-01'); // Sunday 23:00 New York
  });

  it('pick once per New York day, whatever the loop asks later that day', async () => {
    const local = await localContext({ nowMs: Date.parse('2026-06-03T22:00:00Z'), vendors: ['av'] });
    try {
      let calls = 0;
      const pick = () => [`pick-${(calls += 1)}`];
      expect(await dailyPicks(local.ctx, 'k', pick)).toEqual(['pick-1']);
      expect(await dailyPicks(local.ctx, 'k', pick)).toEqual(['pick-1']);
      const tomorrow = { ...local.ctx, nowMs: local.ctx.nowMs + 86_400_000 };
      expect(await dailyPicks(tomorrow, 'k', pick)).toEqual(['pick-2']);
      expect(await dailyPicks(local.ctx, 'empty', () => [])).toEqual([]);
      expect(await local.state.getBookmark('empty')).toBeUndefined();
    } finally {
      await local.close();
    }
  });
});
