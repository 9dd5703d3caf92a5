import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ReserveRequest, StateStore } from '../index.js';
import { describeContract, type Scratch } from '../test-support/backends.js';
import { T0, unit } from '../test-support/fixtures.js';

const DAY = '2026-11-24';
const polygon = (atMs: number, overrides: Partial<ReserveRequest> = {}): ReserveRequest => ({
  vendor: 'polygon',
  day: DAY,
  atMs,
  windowMs: 60_000,
  rpm: 5,
  minIntervalMs: 0,
  ...overrides,
});

describeContract('request reservations and claim fencing', (backend) => {
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
  const open = async (count: number): Promise<StateStore[]> => {
    for (let i = 0; i < count; i += 1) handles.push(await scratch.open());
    return handles;
  };

  it('grants up to rpm in a sliding window, then names when the oldest leaves it', async () => {
    const [store] = await open(1);
    for (let i = 0; i < 5; i += 1) expect(await store!.reserveRequest(polygon(T0 + i * 1000))).toEqual({ granted: true, spent: i + 1 });
    expect(await store!.reserveRequest(polygon(T0 + 10_000))).toEqual({ granted: false, reason: 'rate', retryAtMs: T0 + 60_000, spent: 5 });
    // The first request leaves the window exactly at T0 + 60 s (instants at or before now − window are out).
    expect(await store!.reserveRequest(polygon(T0 + 60_000))).toEqual({ granted: true, spent: 6 });
    expect(await store!.getSpend('polygon', DAY)).toBe(6);
    expect(await store!.recentRequests('polygon', T0)).toEqual([0, 1000, 2000, 3000, 4000, 60_000].map((d) => T0 + d));
  });

  it('enforces the minimum spacing and the daily limit, and a refusal records nothing', async () => {
    const [store] = await open(1);
    expect(await store!.reserveRequest(polygon(T0, { minIntervalMs: 12_000, dailyLimit: 2 }))).toMatchObject({ granted: true });
    expect(await store!.reserveRequest(polygon(T0 + 5_000, { minIntervalMs: 12_000, dailyLimit: 2 }))).toEqual({
      granted: false,
      reason: 'interval',
      retryAtMs: T0 + 12_000,
      spent: 1,
    });
    expect(await store!.reserveRequest(polygon(T0 + 12_000, { minIntervalMs: 12_000, dailyLimit: 2 }))).toEqual({ granted: true, spent: 2 });
    expect(await store!.reserveRequest(polygon(T0 + 30_000, { minIntervalMs: 12_000, dailyLimit: 2 }))).toEqual({ granted: false, reason: 'budget', spent: 2, fullDays: [DAY] });
    expect(await store!.getSpend('polygon', DAY)).toBe(2);
    // Another vendor and another day have windows and counts of their own.
    expect(await store!.reserveRequest(polygon(T0 + 30_000, { vendor: 'av', dailyLimit: 1 }))).toEqual({ granted: true, spent: 1 });
    expect(await store!.reserveRequest(polygon(T0 + 86_400_000, { day: '2026-11-25', dailyLimit: 2 }))).toEqual({ granted: true, spent: 1 });
  });

  it('a request counts against every day it names; any day at the limit refuses it, and the refusal names each full day', async () => {
    const [store] = await open(1);
    const NY = '2026-11-23@America/New_York';
    // Spent late on the New York day: that counter is full although the UTC day is fresh.
    for (let i = 0; i < 3; i += 1) await store!.reserveRequest(polygon(T0 + i, { day: '2026-11-23', extraDays: [NY], dailyLimit: 3 }));
    expect(await store!.reserveRequest(polygon(T0 + 10, { day: DAY, extraDays: [NY], dailyLimit: 3 }))).toEqual({ granted: false, reason: 'budget', spent: 3, fullDays: [NY] });
    expect(await store!.getSpend('polygon', DAY)).toBe(0);
    // Once the New York day turns over, the UTC day's own count is what is reported.
    const NY_NEXT = '2026-11-24@America/New_York';
    expect(await store!.reserveRequest(polygon(T0 + 20, { day: DAY, extraDays: [NY_NEXT], dailyLimit: 3 }))).toEqual({ granted: true, spent: 1 });
    expect([await store!.getSpend('polygon', '2026-11-23'), await store!.getSpend('polygon', NY), await store!.getSpend('polygon', DAY), await store!.getSpend('polygon', NY_NEXT)]).toEqual([3, 3, 1, 1]);
    // Spent on both days: the refusal names both, so the caller waits for the later turnover.
    for (let i = 0; i < 2; i += 1) await store!.reserveRequest(polygon(T0 + 120_000 + i, { day: DAY, extraDays: [NY_NEXT], dailyLimit: 3 }));
    expect(await store!.reserveRequest(polygon(T0 + 120_010, { day: DAY, extraDays: [NY_NEXT], dailyLimit: 3 }))).toEqual({ granted: false, reason: 'budget', spent: 3, fullDays: [DAY, NY_NEXT] });
  });

  it('several handles reserving in parallel never exceed the window nor the daily limit', async () => {
    const stores = await open(4);
    // 4 handles × 20 attempts at the same instant: exactly rpm (5) can win.
    const burst = await Promise.all(stores.flatMap((h) => Array.from({ length: 20 }, () => h.reserveRequest(polygon(T0, { rpm: 5 })))));
    expect(burst.filter((r) => r.granted)).toHaveLength(5);
    expect(burst.filter((r) => !r.granted).every((r) => !r.granted && r.reason === 'rate')).toBe(true);

    // Over a simulated 10 minutes, each handle retries at the time it was told: the fleet stays within
    // 5 per sliding minute and within a daily limit of 30 (the limit itself is reached, not passed).
    const granted: number[] = [];
    await Promise.all(
      stores.map(async (h) => {
        let at = T0 + 1;
        while (at < T0 + 600_000) {
          const result = await h.reserveRequest(polygon(at, { rpm: 5, dailyLimit: 30 }));
          if (result.granted) granted.push(at);
          else if (result.reason === 'budget') break;
          at = result.granted ? at + 1 : result.retryAtMs;
        }
      }),
    );
    const all = [...Array.from({ length: 5 }, () => T0), ...granted].sort((a, b) => a - b);
    expect(all).toHaveLength(30);
    for (const t of all) expect(all.filter((s) => s > t - 60_000 && s <= t).length).toBeLessThanOrEqual(5);
    expect(await stores[0]!.getSpend('polygon', DAY)).toBe(30);
  });

  it('extendClaim renews only an unexpired claim of the same owner', async () => {
    const [a, b] = await open(2);
    await a!.enqueue([unit('u')], T0);
    const [held] = await a!.claim({ owner: 'node-a', nowMs: T0, leaseMs: 1_000, limit: 1 });
    expect(await a!.extendClaim(held!.id, 'node-a', 1_000, T0 + 500)).toBe(true);
    expect((await a!.listQueue())[0]?.leaseExpiresAtMs).toBe(T0 + 1_500);
    expect(await b!.extendClaim(held!.id, 'node-b', 1_000, T0 + 600)).toBe(false);
    // Expired: even unclaimed by anyone else, the holder may no longer commit.
    expect(await a!.extendClaim(held!.id, 'node-a', 1_000, T0 + 1_500)).toBe(false);
    const [taken] = await b!.claim({ owner: 'node-b', nowMs: T0 + 1_500, leaseMs: 1_000, limit: 1 });
    expect(taken?.id).toBe(held?.id);
    expect(await a!.extendClaim(held!.id, 'node-a', 1_000, T0 + 1_501)).toBe(false);
    expect(await b!.extendClaim(taken!.id, 'node-b', 1_000, T0 + 1_501)).toBe(true);
    expect(await b!.complete(taken!.id, 'node-b', T0 + 1_600)).toBe(true);
    expect(await b!.extendClaim(taken!.id, 'node-b', 1_000, T0 + 1_700)).toBe(false);
  });
});
