import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StateStore } from '../index.js';
import { describeContract, type Scratch } from '../test-support/backends.js';
import { T0, unit } from '../test-support/fixtures.js';
import { expectPartition } from '../test-support/partition.js';

describeContract('several handles on one store', (backend) => {
  let scratch: Scratch;
  let handles: StateStore[];
  beforeEach(async () => {
    scratch = await backend.scratch();
    handles = [];
  });
  afterEach(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await scratch.dispose();
  });
  const openHandles = async (count: number): Promise<StateStore[]> => {
    for (let i = 0; i < count; i += 1) handles.push(await scratch.open());
    return handles;
  };

  it('concurrent claimers never double-claim: union is all units, intersection empty', async () => {
    const [a, b, c] = await openHandles(3);
    const all = Array.from({ length: 200 }, (_, i) => `unit-${String(i).padStart(4, '0')}`);
    expect(await a!.enqueue(all.map((id, i) => unit(id, { priority: i % 3 })), T0)).toBe(200);
    const got: string[][] = [[], [], []];
    for (let turn = 0; ; turn += 1) {
      const batches = await Promise.all(
        [a!, b!, c!].map((h, i) => h.claim({ owner: `w${i}`, nowMs: T0 + turn, leaseMs: 600_000, limit: 1 + ((turn + i) % 4) })),
      );
      batches.forEach((batch, i) => got[i]!.push(...batch.map((u) => u.identity)));
      if (batches.every((batch) => batch.length === 0)) break;
    }
    expectPartition(got, all);
    expect((await a!.queueStats(T0)).byStatus).toEqual({ queued: 0, leased: 200, done: 0, dead: 0 });
  });

  it('a unit re-claimed through another handle fences the first holder', async () => {
    const [a, b] = await openHandles(2);
    await a!.enqueue([unit('u')], T0);
    const [held] = await a!.claim({ owner: 'node-a', nowMs: T0, leaseMs: 1000, limit: 1 });
    expect(await b!.claim({ owner: 'node-b', nowMs: T0 + 999, leaseMs: 1000, limit: 1 })).toEqual([]);
    const [taken] = await b!.claim({ owner: 'node-b', nowMs: T0 + 1000, leaseMs: 1000, limit: 1 });
    expect(taken?.id).toBe(held?.id);
    expect(taken?.attempts).toBe(2);
    expect(await a!.complete(held!.id, 'node-a', T0 + 1001)).toBe(false);
    expect(await a!.defer(held!.id, 'node-a', T0 + 5000, 'budget', T0 + 1001)).toBe(false);
    expect(await a!.fail(held!.id, 'node-a', 'boom', T0 + 1001, { permanent: true })).toBe(false);
    expect(await b!.complete(taken!.id, 'node-b', T0 + 1001)).toBe(true);
    expect((await a!.listQueue())[0]).toMatchObject({ status: 'done', attempts: 2, lastError: null });
  });

  it('requests recorded at once from every handle all count: one daily budget for the fleet', async () => {
    const stores = await openHandles(4);
    const counts = await Promise.all(
      stores.flatMap((h, i) => Array.from({ length: 25 }, (_, k) => h.recordRequest('polygon', '2026-11-24', T0 + i * 100 + k))),
    );
    // Every recorder got a distinct running count: no two increments read the same total.
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(await stores[3]!.getSpend('polygon', '2026-11-24')).toBe(100);
    expect(await stores[0]!.recentRequests('polygon', T0)).toHaveLength(100);
  });

  it('leases are shared: of four nodes racing for a free lease exactly one wins', async () => {
    const stores = await openHandles(4);
    const results = await Promise.all(stores.map((h, i) => h.acquireLease('executor:av', `node-${i}`, 10_000, T0)));
    const winners = results.filter((lease) => lease !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.generation).toBe(1);
    const loser = stores.find((_, i) => results[i] === undefined)!;
    expect(await loser.isLeaseCurrent(winners[0]!, T0 + 1)).toBe(true);
    const takeover = await loser.acquireLease('executor:av', 'node-x', 10_000, T0 + 10_000);
    expect(takeover?.generation).toBe(2);
    expect(await stores[0]!.isLeaseCurrent(winners[0]!, T0 + 10_001)).toBe(false);
  });
});
