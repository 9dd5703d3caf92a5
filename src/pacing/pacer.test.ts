import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../clock/index.js';
import { openStateStore, type StateStore } from '../state/index.js';
import { BudgetExhausted, Pacer, VendorFrozen } from './index.js';

const T0 = Date.UTC(2026, 10, 23, 12);
let dir: string;
let state: StateStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pacer-'));
  state = await openStateStore(path.join(dir, 'state.sqlite'));
});
afterEach(async () => {
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Pacer', () => {
  it('spaces Polygon-style requests and never lets more than rpm into a sliding minute', async () => {
    const clock = new VirtualClock({ start: T0 });
    const pacer = await Pacer.create({ clock, state, limits: { polygon: { rpm: 5, minIntervalMs: 12_000 } }, windowMarginMs: 0 });
    const sent: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      await pacer.acquire('polygon', 'polygon.aggs.grouped_daily');
      sent.push(clock.now() - T0);
    }
    expect(sent.slice(0, 6)).toEqual([0, 12_000, 24_000, 36_000, 48_000, 60_000]);
    for (const at of sent) expect(sent.filter((t) => t > at - 60_000 && t <= at).length).toBeLessThanOrEqual(5);
    expect(await state.getSpend('polygon', '2026-11-23')).toBe(12);
  });

  it('refuses past the daily budget with the reset time, and the spend survives a restart', async () => {
    const clock = new VirtualClock({ start: T0 });
    const limits = { av: { rpm: 5, dailyBudget: 3 } };
    const first = await Pacer.create({ clock, state, limits });
    for (let i = 0; i < 3; i += 1) await first.acquire('av', 'av.splits');
    await expect(first.acquire('av', 'av.splits')).rejects.toBeInstanceOf(BudgetExhausted);
    await state.close();
    state = await openStateStore(path.join(dir, 'state.sqlite'));
    const restarted = await Pacer.create({ clock, state, limits });
    const refusal = await restarted.acquire('av', 'av.splits').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(BudgetExhausted);
    // Spent on the UTC day and the New York day alike: it may run again once both have turned over,
    // at New York's midnight (05:00 UTC), not at 00:00 UTC when New York's counter is still full.
    expect((refusal as BudgetExhausted).resetAtMs).toBe(Date.UTC(2026, 10, 24, 5));
    clock.advanceTo(Date.UTC(2026, 10, 24));
    await expect(restarted.acquire('av', 'av.splits')).rejects.toBeInstanceOf(BudgetExhausted);
    clock.advanceTo(Date.UTC(2026, 10, 24, 5));
    await restarted.acquire('av', 'av.splits');
  });

  it('a restarted pacer remembers the last minute of requests and does not burst', async () => {
    const clock = new VirtualClock({ start: T0 });
    const limits = { polygon: { rpm: 5 } };
    const first = await Pacer.create({ clock, state, limits, windowMarginMs: 0 });
    for (let i = 0; i < 5; i += 1) await first.acquire('polygon', 'polygon.aggs.grouped_daily');
    const restarted = await Pacer.create({ clock, state, limits, windowMarginMs: 0 });
    await restarted.acquire('polygon', 'polygon.aggs.grouped_daily');
    expect(clock.now() - T0).toBe(60_000);
  });

  it('freezes a vendor for the window a 429 names, then resumes', async () => {
    const clock = new VirtualClock({ start: T0 });
    const pacer = await Pacer.create({ clock, state, limits: { alpaca: { rpm: 200 } } });
    await pacer.acquire('alpaca', 'alpaca.bars');
    pacer.settle('alpaca', 'alpaca.bars', { status: 429, error: 'RateLimited', resetAtMs: T0 + 30_000, atMs: T0 });
    await pacer.acquire('alpaca', 'alpaca.bars');
    expect(clock.now()).toBe(T0 + 30_000);
    await pacer.flush();
    expect((await state.getVendorHealth('alpaca'))?.reason).toMatch(/rate limited/);
  });

  it('opens the circuit after consecutive network errors and says why', async () => {
    const clock = new VirtualClock({ start: T0 });
    const events: string[] = [];
    const pacer = await Pacer.create({
      clock,
      state,
      limits: { polygon: { rpm: 5 } },
      circuit: { threshold: 3, freezeMs: 600_000 },
      maxInlineWaitMs: 60_000,
      onEvent: (e) => events.push(e.kind),
    });
    for (let i = 0; i < 3; i += 1) pacer.settle('polygon', 'polygon.aggs.grouped_daily', { error: 'Transient', atMs: T0 });
    const refusal = await pacer.acquire('polygon', 'polygon.aggs.grouped_daily').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(VendorFrozen);
    expect((refusal as VendorFrozen).reason).toBe('circuit open after 3 consecutive network errors');
    expect(events).toContain('frozen');
    const snapshot = await pacer.snapshot();
    expect(snapshot[0]).toMatchObject({ vendor: 'polygon', frozenUntilMs: T0 + 600_000 });
  });

  it('a success resets the consecutive error count', async () => {
    const clock = new VirtualClock({ start: T0 });
    const pacer = await Pacer.create({ clock, state, limits: { polygon: { rpm: 5 } }, circuit: { threshold: 2, freezeMs: 600_000 } });
    pacer.settle('polygon', 'polygon.aggs.grouped_daily', { error: 'Transient', atMs: T0 });
    pacer.settle('polygon', 'polygon.aggs.grouped_daily', { status: 200, atMs: T0 });
    pacer.settle('polygon', 'polygon.aggs.grouped_daily', { error: 'Transient', atMs: T0 });
    await pacer.acquire('polygon', 'polygon.aggs.grouped_daily');
    expect(clock.now()).toBe(T0);
  });
});
