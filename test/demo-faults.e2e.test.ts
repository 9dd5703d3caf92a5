import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMarket, type FaultInjector } from '../src/sandbox/index.js';
import { addDays } from '../src/calendar/index.js';
import { DEMO_CREDENTIALS, runDemo, type DemoSummary } from '../src/cli/demo.js';
import { describeBackends, type ProvisionedBackend } from './support/backends.js';
import { removeDir, shortWindowConfigs, tempDir } from './support/cli.js';

const AS_OF = '2026-11-20';
const SECRETS = [DEMO_CREDENTIALS.alpaca.keyId, DEMO_CREDENTIALS.alpaca.secretKey, DEMO_CREDENTIALS.polygon.apiKey];
let injected: string[] = [];

/**
 * Vendor error bodies and malformed payloads on chosen requests: Polygon answers two grouped-daily
 * calls with a truncated body and one with an HTML 502 page; Alpaca answers its first bars page with
 * a schema-drifted body (a retyped field) and the next with a 503.
 */
let alpacaBarsRequests = 0;
/** One run's injector (fresh counters per backend). */
const faults: FaultInjector = (ctx) => {
  const tag = `${ctx.vendor}#${ctx.requestNumber}`;
  if (ctx.vendor === 'alpaca' && ctx.path === '/v2/stocks/bars') alpacaBarsRequests += 1;
  if (ctx.vendor === 'polygon' && ctx.path.includes('/grouped/') && [10, 11].includes(ctx.requestNumber)) {
    injected.push(`${tag} truncate`);
    return { kind: 'truncate' };
  }
  if (ctx.vendor === 'polygon' && ctx.path.includes('/grouped/') && ctx.requestNumber === 20) {
    injected.push(`${tag} 502`);
    return { kind: 'status', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } };
  }
  if (ctx.vendor === 'alpaca' && ctx.path === '/v2/stocks/bars' && alpacaBarsRequests === 1) {
    injected.push(`alpaca bars#1 drift`);
    return { kind: 'status', status: 200, body: JSON.stringify({ bars: { AAA: [{ t: '2026-06-01T04:00:00Z', o: 'ten', h: 1, l: 1, c: 1, v: 1 }] }, next_page_token: null }) };
  }
  if (ctx.vendor === 'alpaca' && ctx.path === '/v2/stocks/bars' && alpacaBarsRequests === 2) {
    injected.push(`alpaca bars#2 503`);
    return { kind: 'status', status: 503, body: 'Service Unavailable' };
  }
  return undefined;
};

describeBackends('demo under vendor error bodies and malformed payloads', (backend) => {
  let storage: ProvisionedBackend;
  let configs: string;
  let dataDir: string;
  let summary: DemoSummary;

  beforeAll(async () => {
    storage = await backend.provision();
    configs = await shortWindowConfigs(120);
    dataDir = await tempDir('demo-faults');
    injected = [];
    alpacaBarsRequests = 0;
    summary = (await runDemo({ dataDir, configDir: configs, params: { asOf: AS_OF, symbols: 120, seed: 7 }, fresh: false, faults, env: storage.env })).summary;
  }, 900_000);
  afterAll(async () => {
    await Promise.all([removeDir(configs), removeDir(dataDir), storage?.dispose()]);
  });

  it('injected every fault and still reached GREEN with every unit done', () => {
    expect([...injected].sort()).toEqual(['alpaca bars#1 drift', 'alpaca bars#2 503', 'polygon#10 truncate', 'polygon#11 truncate', 'polygon#20 502']);
    expect(summary.ledger.greenRatio).toBe(1);
    for (const vendor of summary.vendors) expect(vendor.unitsDead, vendor.vendor).toBe(0);
  });

  it('quarantined each malformed payload with its reason, and no key', async () => {
    const lake = await storage.openLake(dataDir);
    const objects = new Map((await storage.storedObjects(dataDir)).map((o) => [o.key, o.bytes]));
    try {
      const quarantined = await lake.listQuarantine();
      expect(quarantined.map((q) => `${q.vendor}:${q.endpoint}`).sort()).toEqual([
        'alpaca:alpaca.bars',
        'polygon:polygon.aggs.grouped_daily',
        'polygon:polygon.aggs.grouped_daily',
      ]);
      for (const entry of quarantined) {
        expect(entry.reason.length).toBeGreaterThan(5);
        const text = objects.get(entry.path)?.toString('utf8') ?? '';
        expect(text.length, entry.path).toBeGreaterThan(0);
        for (const secret of SECRETS) expect(text).not.toContain(secret);
      }
      expect(quarantined.find((q) => q.vendor === 'alpaca')?.reason).toMatch(/o/);
    } finally {
      await lake.close();
    }
  });

  it('lost nothing and half-wrote nothing: every session holds exactly the market bars, per vendor', async () => {
    const market = createMarket({ seed: 7, symbols: 120, start: addDays(AS_OF, -3 * 365 - 7), end: AS_OF });
    const lake = await storage.openLake(dataDir);
    try {
      for (const vendor of ['alpaca', 'polygon'] as const) {
        const rows = await lake.readRaw('equities_eod', { vendors: [vendor], start: summary.window.start, end: summary.window.end });
        const byDate = new Map<string, number>();
        for (const row of rows) byDate.set(row.date, (byDate.get(row.date) ?? 0) + 1);
        for (const [date, count] of byDate) expect(count, `${vendor} ${date}`).toBe(market.barsOn(date).length);
        for (const row of rows) {
          const truth = market.bar(row.symbol, row.date);
          expect(row.close).toBe(truth?.close);
        }
      }
    } finally {
      await lake.close();
    }
  });

  it('recorded each failure in the run log with a message a person can act on', async () => {
    const state = await storage.openState(dataDir);
    try {
      const failures = await state.recentLog(100, { event: 'unit.failed' });
      const messages = failures.map((f) => String(f.detail?.error));
      expect(messages.some((m) => /polygon\.aggs\.grouped_daily HTTP 200: malformed response/.test(m))).toBe(true);
      expect(messages.some((m) => /alpaca\.bars HTTP 200: malformed response/.test(m))).toBe(true);
      for (const message of messages) for (const secret of SECRETS) expect(message).not.toContain(secret);
    } finally {
      await state.close();
    }
  });
});
