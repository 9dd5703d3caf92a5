import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followLink } from './context.js';

const BASE = 'http://127.0.0.1:4010';
const param = fc.tuple(fc.stringMatching(/^[a-z_]{1,10}$/), fc.stringMatching(/^[A-Za-z0-9.%-]{0,12}$/));
const keyParam = fc.tuple(fc.constantFrom('apiKey', 'apikey', 'api_key', 'APIKEY', 'Api_Key'), fc.stringMatching(/^[A-Za-z0-9]{1,20}$/));

describe('Polygon next_url following (property)', () => {
  it('re-bases any link on the configured host, keeps path and non-key parameters in order, drops every key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https://api.polygon.io', 'https://api.massive.com', 'http://evil.example:8080', 'https://api.polygon.io:443'),
        fc.stringMatching(/^(\/[A-Za-z0-9._-]{1,12}){1,5}$/),
        fc.array(param, { maxLength: 6 }),
        fc.array(keyParam, { maxLength: 2 }),
        fc.boolean(),
        (origin, path, params, keys, keepUnadjusted) => {
          const pairs = [...params.map(([k, v]) => `${k}=${v}`)];
          const withKeys = [...pairs];
          for (const [k, v] of keys) withKeys.splice(Math.min(1, withKeys.length), 0, `${k}=${v}`);
          const link = `${origin}${path}${withKeys.length ? `?${withKeys.join('&')}` : ''}`;
          const url = followLink({ baseUrl: BASE }, link, keepUnadjusted);
          expect(url.origin).toBe(BASE);
          // Dot segments are resolved as any URL's are; a link can never climb above the host's root.
          expect(url.pathname).toBe(new URL(path, 'http://h').pathname);
          const kept = url.search.replace(/^\?/, '').split('&').filter(Boolean);
          expect(kept.some((p) => /^api_?key=/i.test(p))).toBe(false);
          const expected = pairs.filter((p) => !/^api_?key=/i.test(p));
          if (keepUnadjusted && !expected.some((p) => p.startsWith('adjusted='))) expected.push('adjusted=false');
          expect(kept).toEqual(expected);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
