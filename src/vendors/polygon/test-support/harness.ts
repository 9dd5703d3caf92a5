import { expect } from 'vitest';
import { VirtualClock } from '../../../clock/index.js';
import { createSeededRandom } from '../../../http/index.js';
import { fakeFetch, type Responder } from '../../../http/test-support/fake-fetch.js';
import { fixtureText } from '../../shared/test-support/fixtures.js';
import { createPolygonClient } from '../client.js';
import type { SkippedRow } from '../context.js';

/** Test-only: a Polygon client on a virtual clock whose fetch is a fake answering `respond`. */
export const START = Date.UTC(2026, 2, 2, 15, 0, 0);
export const LINEAGE_AT = '2026-03-02T15:00:00.000Z';
export const KEY = 'TESTKEY-POLY-9f8e7d6c5b';
export const BASE = 'http://127.0.0.1:9200/polygon';

export function fixture(name: string, status = 200): Response {
  return new Response(fixtureText('polygon', name), { status, headers: { 'content-type': 'application/json' } });
}

export function setup(respond: Responder) {
  const clock = new VirtualClock({ start: START });
  const fake = fakeFetch(respond);
  const skipped: SkippedRow[] = [];
  const client = createPolygonClient({
    apiKey: KEY,
    clock,
    baseUrl: BASE,
    onSkip: (row) => skipped.push(row),
    http: { fetch: fake.fetch, random: createSeededRandom(3), maxRetries: 2 },
  });
  return { clock, fake, client, skipped };
}

/** The key travels in the Authorization header only, never in a URL. */
export function expectAuthOnEveryRequest(fake: ReturnType<typeof fakeFetch>): void {
  expect(fake.seen.length).toBeGreaterThan(0);
  for (const seen of fake.seen) {
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.url).not.toContain(KEY);
    expect(seen.url).not.toMatch(/apikey/i);
  }
}
