import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.js';
import { openStateStore, type QueueUnitInput, type StateStore } from '../state/index.js';
import { startHeartbeat, type HeartbeatOptions } from './heartbeat.js';

const T0 = Date.UTC(2026, 10, 24, 15);

function unit(identity: string): QueueUnitInput {
  return { identity, vendor: 'polygon', dataset: 'equities_eod', endpoint: 'polygon.aggs.grouped_daily', params: { date: '2026-11-20' }, priority: 10, origin: 'forward', cost: 1 };
}

describe('worker heartbeat', () => {
  let state: StateStore;
  let clock: VirtualClock;
  const superseded: string[] = [];
  const errors: unknown[] = [];
  const options = (workerId: string): HeartbeatOptions => ({
    state,
    clock,
    workerId,
    leaseMs: 3_000,
    renewMs: 1_000,
    onSuperseded: (by) => superseded.push(`${workerId} by ${by}`),
    onError: (error) => errors.push(error),
  });

  beforeEach(async () => {
    state = await openStateStore(':memory:');
    clock = new VirtualClock({ start: T0 });
    superseded.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    await state.close();
  });

  it('registers the worker and keeps its lease and its claims alive past the lease length', async () => {
    const heartbeat = await startHeartbeat(options('w1'));
    await state.enqueue([unit('a'), unit('b')], clock.now());
    await state.claim({ owner: 'w1', nowMs: clock.now(), leaseMs: 3_000, limit: 2 });
    await clock.sleep(10_000);
    expect(await state.listLeases('worker:')).toEqual([{ name: 'worker:w1', owner: 'w1', generation: 1, expiresAtMs: T0 + 12_000 }]);
    // Still w1's: another worker finds nothing to take over.
    expect(await state.claim({ owner: 'w2', nowMs: clock.now(), leaseMs: 3_000, limit: 2 })).toEqual([]);
    expect((await state.listQueue({ status: 'leased' })).map((u) => u.leaseExpiresAtMs)).toEqual([T0 + 12_000, T0 + 12_000]);
    await heartbeat.stop();
    expect(await state.listLeases('worker:')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a worker that stops beating loses its claims to a live one after the lease', async () => {
    const dead = await startHeartbeat(options('w1'));
    await state.enqueue([unit('a')], clock.now());
    await state.claim({ owner: 'w1', nowMs: clock.now(), leaseMs: 3_000, limit: 1 });
    await dead.stop(); // as if killed: nothing renews w1's claim any more
    await clock.sleep(2_999);
    expect(await state.claim({ owner: 'w2', nowMs: clock.now(), leaseMs: 3_000, limit: 1 })).toEqual([]);
    await clock.sleep(1);
    const [taken] = await state.claim({ owner: 'w2', nowMs: clock.now(), leaseMs: 3_000, limit: 1 });
    expect(taken).toMatchObject({ identity: 'a', leaseOwner: 'w2', attempts: 2 });
    expect(await state.complete(taken!.id, 'w1', clock.now())).toBe(false);
  });

  it('a restart of the same worker id puts back its previous claims and supersedes the old incarnation', async () => {
    const first = await startHeartbeat(options('w1'));
    await state.enqueue([unit('a')], clock.now());
    await state.claim({ owner: 'w1', nowMs: clock.now(), leaseMs: 3_000, limit: 1 });
    const second = await startHeartbeat(options('w1'));
    expect(second.released).toBe(1);
    expect(second.lease.generation).toBe(first.lease.generation + 1);
    expect(await state.listQueue({ status: 'queued' })).toHaveLength(1);
    await clock.sleep(1_500);
    expect(superseded).toEqual(['w1 by w1 (generation 2)']);
    await first.stop(); // its release must not free the new incarnation's lease
    expect(await state.listLeases('worker:')).toMatchObject([{ owner: 'w1', generation: 2 }]);
    await second.stop();
  });
});
