import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { readCurated } from '../src/ssot/index.js';
import type { DemoSummary } from '../src/cli/demo.js';
import { describeBackends, visibleStagingKeys, type ProvisionedBackend } from './support/backends.js';
import { lastJson, removeDir, runCli, shortWindowConfigs, startCli, tempDir } from './support/cli.js';

const AS_OF = '2026-11-20';
let configs: string;

beforeAll(async () => {
  configs = await shortWindowConfigs(150);
});
afterAll(async () => {
  await removeDir(configs);
});

function demoArgs(dataDir: string): string[] {
  return ['demo', '--json', '--data-dir', dataDir, '--config-dir', configs, '--as-of', AS_OF];
}

/** Committed equities_eod partitions of one vendor, as the lake lists them (a directory or S3). */
async function partitions(storage: ProvisionedBackend, dataDir: string, vendor: string): Promise<number> {
  const keys = await storage.listLake(dataDir, `raw/${vendor}/equities_eod/`).catch(() => [] as string[]);
  return new Set(keys.map((k) => k.split('/')[3]).filter((d) => d?.startsWith('date='))).size;
}

/** Polls (real time) until `ready` holds, then SIGKILLs the child; fails if it exits first. */
async function killWhen(child: ChildProcess, done: Promise<unknown>, ready: () => Promise<boolean>): Promise<void> {
  let exited = false;
  void done.then(() => (exited = true));
  while (!(await ready())) {
    if (exited) throw new Error('the demo finished before the kill point was reached');
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await done;
}

describeBackends('trademl demo killed mid-run (SIGKILL) and re-run', (backend) => {
  let reference: ProvisionedBackend;
  let storage: ProvisionedBackend;
  let referenceDir: string;
  let crashed: string;
  beforeAll(async () => {
    [reference, storage] = await Promise.all([backend.provision(), backend.provision()]);
    referenceDir = await tempDir('demo-ref');
    crashed = await tempDir('demo-crash');
  });
  afterAll(async () => {
    await Promise.all([removeDir(referenceDir), removeDir(crashed), reference?.dispose(), storage?.dispose()]);
  });

  it('ends with no duplicate rows and the same curated content as an uninterrupted run', async () => {
    const uninterrupted = await runCli(demoArgs(referenceDir), { env: reference.env });
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const expected = lastJson<DemoSummary>(uninterrupted.stdout);

    // Kill 1: while Alpaca's multi-day unit is writing its partitions.
    const first = startCli(demoArgs(crashed), { env: storage.env });
    await killWhen(first.child, first.done, async () => (await partitions(storage, crashed, 'alpaca')) >= 5);
    expect((await first.done).signal).toBe('SIGKILL');
    // Kill 2: half-way through Polygon's grouped-daily sessions.
    const second = startCli(demoArgs(crashed), { env: storage.env });
    await killWhen(second.child, second.done, async () => (await partitions(storage, crashed, 'polygon')) >= 40);
    expect((await second.done).signal).toBe('SIGKILL');

    const resumed = await runCli(demoArgs(crashed), { env: storage.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = lastJson<DemoSummary>(resumed.stdout);
    expect(summary.curated.contentHash).toBe(expected.curated.contentHash);
    expect(summary.ledger).toEqual(expected.ledger);
    expect(summary.ledger.greenRatio).toBeGreaterThanOrEqual(0.98);

    const lake = await storage.openLake(crashed);
    try {
      const curated = await readCurated(lake);
      expect(new Set(curated.map((r) => `${r.symbol}|${r.date}`)).size).toBe(curated.length);
      expect(curated.length).toBe(expected.curated.rows);
      const files = await lake.rawGlob('equities_eod');
      const list = `[${files.map((f) => `'${f}'`).join(',')}]`;
      const [counts] = await lake.query<{ total: number; distinct_keys: number }>(
        `SELECT count(*)::BIGINT AS total, count(DISTINCT (source_name, symbol, date))::BIGINT AS distinct_keys FROM read_parquet(${list}, union_by_name = true)`,
      );
      expect(Number(counts?.total)).toBe(Number(counts?.distinct_keys));
      // Nothing half-written is visible to a reader (on S3: no staging key in the bucket listing).
      expect(await visibleStagingKeys(storage, crashed)).toEqual([]);
    } finally {
      await lake.close();
    }
  }, 900_000);
});
