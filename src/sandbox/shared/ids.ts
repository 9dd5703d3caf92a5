import { createHash } from 'node:crypto';

/** Hex digest of a label: stable ids for records that must look the same on every run. */
export function stableHex(label: string, length = 64): string {
  return createHash('sha256').update(label).digest('hex').slice(0, length);
}

/** A UUID-shaped (version 4 layout) id derived from a label. */
export function stableUuid(label: string): string {
  const h = stableHex(label, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 9-character CUSIP-shaped identifier with a valid check digit. */
export function stableCusip(label: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
  const h = stableHex(`cusip:${label}`, 16);
  let body = '';
  for (let i = 0; i < 6; i++) body += alphabet[parseInt(h.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  body += '10';
  return body + cusipCheckDigit(body);
}

function cusipCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body.charAt(i);
    let v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    if (i % 2 === 1) v *= 2;
    sum += Math.floor(v / 10) + (v % 10);
  }
  return String((10 - (sum % 10)) % 10);
}

/** A short fingerprint of request parameters, for tokens that must be replayed unchanged. */
export function fingerprint(entries: ReadonlyArray<readonly [string, string]>): string {
  const canonical = [...entries].sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  return stableHex(JSON.stringify(canonical), 12);
}
