import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS, type VendorId } from '../src/catalog/index.js';
import { DEMO_CREDENTIALS } from '../src/cli/demo.js';
import { defaultStateUrl } from '../src/cli/runtime.js';
import { systemClock } from '../src/clock/index.js';
import { Lake } from '../src/lake/index.js';
import { budgetDay } from '../src/pacing/index.js';
import { readLedger } from '../src/ssot/index.js';
import { openStateStore } from '../src/state/index.js';
import { REPO, removeDir, runCli, shortWindowConfigs, startCli, tempDir } from './support/cli.js';

const CHROMIUM = process.env.TRADEML_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`dashboard browser test SKIPPED: ${CHROMIUM} is not installed (Debian package "chromium"; CI installs it with scripts/ci/chromium.sh)`);
}
const SCREENSHOT = path.join(REPO, 'test-artifacts', 'dashboard.png');
const SECRETS = [DEMO_CREDENTIALS.alpaca.keyId, DEMO_CREDENTIALS.alpaca.secretKey, DEMO_CREDENTIALS.polygon.apiKey];
/** The demo's keys configured in the dashboard's environment, as an operator's real keys would be. */
const KEY_ENV = {
  ALPACA_API_KEY_ID: DEMO_CREDENTIALS.alpaca.keyId,
  ALPACA_API_SECRET_KEY: DEMO_CREDENTIALS.alpaca.secretKey,
  POLYGON_API_KEY: DEMO_CREDENTIALS.polygon.apiKey,
};

let configs: string;
let dataDir: string;
let server: ReturnType<typeof startCli>;
let url: string;
let asOfMs: number;

beforeAll(async () => {
  configs = await shortWindowConfigs(90);
  dataDir = await tempDir('dashboard');
  const demo = await runCli(['demo', '--json', '--config-dir', configs, '--data-dir', dataDir, '--symbols', '60', '--as-of', '2026-11-20']);
  expect(demo.code, demo.stderr).toBe(0);
  const state = await openStateStore(defaultStateUrl(dataDir));
  try {
    asOfMs = Number(await state.getBookmark('demo.virtual_now'));
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
  server = startCli(['serve', '--json', '--port', '0', '--config-dir', configs, '--data-dir', dataDir], { env: KEY_ENV });
  url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    server.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void server.done.then((r) => reject(new Error(`trademl serve exited early: ${r.stderr}`)));
  });
}, 120_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  const exit = await server?.done;
  expect(exit?.code).toBe(0);
  await Promise.all([removeDir(configs), removeDir(dataDir)]);
});

async function ledgerCells(): Promise<string[][]> {
  const lake = await Lake.open({ root: dataDir, clock: systemClock });
  try {
    return (await readLedger(lake, 'equities_eod')).map((r) => [r.date, r.status, String(r.rows), String(r.expected_rows)]).sort();
  } finally {
    await lake.close();
  }
}

async function spentOnDemoDay(): Promise<Record<VendorId, number>> {
  const state = await openStateStore(defaultStateUrl(dataDir));
  try {
    const day = budgetDay(asOfMs);
    return Object.fromEntries(await Promise.all(VENDORS.map(async (v) => [v, await state.getSpend(v, day)] as const))) as Record<VendorId, number>;
  } finally {
    await state.close();
  }
}

describe('trademl serve on a demo run', () => {
  it.skipIf(!HAVE_CHROMIUM)('chromium shows one heatmap cell per ledger row and the vendor panel of the state store', async () => {
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);

      const cells = await page.$$eval('svg.heatmap rect.cell', (rects) =>
        rects.map((r) => [r.getAttribute('data-date'), r.getAttribute('data-status'), r.getAttribute('data-rows'), r.getAttribute('data-expected')] as string[]),
      );
      const ledger = await ledgerCells();
      expect(ledger.length).toBeGreaterThan(50);
      expect(cells.sort()).toEqual(ledger);

      const vendors = await page.$$eval('#vendors tr[data-vendor]', (rows) => rows.map((r) => [r.getAttribute('data-vendor'), Number(r.getAttribute('data-spent'))] as [string, number]));
      const spent = await spentOnDemoDay();
      expect(vendors).toEqual(VENDORS.map((v) => [v, spent[v]]));
      expect(spent.alpaca).toBeGreaterThan(0);
      expect(spent.polygon).toBeGreaterThan(0);

      // Clicking a cell shows its figures.
      const first = ledger[0] as string[];
      await page.click(`rect.cell[data-date="${first[0]}"]`);
      expect(await page.textContent('#detail')).toContain(`${first[0]}  ${first[1]}  rows ${first[2]} / expected ${first[3]}`);

      const html = await page.content();
      for (const secret of SECRETS) expect(html).not.toContain(secret);
      expect(await page.textContent('#problems')).toContain('apiKey=***');

      await mkdir(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('no page or API response contains any configured key, though the run log holds them', async () => {
    const paths = ['', '?since=2026-10-01', 'api/status', 'api/coverage', 'api/coverage?since=2026-11-01', 'api/vendors', 'api/queue', 'api/log', 'api/log?level=error&limit=500', 'api/freshness', 'no-such-page'];
    let checked = 0;
    for (const p of paths) {
      const text = await (await fetch(`${url}${p}`)).text();
      expect(text.length, p).toBeGreaterThan(0);
      for (const secret of SECRETS) expect(text.split(secret).length - 1, `/${p} shows a key`).toBe(0);
      checked += 1;
    }
    expect(checked).toBe(paths.length);
    const log = (await (await fetch(`${url}api/log?level=error`)).json()) as { entries: { event: string; detail: { error: string } }[] };
    expect(log.entries[0]?.event).toBe('unit.failed');
    expect(log.entries[0]?.detail.error).toBe('403 for https://api.polygon.io/v2/aggs?apiKey=***');
  });
});
