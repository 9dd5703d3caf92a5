import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EndpointId, VendorId } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { createSeededRandom, fullJitterDelay } from './backoff.js';
import { readVendorMessage, type Classifier } from './classify.js';
import { HttpClient, type HttpClientOptions } from './client.js';
import { AuthFailed, BadRequest, EntitlementDenied, Malformed, RateLimited, Transient, VendorError } from './errors.js';
import type { RequestGate, RequestOutcome } from './gate.js';
import { fakeFetch, hangingResponse, jsonResponse } from './test-support/fake-fetch.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const KEY = 'TESTKEY-0123456789';
const URL_WITH_KEY = new URL(`https://api.example.test/v1/data?symbol=AAPL&apikey=${KEY}`);
const ENDPOINT: EndpointId = 'av.time_series_daily';

const noVendorRules: Classifier = () => undefined;

class RecordingGate implements RequestGate {
  readonly acquired: number[] = [];
  readonly settled: RequestOutcome[] = [];
  constructor(private readonly clock: VirtualClock) {}
  async acquire(_vendor: VendorId, _endpoint: EndpointId): Promise<void> {
    this.acquired.push(this.clock.now());
  }
  settle(_vendor: VendorId, _endpoint: EndpointId, outcome: RequestOutcome): void {
    this.settled.push(outcome);
  }
}

function setup(responses: Parameters<typeof fakeFetch>[0], options: Partial<HttpClientOptions> = {}) {
  const clock = new VirtualClock({ start: START, maxHoldRealMs: 25 });
  const gate = new RecordingGate(clock);
  const fake = fakeFetch(responses);
  const sentAt: number[] = [];
  const client = new HttpClient({
    vendor: 'av',
    clock,
    secrets: [KEY],
    gate,
    classify: noVendorRules,
    random: createSeededRandom(7),
    fetch: (url, init) => {
      sentAt.push(clock.now() - START);
      return fake.fetch(url, init);
    },
    ...options,
  });
  return { clock, gate, fake, client, sentAt };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('HttpClient success path', () => {
  it('returns the parsed body and acquires/settles the gate exactly once', async () => {
    const { client, gate, fake } = setup([jsonResponse({ ok: 1 }, 200, { 'X-RateLimit-Remaining': '17' })], { userAgent: 'trademl-test' });
    const result = await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT, headers: { 'X-Extra': 'y' } });
    expect(result.body).toEqual({ ok: 1 });
    expect(result.status).toBe(200);
    expect(result.redactedUrl).toBe('https://api.example.test/v1/data?symbol=AAPL&apikey=***');
    expect(gate.acquired).toHaveLength(1);
    expect(gate.settled).toEqual([{ status: 200, atMs: START, remaining: 17 }]);
    expect(fake.seen[0]?.headers['user-agent']).toBe('trademl-test');
    expect(fake.seen[0]?.headers['x-extra']).toBe('y');
    expect(fake.seen[0]?.headers.accept).toBe('application/json');
  });

  it('getText returns the body as text', async () => {
    const { client } = setup([new Response('symbol,name\nAAPL,Apple\n', { status: 200 })]);
    const result = await client.getText(URL_WITH_KEY, { endpoint: 'av.listing_status' });
    expect(result.body).toBe('symbol,name\nAAPL,Apple\n');
  });

  it('validates against a schema and returns the parsed data', async () => {
    const { client } = setup([jsonResponse({ n: 3, extra: true })]);
    const result = await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT, schema: z.object({ n: z.number() }) });
    expect(result.body).toEqual({ n: 3 });
  });
});

