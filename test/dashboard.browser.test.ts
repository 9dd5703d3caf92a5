import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATASET_NAMES, VENDORS, type LedgerRow, type VendorId } from '../src/catalog/index.js';
import { DEMO_CREDENTIALS, demoSecrets } from '../src/cli/demo.js';
import { pacerLimits } from '../src/cli/runtime.js';
import { loadConfig } from '../src/config/index.js';
import { addDays, nyDate } from '../src/calendar/index.js';
import { PAGE_DAYS } from '../src/web/index.js';
import { budgetDay } from '../src/pacing/index.js';
import { readLedger, writeLedger } from '../src/ssot/index.js';
import { describeBackends, storageSecrets, type E2eBackend, type ProvisionedBackend } from './support/backends.js';
import { REPO, removeDir, runCli, shortWindowConfigs, startCli, tempDir, withoutMinuteBars } from './support/cli.js';

const CHROMIUM = process.env.TRADEML_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`dashboard browser test SKIPPED: ${CHROMIUM} is not installed (Debian package "chromium"; CI installs it with scripts/ci/chromium.sh)`);
}
const SCREENSHOT = path.join(REPO, 'test-artifacts', 'dashboard.png');
/** Every vendor's demo key: the demo configures all six against the sandbox. */
const SECRETS = demoSecrets();
/** The demo's keys configured in the dashboard's environment, as an operator's real keys would be. */
const KEY_ENV = {
  ALPACA_API_KEY_ID: DEMO_CREDENTIALS.alpaca.keyId,
  ALPACA_API_SECRET_KEY: DEMO_CREDENTIALS.alpaca.secretKey,
  POLYGON_API_KEY: DEMO_CREDENTIALS.polygon.apiKey,
};

let configs: string;

/** A demo on one backend, served by `trademl serve` from the same storage. */
interface Served {
  storage: ProvisionedBackend;
  dataDir: string;
  server: ReturnType<typeof startCli>;
  url: string;
  asOfMs: number;
}

beforeAll(async () => {
  configs = await withoutMinuteBars(await shortWindowConfigs(90));
});
afterAll(async () => {
  await removeDir(configs);
});

async function serveDemo(backend: E2eBackend): Promise<Served> {
  const storage = await backend.provision();
  const dataDir = await tempDir('dashboard');
  const demo = await runCli(['demo', '--json', '--config-dir', configs, '--data-dir', dataDir, '--symbols', '60', '--as-of', '2026-11-20'], { env: storage.env });
  expect(demo.code, demo.stderr).toBe(0);
  await addOtherDatasets(storage, dataDir);
  const state = await storage.openState(dataDir);
  let asOfMs: number;
  try {
    asOfMs = Number(await state.getBookmark('demo.virtual_now'));
    // A freeze and a refused endpoint, as the executor records them: the vendor panel must show both.
    await state.setVendorHealth({ vendor: 'polygon', frozenUntilMs: asOfMs + 10 * 60_000, reason: 'RateLimited: 429 from polygon', consecutiveErrors: 2, updatedAtMs: asOfMs });
    await state.setCapabilityStatus({ vendor: 'finnhub', endpoint: 'finnhub.candle.daily', status: 'denied', reason: 'EntitlementDenied: premium endpoint', untilMs: null, updatedAtMs: asOfMs });
    // A careless log line holding every key: the dashboard must still show none of them.
    await state.appendLog({
      atMs: asOfMs,
      level: 'error',
      event: 'unit.failed',
      vendor: 'polygon',
      detail: { error: `403 for https://api.polygon.io/v2/aggs?apiKey=${DEMO_CREDENTIALS.polygon.apiKey}`, headers: `APCA-API-KEY-ID ${DEMO_CREDENTIALS.alpaca.keyId} secret ${DEMO_CREDENTIALS.alpaca.secretKey}` },
    });
  } finally {
    await state.close();
  }
  const server = startCli(['serve', '--json', '--port', '0', '--config-dir', configs, '--data-dir', dataDir], { env: { ...KEY_ENV, ...storage.env } });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    server.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void server.done.then((r) => reject(new Error(`trademl serve exited early: ${r.stderr}`)));
  });
  return { storage, dataDir, server, url, asOfMs };
}

/**
 * Ledger rows of two more datasets in the same qc/partition_status.parquet, as their audits write
 * them, so the page must draw one band per dataset.
 */
