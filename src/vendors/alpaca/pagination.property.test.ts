import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenTracker } from './context.js';

class Looping extends Error {}

describe('Alpaca next_page_token chains (property)', () => {
  it('follows every fresh token, ends on null/empty, and stops at exactly the first repeated token', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom(null, undefined, '')), { maxLength: 30 }), (tokens) => {
        const tracker = new TokenTracker();
        const seen = new Set<string>();
        for (const token of tokens) {
          if (token === null || token === undefined || token === '') {
            expect(tracker.next(token, () => new Looping())).toBeUndefined();
            return;
          }
          if (seen.has(token)) {
            expect(() => tracker.next(token, (t) => new Looping(t))).toThrow(Looping);
            return;
          }
          seen.add(token);
          expect(tracker.next(token, () => new Looping())).toBe(token);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