describe('HttpClient retries', () => {
  it('retries Transient with full-jitter backoff on the virtual clock', async () => {
    const { client, gate, sentAt } = setup([jsonResponse('oops', 503), jsonResponse('oops', 502), jsonResponse({ ok: true })]);
    const result = await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(result.body).toEqual({ ok: true });
    const random = createSeededRandom(7);
    const d0 = fullJitterDelay(0, 1_000, 30_000, random);
    const d1 = fullJitterDelay(1, 1_000, 30_000, random);
    expect(d0).toBeGreaterThan(0);
    expect(sentAt).toEqual([0, d0, d0 + d1]);
    expect(gate.acquired.map((t) => t - START)).toEqual([0, d0, d0 + d1]);
    expect(gate.settled.map((o) => [o.status, o.error])).toEqual([
      [503, 'Transient'],
      [502, 'Transient'],
      [200, undefined],
    ]);
  });

  it('gives up after maxRetries and throws the last Transient', async () => {
    const { client, gate } = setup(Array.from({ length: 3 }, () => () => jsonResponse('down', 500)), { maxRetries: 2 });
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(Transient);
    expect(gate.acquired).toHaveLength(3);
    expect(gate.settled).toHaveLength(3);
  });

  it('waits exactly the advertised Retry-After on a 429, then succeeds', async () => {
    const { client, clock, gate, sentAt } = setup([jsonResponse({ message: 'rate limit exceeded' }, 429, { 'Retry-After': '7' }), jsonResponse({ ok: 1 })]);
    await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(sentAt).toEqual([0, 7_000]);
    expect(clock.now() - START).toBe(7_000);
    expect(gate.settled[0]).toMatchObject({ status: 429, error: 'RateLimited', retryAfterMs: 7_000, resetAtMs: START + 7_000 });
  });

  it('waits until X-RateLimit-Reset (epoch seconds) on a 429, then succeeds', async () => {
    const resetAt = START / 1000 + 23;
    const { client, clock } = setup([jsonResponse({ message: 'rate limit exceeded' }, 429, { 'X-RateLimit-Reset': String(resetAt) }), jsonResponse({ ok: 1 })]);
    await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(clock.now()).toBe(resetAt * 1000);
  });

  it('uses the vendor default wait when a 429 names no time, doubling for a repeat', async () => {
    const { client, sentAt } = setup([jsonResponse('slow down', 429), jsonResponse('slow down', 429), jsonResponse({ ok: 1 })], { rateLimitDefaultMs: 65_000 });
    await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(sentAt).toEqual([0, 65_000, 65_000 + 130_000]);
  });

  it('does not block on a 429 asking for longer than maxRetryAfterMs: throws it for the scheduler', async () => {
    const { client, clock, gate } = setup([jsonResponse('later', 429, { 'Retry-After': '3600' })], { maxRetryAfterMs: 300_000 });
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBe(3_600_000);
    expect(gate.acquired).toHaveLength(1);
    expect(clock.now()).toBe(START);
  });

  it.each([
    [403, EntitlementDenied],
    [401, AuthFailed],
    [400, BadRequest],
  ])('never retries HTTP %i', async (status, kind) => {
    const { client, gate, fake } = setup([jsonResponse({ message: 'no' }, status), jsonResponse({ ok: 1 })]);
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(kind);
    expect(fake.seen).toHaveLength(1);
    expect(gate.settled).toEqual([{ status, error: kind.name, atMs: START, remaining: undefined }]);
  });

  it('classifies a 200 whose body is an error object through the vendor hook, and does not retry it', async () => {
    const classify: Classifier = (status, body, _headers, ctx) => {
      const { json, text } = readVendorMessage(body, ['Information', 'Error Message']);
      return json?.Information ? new EntitlementDenied(text, { vendor: 'av', status, body, endpoint: ctx?.endpoint, url: ctx?.url, scope: 'capability' }) : undefined;
    };
    const { client, fake } = setup([jsonResponse({ Information: 'This is a premium endpoint.' })], { classify });
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).message).toBe('av.time_series_daily HTTP 200: This is a premium endpoint.');
    expect((error as EntitlementDenied).url).toBe('https://api.example.test/v1/data?symbol=AAPL&apikey=***');
    expect(fake.seen).toHaveLength(1);
  });
});

