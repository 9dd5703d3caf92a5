import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../index.js';
import { T0 } from '../test-support/fixtures.js';
import { describeContract, type Scratch } from '../test-support/backends.js';

describeContract('leases', (backend) => {
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

  describe('leases', () => {
    it('grants a free lease and refuses another owner while it is unexpired', async () => {
      const lease = await store.acquireLease('executor:polygon', 'node-a', 30_000, T0);
      expect(lease).toEqual({ name: 'executor:polygon', owner: 'node-a', generation: 1, expiresAtMs: T0 + 30_000 });
      expect(await store.acquireLease('executor:polygon', 'node-b', 30_000, T0 + 29_999)).toBeUndefined();
      expect(await store.isLeaseCurrent(lease!, T0 + 29_999)).toBe(true);
      expect(await store.isLeaseCurrent(lease!, T0 + 30_000)).toBe(false);
    });

    it('on takeover after expiry bumps the generation and fences the old holder out', async () => {
      const old = (await store.acquireLease('executor:polygon', 'node-a', 30_000, T0))!;
      const taken = (await store.acquireLease('executor:polygon', 'node-b', 30_000, T0 + 30_000))!;
      expect(taken.generation).toBe(old.generation + 1);
      expect(taken.owner).toBe('node-b');
      expect(await store.isLeaseCurrent(old, T0 + 30_001)).toBe(false);
      expect(await store.renewLease(old, 30_000, T0 + 30_001)).toBeUndefined();
      // The old holder's release must not free the new holder's lease.
      await store.releaseLease(old);
      expect(await store.isLeaseCurrent(taken, T0 + 30_002)).toBe(true);
      expect(await store.acquireLease('executor:polygon', 'node-c', 30_000, T0 + 30_002)).toBeUndefined();
    });

    it('renews a held lease keeping its generation, also after expiry when nobody took it', async () => {
      const lease = (await store.acquireLease('audit', 'node-a', 10_000, T0))!;
      const renewed = await store.renewLease(lease, 10_000, T0 + 5_000);
      expect(renewed).toEqual({ ...lease, expiresAtMs: T0 + 15_000 });
      expect(await store.acquireLease('audit', 'node-b', 10_000, T0 + 14_000)).toBeUndefined();
      const late = await store.renewLease(renewed!, 10_000, T0 + 20_000);
      expect(late).toEqual({ ...lease, expiresAtMs: T0 + 30_000 });
      expect(await store.isLeaseCurrent(late!, T0 + 29_000)).toBe(true);
    });

    it('release frees the lease; the next acquisition still gets a larger generation', async () => {
      const first = (await store.acquireLease('curate', 'node-a', 60_000, T0))!;
      await store.releaseLease(first);
      expect(await store.isLeaseCurrent(first, T0 + 1)).toBe(false);
      expect(await store.renewLease(first, 60_000, T0 + 1)).toBeUndefined();
      const second = (await store.acquireLease('curate', 'node-b', 60_000, T0 + 1))!;
      expect(second.generation).toBe(2);
      const third = (await store.acquireLease('curate', 'node-b', 60_000, T0 + 2))!;
      // Re-acquiring one's own lease is a new acquisition too: it fences any older handle of that owner.
      expect(third.generation).toBe(3);
      expect(await store.isLeaseCurrent(second, T0 + 3)).toBe(false);
      expect(await store.isLeaseCurrent(third, T0 + 3)).toBe(true);
    });

    it('keeps leases of different names independent', async () => {
      const a = (await store.acquireLease('executor:alpaca', 'node-a', 1000, T0))!;
      const b = (await store.acquireLease('executor:fred', 'node-b', 1000, T0))!;
      expect([a.generation, b.generation]).toEqual([1, 1]);
      expect(await store.isLeaseCurrent(a, T0 + 1)).toBe(true);
      expect(await store.isLeaseCurrent(b, T0 + 1)).toBe(true);
    });
  });
});
