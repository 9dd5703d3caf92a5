import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SlidingWindow } from './sliding-window.js';

describe('SlidingWindow', () => {
  it('allows `limit` requests, then waits until the oldest leaves the window', () => {
    const window = new SlidingWindow({ limit: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) {
      expect(window.nextAllowedAt(1_000 + i)).toBe(1_000 + i);
      window.record(1_000 + i);
    }
    expect(window.nextAllowedAt(2_000)).toBe(61_000);
  });

  it('spaces requests by minIntervalMs and widens the window by the margin', () => {
    const window = new SlidingWindow({ limit: 2, windowMs: 60_000, minIntervalMs: 12_000, marginMs: 500 });
    window.record(0);
    expect(window.nextAllowedAt(1)).toBe(12_000);
    window.record(12_000);
    expect(window.nextAllowedAt(12_001)).toBe(60_500);
  });

  it('honours requests seeded from before a restart', () => {
    const window = new SlidingWindow({ limit: 3, windowMs: 60_000 });
    window.seed([50_000, 10_000, 30_000]);
    expect(window.nextAllowedAt(55_000)).toBe(70_000);
  });

  it('never lets more than `limit` requests into any window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1_000, max: 120_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (limit, windowMs, gaps) => {
          const window = new SlidingWindow({ limit, windowMs });
          const sent: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            const at = window.nextAllowedAt(now);
            window.record(at);
            sent.push(at);
            now = at;
          }
          for (let i = 0; i < sent.length; i += 1) {
            const inside = sent.filter((t) => t >= (sent[i] as number) && t < (sent[i] as number) + windowMs).length;
            if (inside > limit) return false;
          }
          return true;
        },
      ),
    );
  });
});
