import { afterEach, describe, expect, it } from 'vitest';
import { ALPACA_HEADERS, startHarness, type Harness } from './test-support/harness.js';
import type { FaultContext } from './index.js';

let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((x) => x.sandbox.close()));
  open = [];
});

async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const x = await startHarness(...args);
  open.push(x);
  return x;
}

describe('startSandbox', () => {
  it('serves each vendor on its own loopback port and exports the environment', async () => {
    const x = await harness();
    const { alpacaData, alpacaTrading, polygon, finnhub, av, fmp, fred } = x.sandbox.baseUrls;
    expect(alpacaData).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(alpacaTrading).toBe(alpacaData);
    expect(finnhub).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const ports = [alpacaData, polygon, finnhub, av, fmp, fred].map((u) => new URL(u).port);
    expect(new Set(ports).size).toBe(6);
    expect(x.sandbox.env()).toEqual({
      TRADEML_ALPACA_DATA_BASE_URL: alpacaData,
      TRADEML_ALPACA_TRADING_BASE_URL: alpacaTrading,
      TRADEML_POLYGON_BASE_URL: polygon,
      TRADEML_FINNHUB_BASE_URL: finnhub,
      TRADEML_AV_BASE_URL: av,
      TRADEML_FMP_BASE_URL: fmp,
      TRADEML_FRED_BASE_URL: fred,
    });
  });

  it('counts requests by vendor and status and logs them with keys redacted', async () => {
    const x = await harness();
    await x.alpaca('/v2/assets');
    await x.alpaca('/v2/assets', {});
    await x.polygon('/v3/reference/tickers?limit=1', { key: 'SECRETKEY' });
    x.clock.advanceBy(1_000);
    await x.polygon('/nowhere', { key: 'SECRETKEY' });
    const idle = { requests: 0, byStatus: {}, rateLimited: 0 };
    expect(x.sandbox.stats()).toEqual({
      alpaca: { requests: 2, byStatus: { 200: 1, 403: 1 }, rateLimited: 0 },
      polygon: { requests: 2, byStatus: { 200: 1, 404: 1 }, rateLimited: 0 },
      finnhub: idle,
      av: idle,
      fmp: idle,
      fred: idle,
    });
    const log = x.sandbox.requestLog();
    expect(log.map((e) => [e.vendor, e.method, e.path, e.status])).toEqual([
      ['alpaca', 'GET', '/v2/assets', 200],
      ['alpaca', 'GET', '/v2/assets', 403],
      ['polygon', 'GET', '/v3/reference/tickers?limit=1&apiKey=REDACTED', 200],
      ['polygon', 'GET', '/nowhere?apiKey=REDACTED', 404],
    ]);
    expect(log[3]!.atMs - log[0]!.atMs).toBe(1_000);
    expect(JSON.stringify(log)).not.toContain('SECRETKEY');
  });

  it('applies an injected status fault before normal handling', async () => {
    const seen: FaultContext[] = [];
    const x = await harness({
      faults: (ctx) => {
        seen.push(ctx);
        return ctx.vendor === 'alpaca' && ctx.requestNumber === 2 ? { kind: 'status', status: 503, body: '<html>busy</html>', headers: { 'content-type': 'text/html', 'retry-after': '7' } } : undefined;
      },
    });
    expect((await x.alpaca('/v2/assets')).status).toBe(200);
    const faulted = await x.alpaca('/v2/assets');
    expect(faulted.status).toBe(503);
    expect(faulted.text).toBe('<html>busy</html>');
    expect(faulted.headers.get('retry-after')).toBe('7');
    expect((await x.alpaca('/v2/assets?status=active')).status).toBe(200);
    expect(seen.map((c) => [c.vendor, c.path, c.requestNumber])).toEqual([
      ['alpaca', '/v2/assets', 1],
      ['alpaca', '/v2/assets', 2],
      ['alpaca', '/v2/assets', 3],
    ]);
    expect(seen[2]!.query).toEqual({ status: 'active' });
    // The faulted request never reached the emulator: its rate window counted two requests.
    expect((await x.alpaca('/v2/assets')).headers.get('x-ratelimit-remaining')).toBe('197');
  });

  it('truncates a body to malformed JSON on a truncate fault', async () => {
    const x = await harness({ faults: (ctx) => (ctx.vendor === 'polygon' ? { kind: 'truncate' } : undefined) });
    const whole = await x.alpaca('/v2/assets');
    const cut = await x.polygon('/v3/reference/tickers?limit=5');
    expect(cut.status).toBe(200);
    expect(() => cut.json()).toThrow(SyntaxError);
    expect(whole.json<unknown[]>().length).toBeGreaterThan(0);
    expect(cut.text.startsWith('{"results":[{"ticker"')).toBe(true);
  });

  it('leaves a hung request open until the client aborts, and still closes cleanly', async () => {
    let arrived!: () => void;
    const hangSeen = new Promise<void>((resolve) => (arrived = resolve));
    const x = await harness({
      faults: (ctx) => {
        if (ctx.query.hang !== '1') return undefined;
        arrived();
        return { kind: 'hang' };
      },
    });
    const controller = new AbortController();
    const hung = fetch(`${x.sandbox.baseUrls.alpacaData}/v2/assets?hang=1`, { headers: ALPACA_HEADERS, signal: controller.signal });
    await hangSeen;
    const answered = await x.alpaca('/v2/assets');
    expect(answered.status).toBe(200);
    controller.abort();
    await expect(hung).rejects.toThrow();
    expect(x.sandbox.requestLog().map((e) => e.status)).toEqual([0, 200]);
  });

  it('closes with a request still hanging', async () => {
    let arrived!: () => void;
    const hangSeen = new Promise<void>((resolve) => (arrived = resolve));
    const x = await harness({
      faults: () => {
        arrived();
        return { kind: 'hang' };
      },
    });
    const hung = fetch(`${x.sandbox.baseUrls.polygon}/v3/reference/tickers?apiKey=k`).catch((error: unknown) => error);
    await hangSeen;
    await x.sandbox.close();
    expect(await hung).toBeInstanceOf(Error);
    open = [];
  });

  it('binds fixed ports when asked', async () => {
    const probe = await harness();
    const port = Number(new URL(probe.sandbox.baseUrls.alpacaData).port);
    await probe.sandbox.close();
    open = [];
    const x = await harness({ ports: { alpaca: port } });
    expect(x.sandbox.baseUrls.alpacaData).toBe(`http://127.0.0.1:${port}`);
  });
});