async function addOtherDatasets(storage: ProvisionedBackend, dataDir: string): Promise<void> {
  const lake = await storage.openLake(dataDir);
  try {
    const sessions = (await readLedger(lake, 'equities_eod')).map((r) => r.date).slice(-15);
    const row = (dataset: string, date: string, i: number): LedgerRow => {
      const status = i % 7 === 3 ? 'RED' : i % 5 === 1 ? 'AMBER' : dataset === 'options_chain' && i < 4 ? 'UNAVAILABLE' : 'GREEN';
      const rows = status === 'GREEN' ? 390 : status === 'AMBER' ? 200 : 0;
      const reason = status === 'UNAVAILABLE' ? 'finnhub.option_chain: EntitlementDenied' : status === 'GREEN' ? 'complete' : 'missing rows';
      return { dataset, date, status, rows, expected_rows: 390, ratio: rows / 390, vendor_rows: rows ? `{"alpaca":${rows}}` : '{}', reason, audited_at: `${date}T21:00:00.000Z` };
    };
    await writeLedger(lake, sessions.map((d, i) => row('equities_minute', d, i)));
    await writeLedger(lake, sessions.slice(-8).map((d, i) => row('options_chain', d, i)));
  } finally {
    await lake.close();
  }
}

async function ledgerCells({ storage, dataDir, asOfMs }: Served): Promise<string[][]> {
  const lake = await storage.openLake(dataDir);
  try {
    // The page draws the last PAGE_DAYS calendar days before the server's clock (the demo's as-of) by default.
    const since = addDays(nyDate(asOfMs), -PAGE_DAYS);
    return (await readLedger(lake)).filter((r) => r.date >= since).map((r) => [r.dataset, r.date, r.status, String(r.rows), String(r.expected_rows)]).sort();
  } finally {
    await lake.close();
  }
}

async function minuteBucketAtDemoEnd({ storage, dataDir, asOfMs }: Served): Promise<Record<VendorId, number>> {
  const state = await storage.openState(dataDir);
  try {
    return Object.fromEntries(await Promise.all(VENDORS.map(async (v) => [v, (await state.recentRequests(v, asOfMs - 60_000)).filter((at) => at <= asOfMs).length] as const))) as Record<VendorId, number>;
  } finally {
    await state.close();
  }
}

async function spentOnDemoDay({ storage, dataDir, asOfMs }: Served): Promise<Record<VendorId, number>> {
  const state = await storage.openState(dataDir);
  try {
    const day = budgetDay(asOfMs);
    return Object.fromEntries(await Promise.all(VENDORS.map(async (v) => [v, await state.getSpend(v, day)] as const))) as Record<VendorId, number>;
  } finally {
    await state.close();
  }
}

