import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeContract, type Scratch } from '../test-support/backends.js';
import { T0, unit } from '../test-support/fixtures.js';
import { expectPartition } from '../test-support/partition.js';

const WORKER = fileURLToPath(new URL('../test-support/claim-worker.ts', import.meta.url));
const UNITS = 500;

interface Worker {
  ready: Promise<void>;
  go: () => void;
  result: Promise<string[]>;
}

/** Starts a claim-worker process on the store url; it claims only after `go()`, so all start together. */
function startWorker(url: string, owner: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, owner, String(T0)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) signalReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`worker ${owner} exited ${String(code)}: ${stderr}`);
    return JSON.parse(stdout.slice('ready\n'.length)) as string[];
  });
  return { ready, go: () => child.stdin.end('go\n'), result };
}

describeContract('separate worker processes on one store', (backend) => {
  let scratch: Scratch;
  beforeEach(async () => {
    scratch = await backend.scratch();
  });
  afterEach(async () => {
    await scratch.dispose();
  });

  it(`four processes draining ${UNITS} units at once claim every unit exactly once`, async () => {
    const all = Array.from({ length: UNITS }, (_, i) => `unit-${String(i).padStart(4, '0')}`);
    const seed = await scratch.open();
    // Mixed priorities so the claim order crosses priority bands, not only FIFO.
    expect(await seed.enqueue(all.map((id, i) => unit(id, { priority: i % 3 })), T0)).toBe(UNITS);
    await seed.close();

    const workers = ['p0', 'p1', 'p2', 'p3'].map((owner) => startWorker(scratch.url, owner));
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w) => w.go());
    const parts = await Promise.all(workers.map((w) => w.result));
    expectPartition(parts, all);
    // The workers really raced: more than one of them got work.
    expect(parts.filter((p) => p.length > 0).length).toBeGreaterThan(1);

    const check = await scratch.open();
    expect((await check.queueStats(T0)).byStatus).toEqual({ queued: 0, leased: 0, done: UNITS, dead: 0 });
    expect((await check.listQueue()).every((u) => u.attempts === 1)).toBe(true);
    await check.close();
  });
});
