import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.js';
import { DEFAULT_MAX_BODY_BYTES, HttpClient } from './client.js';
import { Malformed } from './errors.js';
import { fakeFetch } from './test-support/fake-fetch.js';

const CHUNK = Buffer.alloc(1024 * 1024, 'a');
let server: Server;
let base: string;
let sentBytes = 0;

/** Streams up to 400 MB without a Content-Length, chunk by chunk, only as fast as the client reads. */
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let left = 400;
    const pump = (): void => {
      while (left > 0) {
        left -= 1;
        sentBytes += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (left = 0));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (options: { maxBodyBytes?: number; fetch?: ConstructorParameters<typeof HttpClient>[0]['fetch'] } = {}): HttpClient =>
  new HttpClient({ vendor: 'polygon', clock: new VirtualClock({ start: 0 }), secrets: ['sekret-key-123'], classify: () => undefined, maxRetries: 0, ...options });

describe('response body size limit', () => {
  it('stops reading a 400 MB body at the limit and reports it as Malformed, not retried', async () => {
    const error = await client().getJson(new URL(`${base}/huge?apiKey=sekret-key-123`), { endpoint: 'polygon.aggs.grouped_daily' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).message).toMatch(`response body larger than ${DEFAULT_MAX_BODY_BYTES} bytes`);
    expect((error as Malformed).status).toBe(200);
    expect(JSON.stringify(error)).not.toContain('sekret-key-123');
    expect(sentBytes).toBeLessThan(DEFAULT_MAX_BODY_BYTES + 32 * CHUNK.length);
  });

  it('refuses a declared Content-Length over the limit without reading, and reads bodies under it', async () => {
    const big = fakeFetch([new Response('x'.repeat(2000), { status: 200, headers: { 'content-length': '2000' } })]);
    await expect(client({ maxBodyBytes: 1000, fetch: big.fetch }).getText(new URL('http://vendor.test/a'), { endpoint: 'av.listing_status' })).rejects.toThrow(
      /response body larger than 1000 bytes/,
    );
    const small = fakeFetch([new Response(JSON.stringify({ ok: 'é✓' }), { status: 200 })]);
    expect((await client({ maxBodyBytes: 1000, fetch: small.fetch }).getJson(new URL('http://vendor.test/b'), { endpoint: 'av.listing_status' })).body).toEqual({ ok: 'é✓' });
  });
});
