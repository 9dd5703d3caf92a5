import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePathSegment, encodePathSegment, MAX_SEGMENT_LENGTH } from './path-segment.js';
import { LakePathError } from './errors.js';

/** What a segment must never be or contain, on any file system or object store the lake uses. */
function assertSafe(segment: string): void {
  expect(segment.length).toBeGreaterThan(0);
  expect(segment.length).toBeLessThanOrEqual(MAX_SEGMENT_LENGTH);
  expect(segment).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
  expect(segment.startsWith('.')).toBe(false);
  expect(segment).not.toMatch(/[a-z]/); // case-insensitive file systems cannot merge two encodings
  expect(segment).toMatch(/^[A-Z0-9_.~-]+$/);
}

describe('encodePathSegment', () => {
  it('keeps tickers readable and escapes separators, dots and case', () => {
    expect(encodePathSegment('AAPL')).toBe('AAPL');
    expect(encodePathSegment('BRK.B')).toBe('BRK.B');
    expect(encodePathSegment('BRK/B')).toBe('BRK~2FB');
    expect(encodePathSegment('../x')).toBe('~2E.~2F~78');
    expect(encodePathSegment('..')).toBe('~2E.');
    expect(encodePathSegment('.')).toBe('~2E');
    expect(encodePathSegment('a\\b')).toBe('~61~5C~62');
    expect(encodePathSegment('')).toBe('~');
    expect(encodePathSegment('x\u0000y')).toBe('~78~00~79');
    expect(encodePathSegment('Ä')).toBe('~C3~84');
    expect(encodePathSegment('*?[]{}')).toBe('~2A~3F~5B~5D~7B~7D');
  });

  it('never lets two values differing only in case share a segment', () => {
    expect(encodePathSegment('brk.b')).not.toBe(encodePathSegment('BRK.B').toLowerCase());
    expect(encodePathSegment('brk.b').toLowerCase()).not.toBe(encodePathSegment('BRK.B').toLowerCase());
  });

  it('bounds a 1 KB value with a hash suffix that decode refuses', () => {
    const long = 'X'.repeat(1024);
    const encoded = encodePathSegment(long);
    assertSafe(encoded);
    expect(encoded).toMatch(/~~[0-9A-F]{16}$/);
    expect(encodePathSegment(`${long}Y`)).not.toBe(encoded);
    expect(() => decodePathSegment(encoded)).toThrow(LakePathError);
  });

  it('does not split an escape when cutting a long value', () => {
    const encoded = encodePathSegment('é'.repeat(300));
    expect(encoded).toMatch(/^(~[0-9A-F]{2})+~~[0-9A-F]{16}$/);
  });

  it('refuses ill-formed unicode instead of encoding it lossily', () => {
    expect(() => encodePathSegment('a\uD800b')).toThrow(LakePathError);
  });
});

describe('decodePathSegment', () => {
  it('rejects anything that is not a canonical encoding', () => {
    for (const bad of ['..', '.', 'a', 'A/B', '~41', '~2e', '~G0', 'A~', '.A', '~C3', '']) {
      expect(() => decodePathSegment(bad), bad).toThrow(LakePathError);
    }
    expect(decodePathSegment('~')).toBe('');
  });
});

describe('encode/decode properties', () => {
  it('round-trips any well-formed string and never yields a separator or dot-segment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const encoded = encodePathSegment(value);
        assertSafe(encoded);
        expect(decodePathSegment(encoded)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('is injective on ticker-like strings, including over case', () => {
    const ticker = fc.string({ unit: fc.constantFrom(...'ABab./\\-_.~0 '.split('')), maxLength: 8 });
    fc.assert(
      fc.property(ticker, ticker, (a, b) => {
        fc.pre(a !== b);
        expect(encodePathSegment(a).toUpperCase()).not.toBe(encodePathSegment(b).toUpperCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('stays bounded and safe for long values', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 100, maxLength: 1200 }), (value) => {
        assertSafe(encodePathSegment(value));
      }),
      { numRuns: 300 },
    );
  });
});
