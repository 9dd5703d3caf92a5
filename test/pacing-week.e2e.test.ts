import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../src/calendar/index.js';
import { VirtualClock } from '../src/clock/index.js';
import type { Runtime } from '../src/cli/runtime.js';
import { SANDBOX_VENDORS, type Sandbox } from '../src/sandbox/index.js';
import { runPipelineOnce } from '../src/scheduler/index.js';
import { describeBackends, type ProvisionedBackend } from './support/backends.js';
import { removeDir, tempDir } from './support/cli.js';
import { FREE_LIMITS, busiestMinute, eveningOf, openSimRuntime, perUtcDay, simConfigs, startSim } from './support/pacing-sim.js';

/**
 * A simulated week of the node loop on the free tiers' real limits (the sandbox enforces them and
 * answers 429 / throttle bodies past them), with Polygon's daily budget cut to 12 so the budget is
 * reached every day, and a restart (state store and pacer closed and reopened) in the middle of a
 * budget day. The checks read the sandbox's own request log, so they cover every task the loop runs.
 */
const MONDAY = '2026-11-16';
const POLYGON_BUDGET = 12;

describeBackends('a simulated week on the free limits', (backend) => {
  let storage: ProvisionedBackend;
  let sandbox: Sandbox;
  let configDir: string;
  let dataDir: string;
  let clock: VirtualClock;
  const deferredReasons = new Set<string>();

  beforeAll(async () => {
    storage = await backend.provision();
    configDir = await simConfigs(10, [{ vendor: 'polygon', edge: POLYGON_BUDGET, backfill: 9 }]);
    dataDir = await tempDir('pacing-week');
    clock = new VirtualClock({ start: eveningOf(MONDAY) });
    sandbox = await startSim({ clock, asOf: MONDAY, symbols: 20 });
    let runtime: Runtime = await openSimRuntime({ configDir, dataDir, sandbox, clock, storage: storage.env });
    const runOnce = async (): Promise<void> => {
      await runPipelineOnce(runtime, { onEvent: (e) => void (e.kind === 'deferred' && deferredReasons.add(`${e.vendor}: ${e.reason}`)) });
    };
    try {
      for (let day = 0; day < 7; day += 1) {
        clock.advanceTo(eveningOf(addDays(MONDAY, day)));
        await runOnce();
        if (day === 3) {
          // Restart in the middle of the budget day: a new state handle and a new pacer must know what was spent.
          await runtime.close();
          clock.advanceTo(clock.now() + 30 * 60_000);
          runtime = await openSimRuntime({ configDir, dataDir, sandbox, clock, storage: storage.env });
          await runOnce();
        }
      }
    } finally {
      await runtime.close();
    }
  }, 1_800_000);
  afterAll(async () => {
    await sandbox?.close();
    await Promise.all([removeDir(configDir), removeDir(dataDir), storage?.dispose()]);
  });

  it('no vendor ever received more requests than its limit in any sliding minute', () => {
    const log = sandbox.requestLog();
    expect(log.length).toBeGreaterThan(50);
    for (const vendor of SANDBOX_VENDORS) expect(busiestMinute(log, vendor), vendor).toBeLessThanOrEqual(FREE_LIMITS[vendor].perMinute);
  });

  it('zero self-inflicted 429s or throttle bodies, on every vendor', () => {
    const stats = sandbox.stats();
    for (const vendor of SANDBOX_VENDORS) {
      expect(stats[vendor].rateLimited, vendor).toBe(0);
      expect(stats[vendor].byStatus[429] ?? 0, vendor).toBe(0);
    }
  });

  it('no daily budget exceeded on any UTC day, the restart day included; backfill stopped at its share', async () => {
    const log = sandbox.requestLog();
    const polygonDays = perUtcDay(log, 'polygon');
    expect(Math.max(...Object.values(polygonDays))).toBeLessThanOrEqual(POLYGON_BUDGET);
    // Backfill's share is min(backfill.yml 9, 12 × 80 %) = 9 and was reached; only forward/reference work may
    // spend the 3-request reserve (the runs are at 02:00 UTC, far from its release in the day's last hour).
    expect(Math.max(...Object.values(polygonDays))).toBeGreaterThanOrEqual(9);
    for (const vendor of ['av', 'fmp'] as const) {
      for (const n of Object.values(perUtcDay(log, vendor))) expect(n, vendor).toBeLessThanOrEqual(FREE_LIMITS[vendor].perDay as number);
    }
    // Backfill work hit Polygon's budget and was deferred with the reason, not dropped.
    expect([...deferredReasons]).toContain('polygon: backfill share of the daily budget spent (forward reserve)');
    const state = await storage.openState(dataDir);
    try {
      const stats = await state.queueStats(clock.now());
      expect(stats.byStatus.leased).toBe(0);
      // Dead letters exist for real vendor refusals (entitlements, unknown symbols), never for our own pacing.
      const dead = await state.listQueue({ status: 'dead' });
      expect(dead.filter((u) => /budget|rate limit|frozen|429/i.test(u.lastError ?? '')).map((u) => u.identity)).toEqual([]);
      // Each day's grant for the restart day is in the store once: the reopened pacer did not start from zero.
      const restartDay = new Date(eveningOf(addDays(MONDAY, 3))).toISOString().slice(0, 10);
      expect(await state.getSpend('polygon', restartDay)).toBe(polygonDays[restartDay]);
    } finally {
      await state.close();
    }
  });
});
