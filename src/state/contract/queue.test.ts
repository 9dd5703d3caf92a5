import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueUnit, StateStore } from '../index.js';
import { T0, unit } from '../test-support/fixtures.js';
import { describeContract, type Scratch } from '../test-support/backends.js';

describeContract('queue', (backend) => {
  let store: StateStore;
  let scratch: Scratch;
  beforeEach(async () => {
    scratch = await backend.scratch();
    store = await scratch.open();
  });
  afterEach(async () => {
    await store.close();
    await scratch.dispose();
  });

  const ids = (units: QueueUnit[]): string[] => units.map((u) => u.identity);
  const claimOne = async (owner: string, nowMs: number): Promise<QueueUnit> => {
    const [claimed] = await store.claim({ owner, nowMs, leaseMs: 60_000, limit: 1 });
    if (claimed === undefined) throw new Error('expected a unit to claim');
    return claimed;
  };

  describe('enqueue', () => {
    it('stores every field, params as JSON, and defaults notBefore to now', async () => {
      const params = { symbols: ['BRK.B', 'AAPL'], start: '2026-01-02', end: '2026-01-30', nested: { feed: 'iex' } };
      expect(await store.enqueue([unit('u1', { params, cost: 2.5, origin: 'forward' })], T0)).toBe(1);
      const [stored] = await store.listQueue();
      expect(stored).toEqual({
        id: 1, identity: 'u1', vendor: 'alpaca', dataset: 'equities_eod', endpoint: 'alpaca.bars', params,
        priority: 10, origin: 'forward', cost: 2.5, status: 'queued', attempts: 0, notBeforeMs: T0,
        leaseOwner: null, leaseExpiresAtMs: null, lastError: null, deferReason: null, createdAtMs: T0, updatedAtMs: T0,
      });
    });

    it('does not duplicate an identity that is queued, leased or done, even within one batch', async () => {
      expect(await store.enqueue([unit('a'), unit('b'), unit('a'), unit('c')], T0)).toBe(3);
      await claimOne('w', T0); // a → leased
      const b = (await store.listQueue({ status: 'queued' })).find((u) => u.identity === 'b')!;
      await store.claim({ owner: 'w', nowMs: T0, leaseMs: 1000, limit: 1 });
      expect(await store.complete(b.id, 'w', T0 + 1)).toBe(true);
      expect(await store.enqueue([unit('a'), unit('b'), unit('c')], T0 + 2)).toBe(0);
      expect((await store.listQueue()).map((u) => [u.identity, u.status])).toEqual([
        ['a', 'leased'],
        ['b', 'done'],
        ['c', 'queued'],
      ]);
    });

    it('re-queues a done identity only with redoDone, starting over at the back of the FIFO', async () => {
      await store.enqueue([unit('done-one'), unit('other')], T0);
      const first = await claimOne('w', T0);
      await store.complete(first.id, 'w', T0 + 1);
      expect(await store.enqueue([unit('done-one', { params: { symbols: ['MSFT'] } })], T0 + 2, { redoDone: true })).toBe(1);
      const queued = await store.listQueue({ status: 'queued' });
      expect(ids(queued)).toEqual(['other', 'done-one']);
      expect(queued[1]).toMatchObject({ id: first.id, attempts: 0, params: { symbols: ['MSFT'] }, createdAtMs: T0 + 2, leaseOwner: null });
    });

    it('keeps dead units dead unless reviveDead is asked for', async () => {
      await store.enqueue([unit('x')], T0);
      const claimed = await claimOne('w', T0);
      await store.fail(claimed.id, 'w', 'HTTP 403 not entitled', T0 + 1, { permanent: true });
      expect(await store.enqueue([unit('x')], T0 + 2)).toBe(0);
      expect(await store.enqueue([unit('x')], T0 + 2, { redoDone: true })).toBe(0);
      expect((await store.listQueue())[0]?.status).toBe('dead');
      expect(await store.enqueue([unit('x')], T0 + 3, { reviveDead: true })).toBe(1);
      expect((await store.listQueue())[0]).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
    });

    it('raises the priority of a still-queued unit when re-emitted with a higher one, never lowers it', async () => {
      await store.enqueue([unit('gap', { priority: 5 })], T0);
      await store.enqueue([unit('gap', { priority: 50 })], T0 + 1);
      expect((await store.listQueue())[0]?.priority).toBe(50);
      await store.enqueue([unit('gap', { priority: 1 })], T0 + 2);
      expect((await store.listQueue())[0]?.priority).toBe(50);
    });

    it('returns 0 for an empty batch', async () => {
      expect(await store.enqueue([], T0)).toBe(0);
    });
  });

  describe('claim', () => {
    it('orders by priority descending, then first in first out', async () => {
      await store.enqueue([unit('low-1', { priority: 1 }), unit('high-1', { priority: 9 }), unit('mid', { priority: 5 })], T0);
      await store.enqueue([unit('high-2', { priority: 9 }), unit('low-2', { priority: 1 })], T0 + 1);
      const claimed = await store.claim({ owner: 'w', nowMs: T0 + 2, leaseMs: 1000, limit: 10 });
      expect(ids(claimed)).toEqual(['high-1', 'high-2', 'mid', 'low-1', 'low-2']);
    });

    it('sets owner, lease expiry and attempts, and the stored row agrees', async () => {
      await store.enqueue([unit('u')], T0);
      const claimed = await claimOne('node-a', T0 + 5);
      expect(claimed).toMatchObject({ status: 'leased', leaseOwner: 'node-a', leaseExpiresAtMs: T0 + 60_005, attempts: 1, updatedAtMs: T0 + 5 });
      expect((await store.listQueue())[0]).toEqual(claimed);
    });

    it('respects notBefore', async () => {
      await store.enqueue([unit('later', { notBeforeMs: T0 + 10_000, priority: 99 }), unit('now')], T0);
      expect(ids(await store.claim({ owner: 'w', nowMs: T0 + 9_999, leaseMs: 60_000, limit: 10 }))).toEqual(['now']);
      expect(ids(await store.claim({ owner: 'w', nowMs: T0 + 10_000, leaseMs: 60_000, limit: 10 }))).toEqual(['later']);
    });

    it('filters by vendor and dataset and honours the limit', async () => {
      await store.enqueue(
        [
          unit('alp-eod'),
          unit('poly-eod', { vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily' }),
          unit('alp-min', { dataset: 'equities_minute', endpoint: 'alpaca.minute' }),
          unit('alp-eod-2'),
        ],
        T0,
      );
      expect(ids(await store.claim({ owner: 'w', nowMs: T0, leaseMs: 1, limit: 10, vendor: 'polygon' }))).toEqual(['poly-eod']);
      expect(ids(await store.claim({ owner: 'w', nowMs: T0, leaseMs: 1, limit: 1, vendor: 'alpaca', dataset: 'equities_eod' }))).toEqual(['alp-eod']);
      expect(ids(await store.claim({ owner: 'w', nowMs: T0, leaseMs: 1, limit: 10, dataset: 'equities_minute' }))).toEqual(['alp-min']);
      expect(await store.claim({ owner: 'w', nowMs: T0, leaseMs: 1, limit: 0 })).toEqual([]);
    });

    it('reclaims a unit whose lease expired, in priority order with queued units', async () => {
      await store.enqueue([unit('crashed', { priority: 7 }), unit('waiting', { priority: 3 })], T0);
      await store.claim({ owner: 'dead-node', nowMs: T0, leaseMs: 1000, limit: 1 });
      expect(await store.claim({ owner: 'node-b', nowMs: T0 + 999, leaseMs: 1000, limit: 1 })).toMatchObject([{ identity: 'waiting' }]);
      await store.enqueue([unit('fresh', { priority: 5 })], T0 + 999);
      const reclaimed = await store.claim({ owner: 'node-b', nowMs: T0 + 1000, leaseMs: 1000, limit: 5 });
      expect(ids(reclaimed)).toEqual(['crashed', 'fresh']);
      expect(reclaimed[0]).toMatchObject({ leaseOwner: 'node-b', attempts: 2 });
    });
  });

  describe('settling a claim', () => {
    it('complete marks done and clears the lease', async () => {
      await store.enqueue([unit('u')], T0);
      const claimed = await claimOne('w', T0);
      expect(await store.complete(claimed.id, 'w', T0 + 10)).toBe(true);
      expect((await store.listQueue())[0]).toMatchObject({ status: 'done', leaseOwner: null, leaseExpiresAtMs: null, updatedAtMs: T0 + 10 });
      expect(await store.complete(claimed.id, 'w', T0 + 11)).toBe(false);
      expect(await store.claim({ owner: 'w', nowMs: T0 + 12, leaseMs: 1, limit: 10 })).toEqual([]);
    });

    it('defer puts the unit back until notBefore without consuming an attempt', async () => {
      await store.enqueue([unit('u')], T0);
      const claimed = await claimOne('w', T0);
      expect(claimed.attempts).toBe(1);
      expect(await store.defer(claimed.id, 'w', T0 + 60_000, 'polygon daily budget exhausted', T0 + 1)).toBe(true);
      expect((await store.listQueue())[0]).toMatchObject({
        status: 'queued', attempts: 0, notBeforeMs: T0 + 60_000, deferReason: 'polygon daily budget exhausted', leaseOwner: null, lastError: null,
      });
      expect(await store.claim({ owner: 'w', nowMs: T0 + 59_999, leaseMs: 1, limit: 1 })).toEqual([]);
      for (let i = 0; i < 5; i += 1) {
        const again = await claimOne('w', T0 + 60_000);
        expect(again.attempts).toBe(1);
        await store.defer(again.id, 'w', T0 + 60_000, 'frozen', T0 + 60_000);
      }
      expect((await store.listQueue())[0]?.attempts).toBe(0);
    });

    it('fail records the error and re-queues at retryAt, counting the attempt', async () => {
      await store.enqueue([unit('u')], T0);
      const first = await claimOne('w', T0);
      expect(await store.fail(first.id, 'w', 'HTTP 503', T0 + 1, { retryAtMs: T0 + 30_000 })).toBe(true);
      expect((await store.listQueue())[0]).toMatchObject({ status: 'queued', attempts: 1, notBeforeMs: T0 + 30_000, lastError: 'HTTP 503', leaseOwner: null });
      expect(await store.claim({ owner: 'w', nowMs: T0 + 29_999, leaseMs: 1, limit: 1 })).toEqual([]);
      const second = await claimOne('w', T0 + 30_000);
      expect(second.attempts).toBe(2);
      expect(await store.fail(second.id, 'w', 'timeout', T0 + 30_001, {})).toBe(true);
      expect((await store.listQueue())[0]).toMatchObject({ notBeforeMs: T0 + 30_001, lastError: 'timeout' });
    });

    it('a permanent failure dead-letters the unit: never claimed again', async () => {
      await store.enqueue([unit('u'), unit('v')], T0);
      const claimed = await claimOne('w', T0);
      expect(await store.fail(claimed.id, 'w', 'NOT_ENTITLED', T0 + 1, { permanent: true })).toBe(true);
      expect((await store.listQueue({ status: 'dead' }))[0]).toMatchObject({ identity: 'u', lastError: 'NOT_ENTITLED', attempts: 1 });
      expect(ids(await store.claim({ owner: 'w', nowMs: T0 + 10_000_000, leaseMs: 1, limit: 10 }))).toEqual(['v']);
    });

    it('fencing: the holder of an expired, re-claimed unit can neither complete, defer nor fail it', async () => {
      await store.enqueue([unit('u')], T0);
      const stale = await claimOne('node-a', T0);
      const fresh = await claimOne('node-b', T0 + 60_000);
      expect(fresh.id).toBe(stale.id);
      const before = await store.listQueue();
      expect(await store.complete(stale.id, 'node-a', T0 + 60_001)).toBe(false);
      expect(await store.defer(stale.id, 'node-a', T0 + 99, 'budget', T0 + 60_001)).toBe(false);
      expect(await store.fail(stale.id, 'node-a', 'boom', T0 + 60_001, { permanent: true })).toBe(false);
      expect(await store.listQueue()).toEqual(before);
      expect(await store.complete(fresh.id, 'node-b', T0 + 60_002)).toBe(true);
    });

    it('an expired claim nobody took can still be settled by its holder', async () => {
      await store.enqueue([unit('u')], T0);
      const claimed = await claimOne('node-a', T0);
      expect(await store.complete(claimed.id, 'node-a', T0 + 120_000)).toBe(true);
    });

    it('returns false for an unknown unit id', async () => {
      expect(await store.complete(42, 'w', T0)).toBe(false);
      expect(await store.defer(42, 'w', T0, 'r', T0)).toBe(false);
      expect(await store.fail(42, 'w', 'e', T0, {})).toBe(false);
    });
  });

  describe('queue views', () => {
    it('queueStats counts by status and priority, oldest waiting age and next wake-up', async () => {
      expect(await store.queueStats(T0)).toEqual({
        byStatus: { queued: 0, leased: 0, done: 0, dead: 0 }, byPriority: [], ready: 0, expiredLeases: 0, oldestQueuedAgeMs: null, nextNotBeforeMs: null,
      });
      await store.enqueue([unit('a', { priority: 1 }), unit('b', { priority: 9 })], T0);
      await store.enqueue([unit('c', { priority: 1, notBeforeMs: T0 + 50_000 }), unit('d', { priority: 1, notBeforeMs: T0 + 40_000 })], T0 + 1000);
      await store.enqueue([unit('e', { priority: 3 }), unit('f', { priority: 3 })], T0 + 2000);
      const [b] = await store.claim({ owner: 'w', nowMs: T0 + 3000, leaseMs: 1000, limit: 1 });
      const [e] = await store.claim({ owner: 'w', nowMs: T0 + 3000, leaseMs: 60_000, limit: 1 });
      await store.complete(e!.id, 'w', T0 + 3500);
      expect(b?.identity).toBe('b');
      expect(await store.queueStats(T0 + 5000)).toEqual({
        byStatus: { queued: 4, leased: 1, done: 1, dead: 0 },
        byPriority: [{ priority: 3, queued: 1 }, { priority: 1, queued: 3 }],
        ready: 2,
        expiredLeases: 1,
        oldestQueuedAgeMs: 5000,
        nextNotBeforeMs: T0 + 40_000,
      });
    });

    it('listQueue filters by status and vendor, in claim order, with a limit', async () => {
      await store.enqueue(
        [unit('a1', { priority: 1 }), unit('p1', { vendor: 'polygon', endpoint: 'polygon.aggs.day', priority: 5 }), unit('a2', { priority: 8 }), unit('a3', { priority: 8 })],
        T0,
      );
      expect(ids(await store.listQueue())).toEqual(['a2', 'a3', 'p1', 'a1']);
      expect(ids(await store.listQueue({ vendor: 'alpaca', limit: 2 }))).toEqual(['a2', 'a3']);
      await store.claim({ owner: 'w', nowMs: T0, leaseMs: 1, limit: 1 });
      expect(ids(await store.listQueue({ status: 'leased' }))).toEqual(['a2']);
      expect(ids(await store.listQueue({ status: 'queued', vendor: 'alpaca' }))).toEqual(['a3', 'a1']);
    });
  });

  describe('releaseClaims', () => {
    it('returns units leased by a dead incarnation of this worker to the queue, attempts not counted', async () => {
      await store.enqueue([unit('a'), unit('b'), unit('c')], T0);
      const mine = await store.claim({ owner: 'w1', nowMs: T0, leaseMs: 600_000, limit: 2 });
      const theirs = await store.claim({ owner: 'w2', nowMs: T0, leaseMs: 600_000, limit: 1 });
      expect(await store.releaseClaims('w1', T0 + 1)).toBe(2);
      const again = await store.claim({ owner: 'w1', nowMs: T0 + 2, leaseMs: 600_000, limit: 5 });
      expect(again.map((u) => u.identity).sort()).toEqual(mine.map((u) => u.identity).sort());
      expect(again.every((u) => u.attempts === 1)).toBe(true);
      expect(await store.complete((theirs[0] as QueueUnit).id, 'w2', T0 + 3)).toBe(true);
    });
  });
});