describeBackends('trademl serve on a demo run', (backend) => {
  let served: Served;
  beforeAll(async () => {
    served = await serveDemo(backend);
  }, 300_000);
  afterAll(async () => {
    served?.server.child.kill('SIGTERM');
    const exit = await served?.server.done;
    expect(exit?.code).toBe(0);
    await Promise.all([served && removeDir(served.dataDir), served?.storage.dispose()]);
  });

  it.skipIf(!HAVE_CHROMIUM)('chromium shows one heatmap cell per ledger row and the vendor panel of the state store', async () => {
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const { url, asOfMs } = served;
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);

      // Every ledger row of every dataset is one cell of its dataset's band.
      const cells = await page.$$eval('svg.heatmap rect.cell', (rects) =>
        rects.map((r) => [r.closest('svg')?.getAttribute('data-dataset'), r.getAttribute('data-date'), r.getAttribute('data-status'), r.getAttribute('data-rows'), r.getAttribute('data-expected')] as string[]),
      );
      const ledger = await ledgerCells(served);
      expect(ledger.length).toBeGreaterThan(50);
      expect(cells.sort()).toEqual(ledger);
      // One band per dataset the ledger holds (the demo audits every dataset), in catalog order.
      const present = new Set(ledger.map((c) => c[0]));
      const bands = DATASET_NAMES.filter((d) => present.has(d));
      expect(bands).toEqual(expect.arrayContaining(['equities_eod', 'equities_minute', 'options_chain']));
      expect(await page.$$eval('div.band', (els) => els.map((b) => b.getAttribute('data-dataset')))).toEqual(bands);
      const colors = await page.$$eval('svg.heatmap rect.cell', (rects) => [...new Set(rects.map((r) => `${r.getAttribute('data-status')} ${r.getAttribute('fill')}`))].sort());
      expect(colors).toEqual(expect.arrayContaining(['AMBER #d4a72c', 'GREEN #2da44e', 'RED #cf222e', 'UNAVAILABLE #8250df']));
      // A session sits in the same column in every band.
      const xOf = (dataset: string, date: string) => page.getAttribute(`svg[data-dataset="${dataset}"] rect.cell[data-date="${date}"]`, 'x');
      const shared = ledger.filter((c) => c[0] === 'options_chain')[0]?.[1] as string;
      expect(await xOf('options_chain', shared)).toBe(await xOf('equities_eod', shared));
      expect(await xOf('equities_minute', shared)).toBe(await xOf('equities_eod', shared));

      // The vendor panel: spend today, budget, the minute bucket against rpm, freezes and refusals.
      const config = await loadConfig(configs);
      const limits = pacerLimits(config, [...VENDORS]);
      const vendors = await page.$$eval('#vendors tr[data-vendor]', (rows) =>
        rows.map((r) => [r.getAttribute('data-vendor'), Number(r.getAttribute('data-spent')), r.getAttribute('data-budget'), Number(r.getAttribute('data-minute')), r.getAttribute('data-rpm')] as [string, number, string, number, string]),
      );
      const spent = await spentOnDemoDay(served);
      const minute = await minuteBucketAtDemoEnd(served);
      expect(vendors).toEqual(VENDORS.map((v) => [v, spent[v], String(limits[v]?.dailyBudget ?? ''), minute[v], String(limits[v]?.rpm ?? '')]));
      expect(spent.alpaca).toBeGreaterThan(0);
      expect(spent.polygon).toBeGreaterThan(0);
      const polygonRow = await page.textContent('#vendors tr[data-vendor="polygon"]');
      expect(polygonRow).toContain(`until ${new Date(asOfMs + 10 * 60_000).toISOString()}`);
      expect(polygonRow).toContain('RateLimited: 429 from polygon');
      expect(await page.textContent('#vendors tr[data-vendor="alpaca"]')).not.toContain('until');
      expect(await page.textContent('#vendors tr[data-vendor="finnhub"] td.denied')).toContain('finnhub.candle.daily');

      // Hovering a cell shows its figures in the tooltip; clicking shows them below the legend.
      const first = ledger.find((c) => c[0] === 'equities_eod') as string[];
      const tip = await page.textContent(`svg[data-dataset="equities_eod"] rect.cell[data-date="${first[1]}"] title`);
      expect(tip).toContain(`${first[1]} ${first[2]}: ${first[3]}/${first[4]} rows`);
      await page.click(`svg[data-dataset="equities_eod"] rect.cell[data-date="${first[1]}"]`);
      expect(await page.textContent('#detail')).toContain(`equities_eod  ${first[1]}  ${first[2]}  rows ${first[3]} / expected ${first[4]}`);
      const unavailable = ledger.find((c) => c[0] === 'options_chain' && c[2] === 'UNAVAILABLE') as string[];
      await page.click(`svg[data-dataset="${unavailable[0]}"] rect.cell[data-date="${unavailable[1]}"]`);
      expect(await page.textContent('#detail')).toContain(`options_chain  ${unavailable[1]}  UNAVAILABLE  rows 0 / expected 390  reason: finnhub.option_chain: EntitlementDenied`);
      // The datasets table: how far each dataset's GREEN sessions reach.
      expect(await page.$$eval('#datasets tr[data-dataset]', (rows) => rows.map((r) => r.getAttribute('data-dataset')))).toEqual(bands);

      // Light enough for a Raspberry Pi: one request, no script or style files, no framework.
      const bytes = (await response?.body())?.length ?? 0;
      expect(bytes).toBeGreaterThan(10_000);
      // What a Pi downloads: the server gzips every response.
      expect(gzipSync((await response?.body()) ?? Buffer.alloc(0)).length).toBeLessThan(200_000);
      expect(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))).toEqual([]);

      const html = await page.content();
      for (const secret of SECRETS) expect(html).not.toContain(secret);
      expect(await page.textContent('#problems')).toContain('apiKey=***');

      for (const secret of storageSecrets(served.storage.env)) expect(html).not.toContain(secret);
      const screenshot = backend.name === 'sqlite+file' ? SCREENSHOT : SCREENSHOT.replace(/\.png$/, '-postgres-s3.png');
      await mkdir(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(existsSync(screenshot)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('no page or API response contains any configured key, though the run log holds them', async () => {
    const { url } = served;
    const paths = ['', '?since=2026-10-01', '?dataset=options_chain', 'api/status', 'api/datasets', 'api/coverage', 'api/coverage?since=2026-11-01', 'api/vendors', 'api/queue', 'api/log', 'api/log?level=error&limit=500', 'api/freshness', 'no-such-page'];
    let checked = 0;
    for (const p of paths) {
      const text = await (await fetch(`${url}${p}`)).text();
      expect(text.length, p).toBeGreaterThan(0);
      for (const secret of [...SECRETS, ...storageSecrets(served.storage.env)]) expect(text.split(secret).length - 1, `/${p} shows a key`).toBe(0);
      checked += 1;
    }
    expect(checked).toBe(paths.length);
    const log = (await (await fetch(`${url}api/log?level=error`)).json()) as { entries: { event: string; detail: { error: string } }[] };
    expect(log.entries[0]?.event).toBe('unit.failed');
    expect(log.entries[0]?.detail.error).toBe('403 for https://api.polygon.io/v2/aggs?apiKey=***');
  });
});