describe('HttpClient timeouts and cancellation', () => {
  it('times out on the virtual clock and aborts the fetch', async () => {
    let aborted = false;
    const { client, clock } = setup(
      [],
      {
        maxRetries: 0,
        timeoutMs: 10_000,
        fetch: (_url, init) => {
          init.signal.addEventListener('abort', () => (aborted = true));
          return hangingResponse();
        },
      },
    );
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(Transient);
    expect((error as Transient).message).toBe('av.time_series_daily: timed out after 10000 ms');
    expect(clock.now() - START).toBe(10_000);
    expect(aborted).toBe(true);
  });

  it('retries after a timeout and succeeds', async () => {
    const { client, sentAt } = setup([() => hangingResponse(), jsonResponse({ ok: 1 })], { timeoutMs: 5_000 });
    const result = await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(result.body).toEqual({ ok: 1 });
    expect(sentAt[0]).toBe(0);
    expect(sentAt[1]).toBeGreaterThanOrEqual(5_000);
  });

  it('leaves no timer behind after a fast response (virtual time does not jump later)', async () => {
    const { client, clock } = setup([jsonResponse({ ok: 1 })]);
    await client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(clock.pendingSleepers).toBe(0);
  });

  it('propagates a caller abort unchanged and does not retry', async () => {
    const controller = new AbortController();
    const { client, gate } = setup([
      () => {
        controller.abort(new Error('shutting down'));
        return hangingResponse();
      },
    ]);
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT, signal: controller.signal }));
    expect((error as Error).message).toBe('shutting down');
    expect(gate.settled.map((o) => o.error)).toEqual(['AbortError']);
  });

  it('propagates a gate refusal unchanged without sending anything', async () => {
    const refusal = new Error('vendor frozen');
    const { client, fake } = setup([jsonResponse({ ok: 1 })], {
      gate: {
        acquire: async () => {
          throw refusal;
        },
        settle: () => undefined,
      },
    });
    await expect(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT })).rejects.toBe(refusal);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('HttpClient malformed bodies', () => {
  it.each([
    ['truncated JSON', '{"bars": {"AAPL": [{"t": "2022-02-01T05:00:00Z", "o": 17', 'invalid JSON'],
    ['an empty body', '', 'empty body'],
  ])('reports %s as Malformed with the raw text, without retrying', async (_label, text, reason) => {
    const { client, fake, gate } = setup([new Response(text, { status: 200 }), jsonResponse({ ok: 1 })]);
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toContain(reason);
    expect((error as Malformed).rawText).toBe(text);
    expect(fake.seen).toHaveLength(1);
    expect(gate.settled[0]).toMatchObject({ status: 200, error: 'Malformed' });
  });

  it('reports schema drift (a field retyped) as Malformed naming the path', async () => {
    const schema = z.object({ results: z.array(z.object({ c: z.number() })) });
    const { client } = setup([jsonResponse({ results: [{ c: 1.5 }, { c: '1.5' }] })]);
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT, schema }));
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^schema mismatch: results\.1\.c: /);
  });
});

describe('HttpClient redaction', () => {
  function assertClean(error: unknown): void {
    const texts = [
      (error as Error).message,
      String(error),
      JSON.stringify(error),
      (error as Error).stack ?? '',
      String((error as Error).cause ?? ''),
      ((error as Error).cause as Error | undefined)?.stack ?? '',
      JSON.stringify((error as VendorError).url ?? ''),
      (error as VendorError).bodyExcerpt ?? '',
      error instanceof Malformed ? error.rawText : '',
    ];
    for (const text of texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(encodeURIComponent(KEY));
    }
  }

  it('keeps the key out of a network error, its cause chain and its stack', async () => {
    const thrown = new TypeError(`fetch failed for ${URL_WITH_KEY.href}`, { cause: new Error(`connect ECONNREFUSED (key ${KEY})`) });
    const { client } = setup([() => Promise.reject(thrown)], { maxRetries: 0 });
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(Transient);
    expect((error as Error).message).toContain('network error: fetch failed for https://api.example.test/v1/data?symbol=AAPL&apikey=***');
    expect(((error as Error).cause as Error).name).toBe('TypeError');
    expect((((error as Error).cause as Error).cause as Error).message).toBe('connect ECONNREFUSED (key ***)');
    assertClean(error);
  });

  it('keeps the key out of an error whose body echoes it', async () => {
    const { client } = setup([jsonResponse({ message: `invalid api key ${KEY}` }, 401)]);
    const error = await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT }));
    expect(error).toBeInstanceOf(AuthFailed);
    expect((error as Error).message).toBe('av.time_series_daily HTTP 401: invalid api key ***');
    assertClean(error);
  });

  it('keeps the key out of a Malformed raw body and of the success result', async () => {
    const { client } = setup([new Response(`{"echo": "${KEY}", `, { status: 200 })]);
    assertClean(await failure(client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT })));
    const ok = setup([jsonResponse({ echo: KEY })]);
    const result = await ok.client.getJson(URL_WITH_KEY, { endpoint: ENDPOINT });
    expect(result.redactedUrl).not.toContain(KEY);
    expect(result.redactedText).not.toContain(KEY);
  });
});
