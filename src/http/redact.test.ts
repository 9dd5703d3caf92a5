import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, redactHeaders, redactText, redactUrl } from './redact.js';

const KEY = 'TESTKEY-abc123';
const SECRET = 'TESTKEY-s3cr3t/+=&?';

describe('redactUrl', () => {
  it.each(['apiKey', 'apikey', 'api_key', 'token', 'key', 'APIKEY', 'access_token'])('masks the %s query value even when it is not a known secret', (name) => {
    const out = redactUrl(`https://api.example.com/v1/x?symbol=AAPL&${name}=someone-elses&limit=5`, []);
    expect(out).toBe(`https://api.example.com/v1/x?symbol=AAPL&${name}=${MASK}&limit=5`);
  });

  it('leaves parameters that merely contain "key" in their name alone', () => {
    expect(redactUrl('https://h/x?monkey=1&keys=2&sort=ticker', [])).toBe('https://h/x?monkey=1&keys=2&sort=ticker');
  });

  it('masks a percent-encoded parameter name', () => {
    expect(redactUrl('https://h/x?api%5Fkey=abc&a=1', [])).toBe(`https://h/x?api%5Fkey=${MASK}&a=1`);
  });

  it('masks a secret wherever it appears: path, other params, fragment', () => {
    const out = redactUrl(`https://h/${KEY}/x?cursor=${KEY}&a=1#${KEY}`, [KEY]);
    expect(out).not.toContain(KEY);
    expect(out).toBe(`https://h/${MASK}/x?cursor=${MASK}&a=1#${MASK}`);
  });

  it('masks URL-encoded, form-encoded and lower-hex forms of a secret', () => {
    const encoded = encodeURIComponent(SECRET);
    const forms = [encoded, encoded.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()), encodeURIComponent(`${SECRET} x`).replace(/%20/g, '+')];
    for (const form of forms) {
      const out = redactUrl(`https://h/x?cursor=${form}&a=1`, [SECRET]);
      expect(out).not.toContain(encoded);
      expect(decodeURIComponent(out.replace(/\+/g, ' '))).not.toContain(SECRET);
    }
  });

  it('fails closed on an encoding it does not enumerate (an unreserved character percent-encoded)', () => {
    const odd = 'TESTKEY%2Dabc123'; // "-" is never encoded by encodeURIComponent
    const out = redactUrl(`https://h/x?cursor=${odd}&a=1`, [KEY]);
    expect(decodeURIComponent(out)).not.toContain(KEY);
  });

  it('accepts URL objects and keeps everything else byte-identical', () => {
    const url = new URL('https://api.polygon.io/v2/aggs/grouped/locale/us/market/stocks/2024-01-02?adjusted=false&apiKey=K1');
    expect(redactUrl(url, ['K1'])).toBe(`https://api.polygon.io/v2/aggs/grouped/locale/us/market/stocks/2024-01-02?adjusted=false&apiKey=${MASK}`);
  });

  it('redacts unparseable input as text', () => {
    expect(redactUrl(`not a url ${KEY}`, [KEY])).toBe(`not a url ${MASK}`);
  });

  it('ignores empty secrets instead of masking everything', () => {
    expect(redactUrl('https://h/x?a=1', [''])).toBe('https://h/x?a=1');
  });

  it('never lets a secret through, for arbitrary secrets and placements (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 24 }), fc.constantFrom('path', 'query', 'encoded'), (secret, where) => {
        const url =
          where === 'path'
            ? `https://h/a/${encodeURIComponent(secret)}/b?x=1`
            : where === 'query'
              ? `https://h/a?cursor=${secret}&x=1`
              : `https://h/a?cursor=${encodeURIComponent(secret)}&x=1`;
        const out = redactUrl(url, [secret]);
        expect(out.includes(secret)).toBe(false);
        expect(out.includes(encodeURIComponent(secret))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('redactText', () => {
  it('masks secrets and key=value pairs quoted inside prose', () => {
    const text = `request to https://h/x?apikey=OTHER failed; header said ${KEY}; token=abc def`;
    const out = redactText(text, [KEY]);
    expect(out).toBe(`request to https://h/x?apikey=${MASK} failed; header said ${MASK}; token=${MASK} def`);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    expect(redactText('id=AB secret=ABCDEF', ['AB', 'ABCDEF'])).toBe(`id=${MASK} secret=${MASK}`);
  });

  it('is the identity on text without secrets or key pairs', () => {
    const text = '{"status":"ERROR","error":"Unknown API Key"}';
    expect(redactText(text, [KEY])).toBe(text);
  });
});

describe('redactHeaders', () => {
  it('masks credential headers by name and scrubs secrets from the rest', () => {
    const out = redactHeaders({ Authorization: `Bearer ${KEY}`, 'APCA-API-KEY-ID': 'PK123', 'APCA-API-SECRET-KEY': 'sss', 'X-Debug': `k=${KEY}`, Accept: 'application/json' }, [KEY]);
    expect(out).toEqual({ Authorization: MASK, 'APCA-API-KEY-ID': MASK, 'APCA-API-SECRET-KEY': MASK, 'X-Debug': `k=${MASK}`, Accept: 'application/json' });
  });
});
