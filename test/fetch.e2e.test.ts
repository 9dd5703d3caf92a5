import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, nyDate, sessionDatesBetween } from '../src/calendar/index.js';
import { systemClock } from '../src/clock/index.js';
import type { CorpActionRow, EquityBarRow, SymbolRow } from '../src/catalog/index.js';
import { createMarket, startSandbox, type Market, type Sandbox } from '../src/sandbox/index.js';
import { backends } from './support/backends.js';
import { removeDir, runCli, shortWindowConfigs, tempDir } from './support/cli.js';

const KEYS = { ALPACA_API_KEY_ID: 'PKTESTKEY123456789', ALPACA_API_SECRET_KEY: 'test-secret-abcdef0123456789', POLYGON_API_KEY: 'TESTPOLYKEY0123456789' };
let market: Market;
let sandbox: Sandbox;
let configs: string;
const dirs: string[] = [];
const today = nyDate(Date.now());

beforeAll(async () => {
  market = createMarket({ seed: 11, symbols: 40, start: addDays(today, -700), end: today });
  sandbox = await startSandbox({
    clock: systemClock,
    market,
    credentials: { alpaca: { keyId: KEYS.ALPACA_API_KEY_ID, secretKey: KEYS.ALPACA_API_SECRET_KEY }, polygon: { apiKey: KEYS.POLYGON_API_KEY } },
    plans: { polygon: { requestsPerMinute: Number.POSITIVE_INFINITY } },
  });
  // The real Polygon pacing (12 s between calls) would make this test wait in real time.
  configs = await shortWindowConfigs(30);
  const endpoints = path.join(configs, 'endpoints.yml');
  await writeFile(endpoints, (await readFile(endpoints, 'utf8')).replace(/rpm: 5\b/, 'rpm: 600').replace(/min_interval_ms: 12\d{3}/, 'min_interval_ms: 0'));
});
afterAll(async () => {
  await sandbox.close();
  await Promise.all([removeDir(configs), ...dirs.map(removeDir)]);
});

async function fetchCli(args: string[], env: Record<string, string> = { ...sandbox.env(), ...KEYS }) {
  const dataDir = await tempDir('fetch');
  dirs.push(dataDir);
  const result = await runCli(['fetch', ...args, '--config-dir', configs, '--data-dir', dataDir], { env });
  for (const secret of Object.values(KEYS)) expect(result.stdout + result.stderr).not.toContain(secret);
  return { ...result, dataDir, rows: result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('trademl fetch against the sandbox on loopback', () => {
  it('alpaca equities_eod: every page of a multi-symbol window, values equal to the market', async () => {
    const symbols = market.symbols.filter((s) => s.delistDate === null).map((s) => s.symbol);
    const start = addDays(today, -600);
    const end = addDays(today, -5);
    const result = await fetchCli(['alpaca', 'equities_eod', '--symbols', symbols.join(','), '--start', start, '--end', end, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.rows as unknown as EquityBarRow[];
    const expected = symbols.flatMap((s) => market.barsOf(s).filter((b) => b.date >= start && b.date <= end));
    expect(expected.length).toBeGreaterThan(10_000); // more than one 10,000-bar page
    expect(rows.length).toBe(expected.length);
    const sample = rows[rows.length - 1] as EquityBarRow;
    expect(sample.close).toBe(market.bar(sample.symbol, sample.date)?.close);
    expect(sample).toMatchObject({ source_name: 'alpaca', feed: 'sip', adjusted: false });
    expect(sample.source_uri).toContain('/v2/stocks/bars');
    expect(sandbox.requestLog().filter((r) => r.path.startsWith('/v2/stocks/bars')).length).toBeGreaterThanOrEqual(2);
  });

  it('polygon symbols: active and delisted tickers, survivorship-free', async () => {
    const result = await fetchCli(['massive', 'symbols', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.rows as unknown as SymbolRow[];
    expect(rows.filter((r) => r.status === 'delisted').length).toBe(market.symbols.filter((s) => s.delistDate !== null && s.delistDate <= today).length);
    expect(new Set(rows.map((r) => r.symbol)).size).toBe(market.symbols.filter((s) => s.listDate <= today).length);
  });

  it('alpaca corp_actions: the market splits and dividends of the window as canonical rows', async () => {
    const start = addDays(today, -400);
    const end = addDays(today, -40);
    const result = await fetchCli(['alpaca', 'corp_actions', '--start', start, '--end', end, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.rows as unknown as CorpActionRow[];
    const splits = market.splits.filter((s) => s.exDate >= start && s.exDate <= end);
    expect(rows.filter((r) => r.action === 'split').length).toBe(splits.length);
    for (const split of splits) {
      const row = rows.find((r) => r.action === 'split' && r.symbol === split.symbol && r.ex_date === split.exDate);
      expect(row?.split_ratio).toBe(split.newShares / split.oldShares);
    }
    expect(rows.filter((r) => r.action === 'dividend').length).toBe(market.dividends.filter((d) => d.exDate >= start && d.exDate <= end).length);
  });

  it('a refused key: the CLI error object names the class, vendor and status, and never the key', async () => {
    const result = await fetchCli(['polygon', 'equities_eod', '--date', addDays(today, -20), '--json'], { ...sandbox.env(), ...KEYS, POLYGON_API_KEY: 'WRONGKEY987654321' });
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(error).toMatchObject({ error: 'AuthFailed', vendor: 'polygon', status: 401 });
    expect(result.stderr).not.toContain('WRONGKEY987654321');
  });

  it('argument and configuration mistakes get one clear line', async () => {
    const noKeys = await fetchCli(['alpaca', 'equities_eod', '--symbols', 'AAA', '--date', addDays(today, -20)], sandbox.env());
    expect(noKeys.code).toBe(1);
    expect(noKeys.stderr).toMatch(/alpaca is not configured: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY/);
    const badDate = await fetchCli(['alpaca', 'equities_eod', '--symbols', 'AAA', '--date', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--date: expected a date YYYY-MM-DD, got "2026-02-30"');
    const unknown = await fetchCli(['nasdaq', 'equities_eod']);
    expect(unknown.stderr).toContain('vendor: expected one of alpaca');
  });
});

describe.each(backends())('trademl fetch --write [$title]', (backend) => {
  describe.skipIf(backend.skipReason !== undefined)(backend.name, () => {
    it('polygon equities_eod --date: one grouped-daily call for the whole market, committed to the lake', async () => {
      const storage = await backend.provision();
      try {
        const date = sessionDatesBetween(addDays(today, -30), addDays(today, -10))[0] as string;
        const result = await fetchCli(['polygon', 'equities_eod', '--date', date, '--json', '--write'], { ...sandbox.env(), ...KEYS, ...storage.env });
        expect(result.code, result.stderr).toBe(0);
        expect(result.rows.length).toBe(market.barsOn(date).length);
        expect(result.rows.every((r) => r.date === date && r.source_name === 'polygon')).toBe(true);
        const lake = await storage.openLake(result.dataDir);
        try {
          expect(await lake.listRawPartitions('equities_eod', 'polygon')).toEqual([{ vendor: 'polygon', date, parts: 1 }]);
          expect((await lake.readRaw('equities_eod')).length).toBe(result.rows.length);
        } finally {
          await lake.close();
        }
      } finally {
        await storage.dispose();
      }
    });
  });
});
