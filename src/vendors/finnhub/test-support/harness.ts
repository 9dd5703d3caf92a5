import { expect } from 'vitest';
import { VirtualClock } from '../../../clock/index.js';
import { createSeededRandom, type RequestGate, type RequestOutcome } from '../../../http/index.js';
import { fakeFetch, type Responder } from '../../../http/test-support/fake-fetch.js';
import { createFinnhubClient } from '../client.js';
import type { FinnhubSkip } from '../context.js';

/** Monday 2026-03-02 16:30 New York (EST): after that session's close. */
export const START = Date.UTC(2026, 2, 2, 21, 30, 0);
export const KEY = 'TESTKEY-FINNHUB-c0ffee4242';
export const BASE = 'http://127.0.0.1:9300/finnhub/api/v1';

export interface GateLog {
  acquired: number;
  outcomes: RequestOutcome[];
}

/** Test-only: a Finnhub client on a virtual clock, answering from `respond`, with its skips and gate calls recorded. */
export function setup(respond: Responder, options: { start?: number; maxRetries?: number } = {}) {
  const clock = new VirtualClock({ start: options.start ?? START });
  const fake = fakeFetch(respond);
  const skipped: FinnhubSkip[] = [];
  const gateLog: GateLog = { acquired: 0, outcomes: [] };
  const gate: RequestGate = {
    acquire: async () => {
      gateLog.acquired += 1;
    },
    settle: (_vendor, _endpoint, outcome) => {
      gateLog.outcomes.push(outcome);
    },
  };
  const client = createFinnhubClient({
    apiKey: KEY,
    clock,
    baseUrl: BASE,
    gate,
    onSkip: (row) => skipped.push(row),
    http: { fetch: fake.fetch, random: createSeededRandom(7), maxRetries: options.maxRetries ?? 2 },
  });
  return { clock, fake, client, skipped, gateLog };
}

/** Whatever left the client: the key is only ever in the auth header, never in a URL. */
export function expectKeyOnlyInHeader(fake: ReturnType<typeof fakeFetch>): void {
  expect(fake.seen.length).toBeGreaterThan(0);
  for (const seen of fake.seen) {
    expect(seen.headers['x-finnhub-token']).toBe(KEY);
    expect(seen.url).not.toContain(KEY);
    expect(seen.url).not.toMatch(/token=/i);
  }
}
