import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { describeBackends, type ProvisionedBackend } from './support/backends.js';
import { lastJson, removeDir, runCli, tempDir } from './support/cli.js';

interface SmokeJson {
  sandbox: boolean;
  ok: boolean;
  missing: string[];
  tasks: { task: string; vendor: string; outcome: string; rows: number }[];
  tables: { dataset: string; partitions: number; targeted: boolean; denied: boolean }[];
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describeBackends('trademl smoke', (backend) => {
  let storage: ProvisionedBackend;
  beforeEach(async () => {
    storage = await backend.provision();
  });
  afterEach(async () => {
    await storage.dispose();
  });

  it('keyless: touches one unit of every enabled task on the sandbox and every new table gets a partition', async () => {
    const dir = await tempDir('smoke');
    dirs.push(dir);
    const result = await runCli(['smoke', '--json', '--as-of', '2026-11-20', '--data-dir', dir], { env: { ...storage.env, TRADEML_LOG_LEVEL: 'warn' } });
    expect(result.code, result.stderr).toBe(0);
    const report = lastJson<SmokeJson>(result.stdout);
    expect(report.sandbox).toBe(true);
    expect(report.ok).toBe(true);
    expect(report.missing).toEqual([]);
    const outcomes = Object.fromEntries(report.tasks.map((t) => [t.task, t.outcome]));
    expect(outcomes.finnhub_daily).toBe('skipped');
    for (const task of ['alpaca_bars', 'alpaca_minute', 'alpaca_options_chain', 'polygon_bars', 'fred_treasury', 'fmp_fundamentals', 'av_delistings']) {
      expect(outcomes[task], task).toBe('ok');
    }
    const partitions = Object.fromEntries(report.tables.map((t) => [t.dataset, t.partitions]));
    for (const table of ['equities_eod', 'equities_minute', 'options_chain', 'options_chain_hist', 'options_bars', 'options_contracts', 'corp_actions', 'delistings', 'symbols', 'fundamentals', 'treasuries', 'macro_series']) {
      expect(partitions[table], table).toBeGreaterThan(0);
    }
    // The lake it wrote is the one --data-dir (or TRADEML_LAKE_URL) named, and queryable.
    const query = await runCli(['query', 'SELECT count(*)::INTEGER AS n FROM raw_equities_minute', '--json', '--data-dir', dir], { env: storage.env });
    expect(query.code, query.stderr).toBe(0);
    expect(lastJson<{ n: number }>(query.stdout).n).toBeGreaterThan(0);
    expect((await storage.listLake(dir, 'raw/')).length).toBeGreaterThan(0);
    // The state it kept is the backend's: each touched unit is in its run log.
    const state = await storage.openState(dir);
    try {
      expect((await state.recentLog(100, { event: 'smoke.done' })).length).toBeGreaterThan(5);
    } finally {
      await state.close();
    }
  }, 600_000);
});
