import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../index.js';
import { T0, unit } from '../test-support/fixtures.js';
import { describeContract, type Scratch } from '../test-support/backends.js';

describeContract('worker heartbeats', (backend) => {
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

  describe('listLeases', () => {
    it('lists held leases under a prefix by name, expired ones included, released ones not', async () => {
      const a = (await store.acquireLease('worker:w1', 'w1', 10_000, T0))!;
      await store.acquireLease('worker:w2', 'w2', 1_000, T0);
      const b = (await store.acquireLease('worker:w3', 'w3', 10_000, T0))!;
      await store.acquireLease('executor:polygon', 'w1', 10_000, T0);
      await store.releaseLease(b);
      expect(await store.listLeases('worker:')).toEqual([
        a,
        { name: 'worker:w2', owner: 'w2', generation: 1, expiresAtMs: T0 + 1_000 },
      ]);
      expect(await store.listLeases('nothing:')).toEqual([]);
    });

    it('takes the prefix literally (no LIKE wildcards)', async () => {
      await store.acquireLease('worker:a_b', 'x', 10_000, T0);
      await store.acquireLease('worker:a%b', 'y', 10_000, T0);
      expect((await store.listLeases('worker:a_')).map((l) => l.name)).toEqual(['worker:a_b']);
      expect((await store.listLeases('worker:a%')).map((l) => l.name)).toEqual(['worker:a%b']);
    });
  });

  describe('renewClaims', () => {
    it("extends every unexpired claim of the owner and nobody else's", async () => {
      await store.enqueue([unit('a'), unit('b'), unit('c')], T0);
      await store.claim({ owner: 'w1', nowMs: T0, leaseMs: 5_000, limit: 2 });
      await store.claim({ owner: 'w2', nowMs: T0, leaseMs: 5_000, limit: 1 });
      expect(await store.renewClaims('w1', 5_000, T0 + 4_000)).toBe(2);
      const leased = await store.listQueue({ status: 'leased' });
      expect(leased.filter((u) => u.leaseOwner === 'w1').map((u) => u.leaseExpiresAtMs)).toEqual([T0 + 9_000, T0 + 9_000]);
      expect(leased.filter((u) => u.leaseOwner === 'w2').map((u) => u.leaseExpiresAtMs)).toEqual([T0 + 5_000]);
      // w2's claim expired unrenewed: w1 may take it over, and w2 waking up cannot revive it.
      const [taken] = await store.claim({ owner: 'w1', nowMs: T0 + 5_000, leaseMs: 5_000, limit: 1 });
      expect(taken?.identity).toBe('c');
      expect(await store.renewClaims('w2', 5_000, T0 + 5_001)).toBe(0);
      expect(await store.complete(taken!.id, 'w2', T0 + 5_002)).toBe(false);
    });

    it('does not revive an expired claim nobody took', async () => {
      await store.enqueue([unit('a')], T0);
      await store.claim({ owner: 'w1', nowMs: T0, leaseMs: 5_000, limit: 1 });
      expect(await store.renewClaims('w1', 5_000, T0 + 5_000)).toBe(0);
      const [again] = await store.claim({ owner: 'w2', nowMs: T0 + 5_000, leaseMs: 5_000, limit: 1 });
      expect(again?.leaseOwner).toBe('w2');
    });
  });
});
