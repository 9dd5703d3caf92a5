import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../index.js';
import { T0, tempDir, unit } from '../test-support/fixtures.js';

const WORKER = fileURLToPath(new URL('../test-support/claim-worker.ts', import.meta.url));

interface Worker {
  ready: Promise<void>;
  go: () => void;
  result: Promise<string[]>;
}

/** Starts a claim-worker process; it claims only after `go()`, so every worker starts together. */
function startWorker(path: string, owner: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, path, owner, String(T0)], {
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
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function scratch(): string {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  return tmp.file('state.db');
}

async function seed(path: string, count: number): Promise<string[]> {
  const store = await openStateStore(path);
  const identities = Array.from({ length: count }, (_, i) => `unit-${String(i).padStart(4, '0')}`);
  // Mixed priorities so the claim order crosses priority bands, not only FIFO.
  expect(await store.enqueue(identities.map((id, i) => unit(id, { priority: i % 3 })), T0)).toBe(count);
  await store.close();
  return identities;
}

function expectPartition(parts: string[][], all: string[]): void {
  const union = parts.flat();
  expect(union.length).toBe(all.length);
  expect(new Set(union)).toEqual(new Set(all));
  for (let i = 0; i < parts.length; i += 1) {
    for (let j = i + 1; j < parts.length; j += 1) {
      const other = new Set(parts[j]);
      expect(parts[i]!.filter((id) => other.has(id))).toEqual([]);
    }
  }
}

describe('two store handles on one SQLite file', () => {
  it('alternating claimers never double-claim: union is all units, intersection empty', async () => {
    const path = scratch();
    const all = await seed(path, 200);
    const handles: StateStore[] = [await openStateStore(path), await openStateStore(`sqlite:${path}`)];
    const got: string[][] = [[], []];
    for (let turn = 0; ; turn += 1) {
      const who = turn % 2;
      // Interleave claims from both handles in flight at once, batch sizes varying.
      const [a, b] = await Promise.all([
        handles[who]!.claim({ owner: `w${who}`, nowMs: T0 + turn, leaseMs: 600_000, limit: 1 + (turn % 4) }),
        handles[1 - who]!.claim({ owner: `w${1 - who}`, nowMs: T0 + turn, leaseMs: 600_000, limit: 2 }),
      ]);
      got[who]!.push(...a!.map((u) => u.identity));
      got[1 - who]!.push(...b!.map((u) => u.identity));
      if (a!.length === 0 && b!.length === 0) break;
    }
    expectPartition(got, all);
    expect(got[0]!.length).toBeGreaterThan(0);
    expect(got[1]!.length).toBeGreaterThan(0);
    const stats = await handles[0]!.queueStats(T0);
    expect(stats.byStatus).toEqual({ queued: 0, leased: 200, done: 0, dead: 0 });
    await Promise.all(handles.map((h) => h.close()));
  });

  it('a unit re-claimed through the other handle fences the first holder', async () => {
    const path = scratch();
    await seed(path, 1);
    const a = await openStateStore(path);
    const b = await openStateStore(path);
    const [held] = await a.claim({ owner: 'node-a', nowMs: T0, leaseMs: 1000, limit: 1 });
    expect(await b.claim({ owner: 'node-b', nowMs: T0 + 999, leaseMs: 1000, limit: 1 })).toEqual([]);
    const [taken] = await b.claim({ owner: 'node-b', nowMs: T0 + 1000, leaseMs: 1000, limit: 1 });
    expect(taken?.id).toBe(held?.id);
    expect(await a.complete(held!.id, 'node-a', T0 + 1001)).toBe(false);
    expect(await b.complete(taken!.id, 'node-b', T0 + 1001)).toBe(true);
    await a.close();
    await b.close();
  });

  it('leases and request counts are shared between handles', async () => {
    const path = scratch();
    const a = await openStateStore(path);
    const b = await openStateStore(path);
    const lease = await a.acquireLease('executor:av', 'node-a', 10_000, T0);
    expect(await b.acquireLease('executor:av', 'node-b', 10_000, T0 + 1)).toBeUndefined();
    expect(await b.acquireLease('executor:av', 'node-b', 10_000, T0 + 10_000)).toMatchObject({ generation: 2 });
    expect(await a.isLeaseCurrent(lease!, T0 + 10_001)).toBe(false);
    await Promise.all([a.recordRequest('av', '2026-11-24', T0), b.recordRequest('av', '2026-11-24', T0 + 1)]);
    expect(await a.recordRequest('av', '2026-11-24', T0 + 2)).toBe(3);
    expect(await b.recentRequests('av', T0)).toEqual([T0, T0 + 1, T0 + 2]);
    await a.close();
    await b.close();
  });
});

describe('separate processes on one SQLite file', () => {
  it('four worker processes draining 1000 units at once never claim the same unit', async () => {
    const path = scratch();
    const all = await seed(path, 1000);
    const workers = ['p0', 'p1', 'p2', 'p3'].map((owner) => startWorker(path, owner));
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w) => w.go());
    const parts = await Promise.all(workers.map((w) => w.result));
    expectPartition(parts, all);
    // The workers really raced: more than one of them got work.
    expect(parts.filter((p) => p.length > 0).length).toBeGreaterThan(1);
    const store = await openStateStore(path);
    expect((await store.queueStats(T0)).byStatus).toEqual({ queued: 0, leased: 0, done: 1000, dead: 0 });
    await store.close();
  });
});
