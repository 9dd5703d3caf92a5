import { createHash } from 'node:crypto';
import { LakePathError } from './errors.js';

/**
 * Reversible encoding of an arbitrary value (a symbol, a series id) into one path segment that is
 * safe on every file system and object store the lake runs on:
 * - kept literally: `A-Z`, `0-9`, `_`, `-`, and `.` anywhere but first;
 * - everything else, lowercase letters included, becomes `~XX` per UTF-8 byte (uppercase hex).
 *   Escaping lowercase keeps the output free of lowercase letters, so two values that differ only
 *   in case can never collide on a case-insensitive file system (macOS, Windows);
 * - the empty string is `~`; a leading `.` is escaped, so no segment is `.`, `..` or hidden;
 * - `~` is URL-unreserved and no glob metacharacter, so S3 keys and DuckDB paths need no quoting.
 * Encodings longer than MAX_SEGMENT_LENGTH are cut at an escape boundary and suffixed with
 * `~~` + 16 hex of sha256(value): bounded and collision-resistant, but no longer reversible
 * (`decodePathSegment` refuses them). A normal encoding never contains `~~`.
 */
export const MAX_SEGMENT_LENGTH = 128;
const HASHED_PREFIX_LENGTH = 100;
const HASH_MARK = '~~';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isLiteralByte(byte: number, index: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x5f || // _
    byte === 0x2d || // -
    (byte === 0x2e && index > 0) // . (not first)
  );
}

function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function escapeAll(value: string): string {
  const bytes = encoder.encode(value);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    out += isLiteralByte(byte, i) ? String.fromCharCode(byte) : `~${hex2(byte)}`;
  }
  return out;
}

/** Cuts an encoding to at most `max` characters without splitting a `~XX` escape. */
function cutAtEscapeBoundary(encoded: string, max: number): string {
  let end = Math.min(max, encoded.length);
  const tilde = encoded.lastIndexOf('~', end - 1);
  if (tilde !== -1 && tilde > end - 3) end = tilde;
  return encoded.slice(0, end);
}

export function encodePathSegment(value: string): string {
  if (typeof value !== 'string') throw new LakePathError('path segment value must be a string');
  if (LONE_SURROGATE.test(value)) {
    throw new LakePathError('path segment value is not well-formed Unicode (lone surrogate)');
  }
  if (value === '') return '~';
  const encoded = escapeAll(value);
  if (encoded.length <= MAX_SEGMENT_LENGTH) return encoded;
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16).toUpperCase();
  return `${cutAtEscapeBoundary(encoded, HASHED_PREFIX_LENGTH)}${HASH_MARK}${digest}`;
}

export function decodePathSegment(segment: string): string {
  if (segment === '~') return '';
  if (segment.includes(HASH_MARK)) {
    throw new LakePathError(`path segment "${segment.slice(0, 40)}…" is a hashed long value and cannot be decoded`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment.charCodeAt(i);
    if (ch === 0x7e) {
      const pair = segment.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(pair)) throw invalid(segment);
      bytes.push(Number.parseInt(pair, 16));
      i += 2;
    } else if (ch < 0x80 && isLiteralByte(ch, i)) {
      bytes.push(ch);
    } else {
      throw invalid(segment);
    }
  }
  let value: string;
  try {
    value = strictDecoder.decode(new Uint8Array(bytes));
  } catch (error) {
    throw new LakePathError(`path segment "${segment.slice(0, 40)}" does not decode to UTF-8`, { cause: error });
  }
  // Only the canonical spelling decodes, so encode and decode are inverse bijections.
  if (encodePathSegment(value) !== segment) throw invalid(segment);
  return value;
}

function invalid(segment: string): LakePathError {
  return new LakePathError(`"${segment.slice(0, 40)}" is not an encoded path segment`);
}
