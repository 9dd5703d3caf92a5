import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nyDate } from '../calendar/index.js';
import { VirtualClock } from '../clock/index.js';
import { openStateStore, type StateStore } from '../state/index.js';
import { BudgetExhausted, Pacer, budgetCapFor, withRequestOrigin } from './index.js';

const T0 = Date.UTC(2026, 10, 23, 12);
const RESET = Date.UTC(2026, 10, 24);
/** 00:00 America/New_York on 2026-11-24 (EST, UTC−5). */
const NY_RESET = Date.UTC(2026, 10, 24, 5);
const HOUR = 3_600_000;
let dir: string;
let state: StateStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pacer-reserve-'));
  state = await openStateStore(path.join(dir, 'state.sqlite'));
});
afterEach(async () => {
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

const refusal = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe('forward reserve', () => {
  it('backfill stops at its share and is told when the reserve opens; forward work spends the rest', async () => {
    const clock = new VirtualClock({ start: T0 });
    const pacer = await Pacer.create({ clock, state, limits: { fmp: { rpm: 1000, dailyBudget: 10, backfillBudget: 8 } } });
    await withRequestOrigin('backfill', async () => {
      for (let i = 0; i < 8; i += 1) await pacer.acquire('fmp', 'fmp.statements');
    });
    const refused = await refusal(withRequestOrigin('backfill', () => pacer.acquire('fmp', 'fmp.statements')));
    expect(refused).toBeInstanceOf(BudgetExhausted);
    // The first of the 2 reserved requests is released half-way through the last hour; the day itself
    // frees only at New York's midnight (both counters hold the 8).
    expect(refused).toMatchObject({ scope: 'backfill', resetAtMs: NY_RESET, retryAtMs: RESET - HOUR / 2 });
    // A unit of another origin (and a call outside any unit) may use the reserve.
    await withRequestOrigin('forward', () => pacer.acquire('fmp', 'fmp.statements'));
    await pacer.acquire('fmp', 'fmp.statements');
    const spent = await refusal(withRequestOrigin('reference', () => pacer.acquire('fmp', 'fmp.statements')));
    expect(spent).toMatchObject({ scope: 'daily', retryAtMs: NY_RESET });
    expect(await state.getSpend('fmp', '2026-11-23')).toBe(10);
  });

  it('releases the unused reserve to backfill progressively over the last hour', async () => {
    const clock = new VirtualClock({ start: T0 });
    const pacer = await Pacer.create({ clock, state, limits: { fmp: { rpm: 1000, dailyBudget: 10, backfillBudget: 6 } } });
    const backfill = (): Promise<void> => withRequestOrigin('backfill', () => pacer.acquire('fmp', 'fmp.statements'));
    for (let i = 0; i < 6; i += 1) await backfill();
    const first = (await refusal(backfill())) as BudgetExhausted;
    expect(first.retryAtMs).toBe(RESET - HOUR + HOUR / 4);
    clock.advanceTo(first.retryAtMs);
    await backfill();
    expect(await refusal(backfill())).toMatchObject({ retryAtMs: RESET - HOUR / 2 });
    clock.advanceTo(RESET - 1);
    // A millisecond before the reset 3 of the 4 reserved requests are released (the 4th is at the reset itself).
    for (let i = 0; i < 2; i += 1) await backfill();
    expect(await refusal(backfill())).toMatchObject({ scope: 'backfill', retryAtMs: RESET });
    // At the UTC reset New York's day (19:00 there) still holds the 9: backfill waits for its midnight.
    clock.advanceTo(RESET);
    expect(await refusal(backfill())).toMatchObject({ scope: 'backfill', resetAtMs: NY_RESET, retryAtMs: NY_RESET });
    clock.advanceTo(NY_RESET);
    await backfill();
    expect(await state.getSpend('fmp', '2026-11-23')).toBe(9);
    expect(await state.getSpend('fmp', '2026-11-24')).toBe(1);
  });

  it('never lets a vendor counter that turns over at UTC or at New York midnight pass the budget', async () => {
    // Alpha Vantage's reset is undocumented: spend it all in New York's afternoon, then keep asking.
    const clock = new VirtualClock({ start: Date.UTC(2026, 10, 23, 19) });
    const pacer = await Pacer.create({ clock, state, limits: { av: { rpm: 1000, dailyBudget: 25 } } });
    const granted: number[] = [];
    for (let hour = 0; hour < 48; hour += 1) {
      for (;;) {
        const result = await refusal(pacer.acquire('av', 'av.listing_status'));
        if (result instanceof BudgetExhausted) {
          expect(result.retryAtMs).toBeGreaterThan(clock.now());
          break;
        }
        granted.push(clock.now());
      }
      clock.advanceTo(clock.now() + HOUR);
    }
    const perDay = (dayOf: (ms: number) => string): number => {
      const counts = new Map<string, number>();
      for (const at of granted) counts.set(dayOf(at), (counts.get(dayOf(at)) ?? 0) + 1);
      return Math.max(...counts.values());
    };
    expect(perDay((ms) => new Date(ms).toISOString().slice(0, 10))).toBeLessThanOrEqual(25);
    expect(perDay(nyDate)).toBeLessThanOrEqual(25);
    // Three New York days are touched; each day's 25 start at New York's midnight, not at 00:00 UTC.
    expect(granted.length).toBe(75);
    expect([granted[25], granted[50]]).toEqual([NY_RESET, NY_RESET + 24 * HOUR]);
  });

  it('budgetCapFor: no cap without a daily budget; forward always gets the whole day', () => {
    expect(budgetCapFor({ rpm: 5 }, 'backfill', T0, HOUR)).toBeUndefined();
    expect(budgetCapFor({ rpm: 5, dailyBudget: 25, backfillBudget: 20 }, 'forward', T0, HOUR)?.cap).toBe(25);
    expect(budgetCapFor({ rpm: 5, dailyBudget: 25, backfillBudget: 20 }, 'backfill', T0, HOUR)?.cap).toBe(20);
    expect(budgetCapFor({ rpm: 5, dailyBudget: 25, backfillBudget: 20 }, 'backfill', RESET - 1, HOUR)?.cap).toBe(24);
    expect(budgetCapFor({ rpm: 5, dailyBudget: 25, backfillBudget: 0 }, 'backfill', T0, 0)?.retryAtMs(0)).toBe(RESET);
  });
});

describe('one set of limits for every pacer on a store', () => {
  it('three pacers (three workers) together stay within Polygon 5/min, 12 s spacing and the daily budget', async () => {
    const clock = new VirtualClock({ start: T0 });
    const limits = { polygon: { rpm: 5, minIntervalMs: 12_000, dailyBudget: 20 } };
    const stores = [state, await openStateStore(path.join(dir, 'state.sqlite')), await openStateStore(path.join(dir, 'state.sqlite'))];
    try {
      const pacers = await Promise.all(stores.map((s) => Pacer.create({ clock, state: s, limits, windowMarginMs: 0 })));
      const sent: number[] = [];
      const outcomes = await Promise.all(
        pacers.map(async (pacer) => {
          for (;;) {
            try {
              await pacer.acquire('polygon', 'polygon.aggs.grouped_daily');
              sent.push(clock.now());
            } catch (error) {
              return error;
            }
          }
        }),
      );
      expect(outcomes.every((e) => e instanceof BudgetExhausted)).toBe(true);
      expect(sent).toHaveLength(20);
      sent.sort((a, b) => a - b);
      for (let i = 1; i < sent.length; i += 1) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(12_000);
      for (const at of sent) expect(sent.filter((t) => t > at - 60_000 && t <= at).length).toBeLessThanOrEqual(5);
    } finally {
      await Promise.all(stores.slice(1).map((s) => s.close()));
    }
  });

  it('a freeze one worker records is honoured by another', async () => {
    const clock = new VirtualClock({ start: T0 });
    const limits = { alpaca: { rpm: 200 } };
    const other = await openStateStore(path.join(dir, 'state.sqlite'));
    try {
      const a = await Pacer.create({ clock, state, limits, healthRefreshMs: 0 });
      const b = await Pacer.create({ clock, state: other, limits, healthRefreshMs: 0 });
      a.settle('alpaca', 'alpaca.bars', { status: 429, error: 'RateLimited', resetAtMs: T0 + 45_000, atMs: T0 });
      await a.flush();
      await b.acquire('alpaca', 'alpaca.bars');
      expect(clock.now()).toBe(T0 + 45_000);
    } finally {
      await other.close();
    }
  });
});
