import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, type ProvisionedBackend } from './support/backends.js';
import { lastJson, removeDir, runCli, shortWindowConfigs, startCli, tempDir } from './support/cli.js';

let configs: string;
const dirs: string[] = [];

beforeAll(async () => {
  configs = await shortWindowConfigs(60);
});
afterAll(async () => {
  await Promise.all([removeDir(configs), ...dirs.map(removeDir)]);
});

async function dataDir(): Promise<string> {
  const dir = await tempDir('run');
  dirs.push(dir);
  return dir;
}

describe.each(backends())('trademl run [$title]', (backend) => {
  describe.skipIf(backend.skipReason !== undefined)(backend.name, () => {
    let storage: ProvisionedBackend;
    beforeEach(async () => {
      storage = await backend.provision();
    });
    afterEach(async () => {
      await storage.dispose();
    });

    it('--once against the sandbox: one full cycle in real time, GREEN, then a second cycle makes no bar requests', async () => {
      const dir = await dataDir();
      // The daily-bar tasks only: minute bars and options in real time would make this a long test.
      const args = ['run', '--once', '--sandbox', '--vendors', 'alpaca', '--tasks', 'alpaca_bars,alpaca_assets,alpaca_corporate_actions', '--json', '--config-dir', configs, '--data-dir', dir];
      const first = await runCli(args, { env: storage.env });
      expect(first.code, first.stderr).toBe(0);
      const cycle = lastJson<{ cycle: number; ledger: { greenRatio: number; sessions: number }; executors: { vendor: string; done: number }[] }>(first.stdout);
      expect(cycle.cycle).toBe(1);
      expect(cycle.ledger.sessions).toBeGreaterThan(30);
      expect(cycle.ledger.greenRatio).toBeGreaterThanOrEqual(0.98);
      const second = lastJson<{ executors: { vendor: string; done: number }[] }>((await runCli(args, { env: storage.env })).stdout);
      // Reference data is refreshed once a day; every session already in the lake is not asked for again.
      expect(second.executors.reduce((n, e) => n + e.done, 0)).toBe(0);
    });

    it('stops cleanly on SIGTERM mid-cycle: exit 0, no unit left leased, unfinished work left queued for the next run', async () => {
      const dir = await dataDir();
      // Polygon's real 5/min pacing keeps the cycle busy for minutes, so the signal lands mid-cycle.
      const running = startCli(['run', '--sandbox', '--vendors', 'alpaca,polygon', '--tasks', 'alpaca_bars,alpaca_assets,alpaca_corporate_actions,polygon_bars,polygon_tickers,polygon_corp_actions', '--config-dir', configs, '--data-dir', dir], { env: storage.env });
      let stderr = '';
      running.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const deadline = Date.now() + 60_000;
      // Alpaca's reference units finish at once; Polygon's take 12 s each, so it is mid-drain here.
      while (!/alpaca: .*queue empty/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toMatch(/alpaca: .*queue empty/);
      const signalledAt = Date.now();
      running.child.kill('SIGTERM');
      const result = await running.done;
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(30_000);
      expect(result.stdout).toMatch(/stopped on request/);
      const state = await storage.openState(dir);
      try {
        expect(await state.listQueue({ status: 'leased' })).toEqual([]);
        expect((await state.listQueue({ status: 'queued', vendor: 'polygon' })).length).toBeGreaterThan(0);
      } finally {
        await state.close();
      }
    }, 90_000);
  });
});
