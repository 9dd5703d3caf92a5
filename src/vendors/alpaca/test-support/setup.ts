import { expect } from 'vitest';
import { VirtualClock } from '../../../clock/index.js';
import { createSeededRandom } from '../../../http/index.js';
import { fakeFetch, type Responder } from '../../../http/test-support/fake-fetch.js';
import { fixtureText } from '../../shared/test-support/fixtures.js';
import { createAlpacaClient } from '../client.js';

/** Test-only: an Alpaca client on a virtual clock whose fetch is a fake answering `respond`. */
export const KEY_ID = 'TESTKEY-ID-0123456789';
export const SECRET = 'TESTKEY-SECRET-abcdef';
export const DATA = 'http://127.0.0.1:9101';
export const TRADING = 'http://127.0.0.1:9102';

export function fixture(name: string, status = 200): Response {
  return new Response(fixtureText('alpaca', name), { status, headers: { 'content-type': 'application/json' } });
}

export function setupAlpaca(respond: Responder, startMs: number) {
  const clock = new VirtualClock({ start: startMs });
  const fake = fakeFetch(respond);
  const client = createAlpacaClient({
    keyId: KEY_ID,
    secretKey: SECRET,
    clock,
    dataBaseUrl: DATA,
    tradingBaseUrl: TRADING,
    http: { fetch: fake.fetch, random: createSeededRandom(1), maxRetries: 1 },
  });
  return { clock, fake, client };
}

export async function collect<T>(stream: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** Both key halves absent from a text (URL, lineage, error rendering). */
export function expectNoKeys(text: string): void {
  expect(text).not.toContain(KEY_ID);
  expect(text).not.toContain(SECRET);
}

/** Every request carried the key pair in headers and nowhere in its URL. */
export function expectHeaderAuth(seen: readonly { url: string; headers: Record<string, string> }[]): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const request of seen) {
    expect(request.headers['apca-api-key-id']).toBe(KEY_ID);
    expect(request.headers['apca-api-secret-key']).toBe(SECRET);
    expectNoKeys(request.url);
  }
}

/** Everything an error exposes, for key-leak checks. */
export function renderError(error: unknown): string {
  const e = error as Error;
  return [e.message, String(e), JSON.stringify(e), e.stack ?? ''].join('\n');
}
