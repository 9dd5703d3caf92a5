import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeContract, type Scratch } from '../test-support/backends.js';
import { T0, unit } from '../test-support/fixtures.js';

describeContract('a store across a restart', (backend) => {
  let scratch: Scratch;
  beforeEach(async () => {
    scratch = await backend.scratch();
  });
  afterEach(async () => {
    await scratch.dispose();
  });

  it('keeps bookmarks, budgets, request instants, health, bad symbols, leases, queue and log', async () => {
    const before = await scratch.open();
    await before.setBookmark('fred:treasuries', '2026-11-20', T0);
    for (const at of [T0 + 1000, T0 + 2000, T0 + 3000]) await before.recordRequest('polygon', '2026-11-24', at);
    await before.setVendorHealth({ vendor: 'polygon', frozenUntilMs: T0 + 60_000, reason: 'HTTP 429', consecutiveErrors: 2, updatedAtMs: T0 });
    await before.setCapabilityStatus({ vendor: 'av', endpoint: 'av.historical_options', status: 'denied', reason: 'premium', untilMs: null, updatedAtMs: T0 });
    await before.markBadSymbol({ vendor: 'finnhub', symbol: 'XYZQ', untilMs: T0 + 86_400_000, reason: 'no_data' });
    const lease = (await before.acquireLease('executor:polygon', 'node-a', 300_000, T0))!;
    await before.enqueue([unit('a', { priority: 1 }), unit('b', { priority: 5 }), unit('c', { priority: 5 })], T0);
    const [claimed] = await before.claim({ owner: 'node-a', nowMs: T0, leaseMs: 300_000, limit: 1 });
    await before.appendLog({ atMs: T0, level: 'info', event: 'unit.claimed', vendor: 'alpaca', detail: { identity: 'b' } });
    await before.close();

    const after = await scratch.open();
    expect(await after.getBookmark('fred:treasuries')).toBe('2026-11-20');
    expect(await after.getSpend('polygon', '2026-11-24')).toBe(3);
    // The sliding window is rebuilt from stored instants, and counting continues from the stored total.
    expect(await after.recentRequests('polygon', T0)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(await after.recordRequest('polygon', '2026-11-24', T0 + 4000)).toBe(4);
    expect(await after.getVendorHealth('polygon')).toMatchObject({ frozenUntilMs: T0 + 60_000, consecutiveErrors: 2 });
    expect(await after.listCapabilityStatus()).toMatchObject([{ vendor: 'av', status: 'denied' }]);
    expect((await after.badSymbols('finnhub', T0)).map((b) => b.symbol)).toEqual(['XYZQ']);
    // The lease survived: the holder is still current and another node is refused until expiry.
    expect(await after.isLeaseCurrent(lease, T0 + 1)).toBe(true);
    expect(await after.acquireLease('executor:polygon', 'node-b', 300_000, T0 + 1)).toBeUndefined();
    expect((await after.acquireLease('executor:polygon', 'node-b', 300_000, T0 + 300_000))?.generation).toBe(2);
    // The queue survived with its claim, which the restarted holder can still settle.
    expect((await after.listQueue()).map((u) => [u.identity, u.status, u.attempts])).toEqual([
      ['b', 'leased', 1],
      ['c', 'queued', 0],
      ['a', 'queued', 0],
    ]);
    expect(await after.complete(claimed!.id, 'node-a', T0 + 10)).toBe(true);
    expect(await after.recentLog(5)).toEqual([{ atMs: T0, level: 'info', event: 'unit.claimed', vendor: 'alpaca', detail: { identity: 'b' } }]);
    await after.close();
  });
});
