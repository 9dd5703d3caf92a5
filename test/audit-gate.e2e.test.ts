import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { CorpActionRow, EquityBarRow } from '../src/catalog/index.js';
import type { GateResult } from '../src/ssot/index.js';
import { describeBackends, type ProvisionedBackend } from './support/backends.js';
import { lastJson, removeDir, REPO, runCli, tempDir } from './support/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

const SESSIONS = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
const origin = { source_name: 'alpaca', source_uri: 'https://data.alpaca.markets/v2/stocks/bars', ingested_at: '2026-11-21T12:00:00.000Z' };

/** A lake with complete bars for two symbols over one week and one split, written through the Lake API. */
async function seededLake(storage: ProvisionedBackend): Promise<string> {
  const dir = await tempDir('audit-gate');
  dirs.push(dir);
  const lake = await storage.openLake(dir);
  try {
    for (const date of SESSIONS) {
      const bars: EquityBarRow[] = ['AAA', 'BBB'].map((symbol) => ({ symbol, date, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: null, trades: null, feed: 'sip', adjusted: false, ...origin }));
      await lake.writeRawPartition('equities_eod', 'alpaca', date, bars);
    }
    const split: CorpActionRow = { symbol: 'AAA', action: 'split', ex_date: '2026-11-18', split_ratio: 2, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null, ...origin };
    await lake.writeReference('corp_actions', 'alpaca', [split]);
  } finally {
    await lake.close();
  }
  return dir;
}

interface GateLine {
  gate: string;
  green: boolean;
  dependencies: GateResult[];
}

describeBackends('trademl audit --gate', (backend) => {
  let storage: ProvisionedBackend;
  beforeEach(async () => {
    storage = await backend.provision();
  });
  afterEach(async () => {
    await storage.dispose();
  });

  it('opens the gate only when every dependency is GREEN over the window', async () => {
    const dataDir = await seededLake(storage);
    const env = { env: storage.env };
    const common = ['--json', '--data-dir', dataDir, '--config-dir', `${REPO}/configs`];
    const window = ['--start', SESSIONS[0] as string, '--end', SESSIONS[4] as string];

    const unaudited = await runCli(['audit', '--gate', 'equities_eod', ...window, ...common], env);
    expect(unaudited.code, unaudited.stderr).toBe(1);
    expect(lastJson<GateLine>(unaudited.stdout).dependencies[0]?.failing[0]).toEqual({ date: '2026-11-16', status: 'MISSING', reason: 'not in the ledger (run trademl audit)' });

    const audit = await runCli(['audit', '--dataset', 'equities_eod', ...window, ...common], env);
    expect(audit.code, audit.stderr).toBe(0);
    expect(lastJson<{ dataset: string; sessions: number; green: number }>(audit.stdout)).toMatchObject({ dataset: 'equities_eod', sessions: 5, green: 5 });

    const eod = await runCli(['audit', '--gate', 'equities_eod', ...window, ...common], env);
    expect(eod.code, eod.stderr).toBe(0);
    expect(lastJson<GateLine>(eod.stdout)).toMatchObject({ gate: 'equities_eod', green: true });

    // The adjusted table also needs corp_actions: rows exist but no fetch back to `earliest` is recorded.
    const corp = await runCli(['audit', '--dataset', 'corp_actions', '--symbols', 'AAA,BBB', '--end', SESSIONS[4] as string, ...common], env);
    expect(corp.code, corp.stderr).toBe(1);
    const adjusted = await runCli(['audit', '--gate', 'equities_ohlcv_adj', ...window, ...common], env);
    expect(adjusted.code, adjusted.stderr).toBe(1);
    const line = lastJson<GateLine>(adjusted.stdout);
    expect(line.dependencies.map((d) => [d.dataset, d.green])).toEqual([['equities_eod', true], ['corp_actions', false]]);
    expect(line.dependencies[1]?.failing[0]?.status).toBe('AMBER');

    const text = await runCli(['audit', '--gate', 'equities_ohlcv_adj', ...window, '--data-dir', dataDir, '--config-dir', `${REPO}/configs`], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('gate equities_ohlcv_adj: closed');
    // The ledger the audit wrote is in the backend's lake (on S3: in the bucket, not the data directory).
    expect((await storage.listLake(dataDir, 'qc/')).filter((k) => k.includes('ledger')).length).toBeGreaterThan(0);
  });
});
