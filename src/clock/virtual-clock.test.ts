import { describe, expect, it } from 'vitest';
import { VirtualClock } from './index.js';

const START = Date.UTC(2026, 0, 5, 12);

describe('VirtualClock', () => {
  it('advances to the earliest sleeper when every actor is waiting', async () => {
    const clock = new VirtualClock({ start: START });
    const order: string[] = [];
    await Promise.all([
      clock.sleep(60_000).then(() => order.push(`a@${clock.now() - START}`)),
      clock.sleep(12_000).then(() => order.push(`b@${clock.now() - START}`)),
    ]);
    expect(order).toEqual(['b@12000', 'a@60000']);
  });

  it('gives concurrent actors one timeline: elapsed time is the max, not the sum', async () => {
    const clock = new VirtualClock({ start: START });
    async function actor(step: number, times: number): Promise<void> {
      for (let i = 0; i < times; i += 1) await clock.sleep(step);
    }
    await Promise.all([actor(12_000, 5), actor(300, 100)]);
    expect(clock.now() - START).toBe(60_000);
  });

  it('does not advance while work is declared busy', async () => {
    const clock = new VirtualClock({ start: START });
    let release!: () => void;
    const io = clock.busy(new Promise<void>((resolve) => (release = resolve)));
    let woke = false;
    const sleeper = clock.sleep(1_000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    expect(clock.now()).toBe(START);
    release();
    await io;
    await sleeper;
    expect(woke).toBe(true);
    expect(clock.now()).toBe(START + 1_000);
  });

  it('lets a hung busy() stop pinning time after the real-time cap', async () => {
    const clock = new VirtualClock({ start: START, maxHoldRealMs: 30 });
    void clock.busy(new Promise<void>(() => undefined));
    await clock.sleep(30_000);
    expect(clock.now()).toBe(START + 30_000);
  });

  it('rejects an aborted sleep and forgets the waiter', async () => {
    const clock = new VirtualClock({ start: START });
    const controller = new AbortController();
    const sleeping = clock.sleep(5_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleepers).toBe(0);
  });

  it('wakes due sleepers on manual advance', async () => {
    const clock = new VirtualClock({ start: START, idleTurns: 1_000_000 });
    const woke: number[] = [];
    void clock.sleep(10).then(() => woke.push(10));
    void clock.sleep(20).then(() => woke.push(20));
    clock.advanceBy(15);
    await Promise.resolve();
    expect(woke).toEqual([10]);
  });
});
