import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMarket, adjustedClosesOf } from '../src/sandbox/index.js';
import { readCurated } from '../src/ssot/index.js';
import { addDays, sessionDatesBetween } from '../src/calendar/index.js';
import { DEMO_CREDENTIALS, type DemoSummary } from '../src/cli/demo.js';
import { describeBackends, storageSecrets, type ProvisionedBackend } from './support/backends.js';
import { lastJson, removeDir, runCli, tempDir } from './support/cli.js';

const AS_OF = '2026-11-20';
const SECRETS = [DEMO_CREDENTIALS.alpaca.keyId, DEMO_CREDENTIALS.alpaca.secretKey, DEMO_CREDENTIALS.polygon.apiKey];

describeBackends('trademl demo (defaults: 300 symbols, the last two years)', (backend) => {
  let storage: ProvisionedBackend;
  let dataDir: string;
  let summary: DemoSummary;
  let output: string;

  beforeAll(async () => {
    storage = await backend.provision();
    dataDir = await tempDir('demo-full');
    const result = await runCli(['demo', '--json', '--data-dir', dataDir, '--as-of', AS_OF], { env: storage.env });
    output = result.stdout + result.stderr;
    expect(result.code, result.stderr).toBe(0);
    summary = lastJson<DemoSummary>(result.stdout);
  }, 900_000);

  afterAll(async () => {
    await removeDir(dataDir);
    await storage?.dispose();
  });

  it('reaches at least 98% GREEN with zero 429 responses from either vendor', () => {
    expect(summary.window.end).toBe('2026-11-19');
    expect(summary.ledger.sessions).toBeGreaterThan(490);
    expect(summary.ledger.greenRatio).toBeGreaterThanOrEqual(0.98);
    for (const vendor of summary.vendors) {
      expect(vendor.rateLimited, vendor.vendor).toBe(0);
      expect(vendor.byStatus['429'] ?? 0).toBe(0);
      expect(vendor.requests).toBeGreaterThan(0);
      expect(vendor.unitsDead).toBe(0);
    }
  });

  it('uses the bulk endpoints: Alpaca multi-symbol pages, one Polygon grouped-daily call per session', () => {
    const alpaca = summary.vendors.find((v) => v.vendor === 'alpaca');
    const polygon = summary.vendors.find((v) => v.vendor === 'polygon');
    // ~150k daily bars at 10,000 a page; per-symbol calls would be ~300.
    expect(alpaca?.byRoute['/v2/stocks/bars?timeframe=1Day']).toBeLessThan(30);
    // one grouped-daily request per session inside Polygon's rolling 730-day window.
    const polygonSessions = sessionDatesBetween(addDays(AS_OF, -729), summary.window.end).length;
    expect(polygonSessions).toBeLessThan(summary.ledger.sessions);
    expect(polygon?.byRoute['/v2/aggs/grouped/locale/us/market/stocks/:date']).toBe(polygonSessions);
    // Every other task ran too: minute bars, option chains, FRED, Alpha Vantage, FMP.
    expect(alpaca?.byRoute['/v2/stocks/bars?timeframe=1Min']).toBeGreaterThan(0);
    expect(alpaca?.byRoute['/v1beta1/options/snapshots/:symbol']).toBeGreaterThan(0);
    for (const dataset of ['equities_minute', 'options_chain', 'treasuries', 'macro_series', 'delistings', 'symbols'] as const) {
      expect(summary.datasets[dataset]?.greenRatio, dataset).toBeGreaterThanOrEqual(0.98);
    }
    // Alpaca (the primary) covers every session and feeds the whole curated table; Polygon misses only
    // the session its free window does not reach.
    expect(alpaca?.rawRows).toBe(summary.curated.rows);
    expect((alpaca?.rawRows ?? 0) - (polygon?.rawRows ?? 0)).toBeGreaterThan(0);
    expect((alpaca?.rawRows ?? 0) - (polygon?.rawRows ?? 0)).toBeLessThanOrEqual(summary.universe);
  });

  it('curates adj_close equal to the sandbox ground truth exactly, across forward and reverse splits and dividends', async () => {
    const market = createMarket({ seed: 42, symbols: 300, start: addDays(AS_OF, -3 * 365 - 7), end: AS_OF });
    const end = summary.window.end;
    const lake = await storage.openLake(dataDir);
    try {
      const curated = await readCurated(lake);
      const bySymbol = new Map<string, Map<string, number>>();
      for (const row of curated) {
        const dates = bySymbol.get(row.symbol) ?? new Map<string, number>();
        dates.set(row.date, row.adj_close);
        bySymbol.set(row.symbol, dates);
      }
      let compared = 0;
      const kinds = { forward: 0, reverse: 0, dividend: 0 };
      for (const [symbol, dates] of bySymbol) {
        const inWindow = (d: string): boolean => d >= summary.window.start && d <= end;
        const splits = market.splitsOf(symbol).filter((s) => s.exDate <= end);
        const dividends = market.dividendsOf(symbol).filter((d) => d.exDate <= end);
        for (const s of splits.filter((x) => inWindow(x.exDate))) s.newShares > s.oldShares ? (kinds.forward += 1) : (kinds.reverse += 1);
        kinds.dividend += dividends.filter((d) => inWindow(d.exDate)).length;
        const truth = adjustedClosesOf(market.barsOf(symbol).filter((b) => b.date <= end), splits, dividends);
        for (const { date, adjClose } of truth) {
          if (!inWindow(date)) continue;
          expect(dates.get(date), `${symbol} ${date}`).toBe(adjClose);
          compared += 1;
        }
      }
      expect(compared).toBe(curated.length);
      expect(kinds.forward).toBeGreaterThan(0);
      expect(kinds.reverse).toBeGreaterThan(0);
      expect(kinds.dividend).toBeGreaterThan(10);
    } finally {
      await lake.close();
    }
  });

  it('leaks no key (nor the storage credentials) into output, Parquet, state or any other stored object', async () => {
    const secrets = [...SECRETS, ...storageSecrets(storage.env)];
    for (const secret of secrets) expect(output).not.toContain(secret);
    const objects = await storage.storedObjects(dataDir);
    expect(objects.some((o) => o.key.endsWith('.parquet'))).toBe(true);
    for (const { key, bytes } of objects) {
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 6)}… in ${key}`).toBe(false);
    }
    const state = await storage.stateText(dataDir);
    expect(state.length).toBeGreaterThan(100);
    for (const secret of secrets) expect(state.includes(secret), `${secret.slice(0, 6)}… in the state store`).toBe(false);
  });

  it('a second run resumes a finished demo with zero vendor calls and the same curated content', async () => {
    const again = await runCli(['demo', '--json', '--data-dir', dataDir], { env: storage.env });
    expect(again.code, again.stderr).toBe(0);
    const second = lastJson<DemoSummary>(again.stdout);
    for (const vendor of second.vendors) expect(vendor.requests, vendor.vendor).toBe(0);
    expect(second.curated.contentHash).toBe(summary.curated.contentHash);
    expect(second.curated.filesWritten).toBe(0);
  });
});
