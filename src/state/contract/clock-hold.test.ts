import { afterEach, beforeEach, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { BudgetExhausted, Pacer } from '../../pacing/index.js';
import { holdClockDuringCalls, type StateStore } from '../index.js';
import { describeContract, type Scratch } from '../test-support/backends.js';
import { T0 } from '../test-support/fixtures.js';

describeContract('a virtual clock held during state calls', (backend) => {
  let scratch: Scratch;
  let raw: StateStore;
  beforeEach(async () => {
    scratch = await backend.scratch();
    raw = await scratch.open();
  });
  afterEach(async () => {
    await raw.close();
    await scratch.dispose();
  });

  it('does not advance while a call is in flight, though another actor is due', async () => {
    const clock = new VirtualClock({ start: T0 });
    const store = holdClockDuringCalls(raw, clock);
    let woke = false;
    const sleeper = clock.sleep(1).then(() => (woke = true));
    for (let i = 0; i < 30; i += 1) {
      await store.recordRequest('av', '2026-11-24', clock.now());
      expect(clock.now()).toBe(T0);
    }
    expect(woke).toBe(false);
    await sleeper;
    expect(clock.now()).toBe(T0 + 1);
  });

  it('a request granted by the pacer goes out at the instant it was granted, while other actors sleep', async () => {
    const clock = new VirtualClock({ start: T0 });
    const store = holdClockDuringCalls(raw, clock);
    const pacer = await Pacer.create({ clock, state: store, limits: { av: { rpm: 30, minIntervalMs: 2_000, dailyBudget: 25 } }, windowMarginMs: 0 });
    const sentAt: number[] = [];
    // Another actor wakes every 300 ms of virtual time, as other vendors' executors do.
    let stop = false;
    const ticker = (async () => {
      while (!stop) await clock.sleep(300);
    })();
    for (;;) {
      const granted = await pacer.acquire('av', 'av.splits').then(
        () => true,
        (e: unknown) => (e instanceof BudgetExhausted ? false : Promise.reject(e)),
      );
      if (!granted) break;
      // The request goes out after one more state call (as the HTTP client logs it): still at the grant's instant.
      await store.getSpend('av', '2026-11-24');
      sentAt.push(clock.now());
    }
    stop = true;
    await ticker;
    expect(sentAt).toHaveLength(25);
    // The instants the store recorded for the grants are the instants the requests went out.
    expect(await raw.recentRequests('av', T0)).toEqual(sentAt);
    for (let i = 1; i < sentAt.length; i += 1) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(2_000);
  });
});
