import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { systemClock } from '../src/clock/index.js';
import { Lake } from '../src/lake/index.js';
import { readCurated } from '../src/ssot/index.js';
import type { DemoSummary } from '../src/cli/demo.js';
import { lastJson, removeDir, runCli, shortWindowConfigs, startCli, tempDir } from './support/cli.js';

const AS_OF = '2026-11-20';
let configs: string;
let reference: string;
let crashed: string;

beforeAll(async () => {
  configs = await shortWindowConfigs(150);
  reference = await tempDir('demo-ref');
  crashed = await tempDir('demo-crash');
});
afterAll(async () => {
  await Promise.all([removeDir(configs), removeDir(reference), removeDir(crashed)]);
});

function demoArgs(dataDir: string): string[] {
  return ['demo', '--json', '--data-dir', dataDir, '--config-dir', configs, '--as-of', AS_OF];
}

async function partitions(dataDir: string, vendor: string): Promise<number> {
  const dir = path.join(dataDir, 'raw', vendor, 'equities_eod');
  return (await readdir(dir).catch(() => [] as string[])).filter((d) => d.startsWith('date=')).length;
}

/** Polls (real time) until `ready` holds, then SIGKILLs the child; fails if it exits first. */
async function killWhen(child: ChildProcess, done: Promise<unknown>, ready: () => Promise<boolean>): Promise<void> {
  let exited = false;
  void done.then(() => (exited = true));
  while (!(await ready())) {
    if (exited) throw new Error('the demo finished before the kill point was reached');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await done;
}

describe('trademl demo killed mid-run (SIGKILL) and re-run', () => {
  it('ends with no duplicate rows and the same curated content as an uninterrupted run', async () => {
    const uninterrupted = await runCli(demoArgs(reference));
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const expected = lastJson<DemoSummary>(uninterrupted.stdout);

    // Kill 1: while Alpaca's multi-day unit is writing its partitions.
    const first = startCli(demoArgs(crashed));
    await killWhen(first.child, first.done, async () => (await partitions(crashed, 'alpaca')) >= 5);
    expect((await first.done).signal).toBe('SIGKILL');
    // Kill 2: half-way through Polygon's grouped-daily sessions.
    const second = startCli(demoArgs(crashed));
    await killWhen(second.child, second.done, async () => (await partitions(crashed, 'polygon')) >= 40);
    expect((await second.done).signal).toBe('SIGKILL');

    const resumed = await runCli(demoArgs(crashed));
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = lastJson<DemoSummary>(resumed.stdout);
    expect(summary.curated.contentHash).toBe(expected.curated.contentHash);
    expect(summary.ledger).toEqual(expected.ledger);
    expect(summary.ledger.greenRatio).toBeGreaterThanOrEqual(0.98);

    const lake = await Lake.open({ root: crashed, clock: systemClock });
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
    } finally {
      await lake.close();
    }
  }, 300_000);
});
