import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../../clock/index.js';
import { createSeededRandom, type RequestGate, type RequestOutcome } from '../../../http/index.js';
import { fakeFetch, type Responder } from '../../../http/test-support/fake-fetch.js';
import type { EndpointId, VendorId } from '../../../catalog/index.js';
import { createAvClient } from '../client.js';
import type { AvNotice } from '../context.js';

/** Test-only: the text of a fixture copied beside the connector (provenance in fixtures/README.md). */
export function avFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

/** A 200 answer carrying a fixture, as Alpha Vantage sends every answer (refusals included). */
export function avResponse(name: string, contentType = name.endsWith('.csv') ? 'text/csv' : 'application/json'): Response {
  return new Response(avFixture(name), { status: 200, headers: { 'content-type': contentType } });
}

export function textResponse(body: string, contentType = 'application/json', status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': contentType } });
}

export const TEST_KEY = 'AVTESTKEY7Q2W9E4R';
export const TEST_BASE = 'http://127.0.0.1:9400/av';

/** A gate that records what the client reports, as the pacer would see it. */
export function recordingGate(): RequestGate & { acquired: EndpointId[]; settled: RequestOutcome[] } {
  const acquired: EndpointId[] = [];
  const settled: RequestOutcome[] = [];
  return {
    acquired,
    settled,
    acquire: async (_vendor: VendorId, endpoint: EndpointId) => {
      acquired.push(endpoint);
    },
    settle: (_vendor: VendorId, _endpoint: EndpointId, outcome: RequestOutcome) => {
      settled.push(outcome);
    },
  };
}

/** A client on a virtual clock whose fetch is `respond`; notices are collected. */
export function setupAv(respond: Parameters<typeof fakeFetch>[0], start: number, options: { maxRetries?: number } = {}) {
  const clock = new VirtualClock({ start });
  const fake = fakeFetch(respond);
  const notices: AvNotice[] = [];
  const gate = recordingGate();
  const client = createAvClient({
    apiKey: TEST_KEY,
    clock,
    baseUrl: TEST_BASE,
    gate,
    onNotice: (notice) => notices.push(notice),
    http: { fetch: fake.fetch, random: createSeededRandom(7), maxRetries: options.maxRetries ?? 2 },
  });
  return { clock, fake, client, notices, gate };
}

export type { Responder };
