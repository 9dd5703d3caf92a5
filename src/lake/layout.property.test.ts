import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePathSegment, encodePathSegment, MAX_SEGMENT_LENGTH } from './path-segment.js';

/** Strings a vendor or a user could send as a symbol or series id, hostile ones weighted in. */
const values = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
  fc.constantFrom('../x', '..', '.', '.hidden', 'BRK/B', 'BRK.B', 'brk.b', 'A\\B', 'C:', 'a\u0000b', '%2e%2e%2f', '~', '~~', 'Ünïcødé', ''),
  fc.string({ minLength: 200, maxLength: 1100 }),
);

describe('path segment encoding (property)', () => {
  it('is always one safe segment: no separator, never . or .., never hidden, bounded', () => {
    fc.assert(
      fc.property(values, (value) => {
        const segment = encodePathSegment(value);
        expect(segment).toMatch(/^[A-Z0-9_~-][A-Z0-9_.~-]*$/);
        expect(segment.length).toBeLessThanOrEqual(MAX_SEGMENT_LENGTH);
        expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(255);
      }),
      { numRuns: 2_000 },
    );
  });

  it('round-trips every value whose encoding fits', () => {
    fc.assert(
      fc.property(values, (value) => {
        const segment = encodePathSegment(value);
        if (!segment.includes('~~')) expect(decodePathSegment(segment)).toBe(value);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never maps two values to one segment, even on a case-insensitive file system', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        fc.pre(a !== b);
        expect(encodePathSegment(a).toLowerCase()).not.toBe(encodePathSegment(b).toLowerCase());
      }),
      { numRuns: 2_000 },
    );
    expect(encodePathSegment('BRK.B')).not.toBe(encodePathSegment('brk.b'));
    expect(encodePathSegment('BRK.B')).not.toBe(encodePathSegment('BRK/B'));
  });
});
