import { VirtualClock } from '../../../clock/index.js';
import { createSeededRandom, type RequestGate } from '../../../http/index.js';
import { fakeFetch, type Responder } from '../../../http/test-support/fake-fetch.js';
import { createFmpClient, type FmpClientOptions } from '../client.js';
import type { FmpSkippedRow } from '../context.js';

export const START = Date.UTC(2026, 2, 2, 15, 0, 0);
export const LINEAGE_AT = '2026-03-02T15:00:00.000Z';
export const KEY = 'TESTKEYfmp0123456789abcdefABCDEF';
export const BASE = 'http://127.0.0.1:9400/fmp';

/** A client on a VirtualClock whose HTTP goes to a fake fetch; skipped rows and gate calls are recorded. */
export function setup(respond: Responder, extra: Partial<FmpClientOptions> = {}) {
  const clock = new VirtualClock({ start: START });
  const fake = fakeFetch(respond);
  const skipped: FmpSkippedRow[] = [];
  const gateCalls: string[] = [];
  const gate: RequestGate = {
    acquire: async (_vendor, endpoint) => {
      gateCalls.push(`acquire ${endpoint}`);
    },
    settle: (_vendor, endpoint, outcome) => {
      gateCalls.push(`settle ${endpoint} ${outcome.status ?? ''} ${outcome.error ?? ''}`.trim());
    },
  };
  const client = createFmpClient({
    apiKey: KEY,
    clock,
    baseUrl: BASE,
    gate,
    onSkip: (row) => skipped.push(row),
    ...extra,
    http: { fetch: fake.fetch, random: createSeededRandom(5), maxRetries: 2, ...extra.http },
  });
  return { clock, fake, client, skipped, gateCalls };
}

/** The URL as FMP receives it (key in `apikey`) and as lineage stores it (key masked). */
export function sent(pathAndQuery: string): string {
  return `${BASE}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}apikey=${KEY}`;
}

export function stored(pathAndQuery: string): string {
  return `${BASE}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}apikey=***`;
}

/** Routes by path: the first rule whose path ends the request path answers it. */
export function byPath(rules: [string, () => Response][]): Responder {
  return (url) => {
    const rule = rules.find(([path]) => url.pathname.endsWith(path));
    if (!rule) throw new Error(`no fake response for ${url.pathname}`);
    return rule[1]();
  };
}
