import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { VirtualClock } from '../../../clock/index.js';
import { createSeededRandom } from '../../../http/index.js';
import { fakeFetch } from '../../../http/test-support/fake-fetch.js';
import { createFredClient, type FredClientOptions } from '../client.js';

/** Test-only: the text of a FRED fixture copied beside the connector (provenance in fixtures/README.md). */
export function fredFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

/** A fixture as a response; FRED's docs show JSON errors labelled text/xml, so the type is not trusted. */
export function fixtureResponse(name: string, status = 200): Response {
  return new Response(fredFixture(name), { status, headers: { 'content-type': name.endsWith('.xml') ? 'text/xml' : 'application/json' } });
}

export const TEST_KEY = 'abcdef0123456789abcdef0123456789';
export const TEST_BASE = 'http://127.0.0.1:9300';
export const TEST_START = Date.UTC(2026, 2, 2, 15, 0, 0);
export const TEST_INGESTED_AT = '2026-03-02T15:00:00.000Z';

/** A FRED client on a virtual clock answering through `respond`. */
export function fredSetup(respond: Parameters<typeof fakeFetch>[0], options: Partial<FredClientOptions> = {}) {
  const clock = new VirtualClock({ start: TEST_START });
  const fake = fakeFetch(respond);
  const client = createFredClient({
    apiKey: TEST_KEY,
    clock,
    baseUrl: TEST_BASE,
    http: { fetch: fake.fetch, random: createSeededRandom(5), maxRetries: 2 },
    ...options,
  });
  return { clock, fake, client };
}

/** The URL a row's source_uri must equal: the request as sent, key masked. */
export function redacted(url: string): string {
  return url.replace(`api_key=${TEST_KEY}`, 'api_key=***');
}

/** Every request asked for JSON (FRED defaults to XML) and carried the key; the key appears nowhere else. */
export function expectJsonOnEveryRequest(seen: readonly { url: string }[]): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const { url } of seen) {
    const params = new URL(url).searchParams;
    expect(params.getAll('file_type').join(',')).toBe('json');
    expect(params.get('api_key')).toBe(TEST_KEY);
  }
}
