import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { pacerLimits } from '../src/cli/runtime.js';
import { livePlans } from '../src/router/index.js';
import { SANDBOX_VENDORS, faultInjector, parseFaultSpec, type Sandbox } from '../src/sandbox/index.js';
import { runPipelineOnce, type ExecutorReport } from '../src/scheduler/index.js';
import type { VendorId } from '../src/catalog/index.js';
import { describeBackends, type E2eBackend } from './support/backends.js';
import { removeDir, tempDir } from './support/cli.js';
import { eveningOf, openSimRuntime, simConfigs, startSim } from './support/pacing-sim.js';

const AS_OF = '2026-11-20';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  backend: E2eBackend,
  options: { budgets?: { vendor: string; edge: number; backfill: number }[]; faults?: string },
): Promise<{ sandbox: Sandbox; clock: VirtualClock; configDir: string; dataDir: string; storage: Record<string, string> }> {
  const provisioned = await backend.provision();
  cleanups.push(() => provisioned.dispose());
  const configDir = await simConfigs(10, options.budgets ?? []);
  const dataDir = await tempDir('pacing-faults');
  // A hung request holds virtual time for at most 100 ms of real time, then its virtual timeout may fire.
  const clock = new VirtualClock({ start: eveningOf(AS_OF), maxHoldRealMs: 100 });
  const faults = options.faults === undefined ? undefined : faultInjector(parseFaultSpec(options.faults, SANDBOX_VENDORS), 1);
  const sandbox = await startSim({ clock, asOf: AS_OF, symbols: 30, ...(faults ? { faults } : {}) });
  cleanups.push(() => removeDir(configDir), () => removeDir(dataDir), () => sandbox.close());
  return { sandbox, clock, configDir, dataDir, storage: provisioned.env };
}

const sum = (reports: ExecutorReport[], vendor: VendorId, key: 'done' | 'deferred' | 'dead'): number => reports.filter((r) => r.vendor === vendor).reduce((n, r) => n + r[key], 0);

describeBackends('pacing under faults (sandbox, virtual clock)', (backend) => {
  it('--faults polygon=hang: every other vendor keeps advancing and Polygon is recorded frozen with its reason', async () => {
    const { sandbox, clock, configDir, dataDir, storage } = await setup(backend, { faults: 'polygon=hang' });
    const runtime = await openSimRuntime({ configDir, dataDir, sandbox, clock, storage });
    try {
      const report = await runPipelineOnce(runtime, { repairRounds: 0 });
      const alpacaSessions = (await runtime.lake.listRawPartitions('equities_eod', 'alpaca')).map((p) => p.date);
      expect(alpacaSessions.length).toBeGreaterThanOrEqual(5);
      expect(sum(report.executors, 'alpaca', 'done')).toBeGreaterThan(0);
      expect(sum(report.executors, 'alpaca', 'dead')).toBe(0);
      expect(await runtime.lake.listRawPartitions('equities_eod', 'polygon')).toEqual([]);
      // Only hung requests reached Polygon's server (status 0), each given up on by the client's virtual timeout.
      const polygonLog = sandbox.requestLog().filter((e) => e.vendor === 'polygon');
      expect(polygonLog.length).toBeGreaterThan(0);
      expect(polygonLog.every((e) => e.status === 0)).toBe(true);
      await runtime.pacer.flush();
      const health = await runtime.state.getVendorHealth('polygon');
      expect(health?.frozenUntilMs).not.toBeNull();
      expect(health?.reason).toMatch(/circuit open after \d+ consecutive network errors/);
      const alpacaHealth = await runtime.state.getVendorHealth('alpaca');
      expect(alpacaHealth?.frozenUntilMs ?? null).toBeNull();
    } finally {
      await runtime.close();
    }
  }, 900_000);

  it('a budget-0 vendor: its units are deferred with the reason, nothing dropped, and its datasets move to the next vendor', async () => {
    const { sandbox, clock, configDir, dataDir, storage } = await setup(backend, { budgets: [{ vendor: 'alpaca', edge: 0, backfill: 0 }] });
    const runtime = await openSimRuntime({ configDir, dataDir, sandbox, clock, storage });
    try {
      const report = await runPipelineOnce(runtime, { repairRounds: 0 });
      expect(sandbox.stats().alpaca.requests).toBe(0);
      expect(sum(report.executors, 'alpaca', 'deferred')).toBeGreaterThan(0);
      const alpacaUnits = await runtime.state.listQueue({ vendor: 'alpaca' });
      expect(alpacaUnits.length).toBeGreaterThan(0);
      for (const unit of alpacaUnits) {
        expect(unit.status, unit.identity).toBe('queued');
        // Units not due yet (a session's minute bars wait for the next day) were never tried; every other one was refused by the budget.
        if (unit.deferReason !== null) expect(unit.deferReason, unit.identity).toMatch(/budget spent/);
        expect(unit.notBeforeMs).toBeGreaterThan(clock.now());
      }
      const refused = alpacaUnits.filter((u) => u.deferReason !== null);
      expect(refused.length).toBeGreaterThan(0);
      // Polygon still collected the sessions.
      expect((await runtime.lake.listRawPartitions('equities_eod', 'polygon')).length).toBeGreaterThan(0);
      const deferred = await runtime.state.recentLog(refused.length + 50, { vendor: 'alpaca', event: 'unit.deferred' });
      expect(deferred.length).toBe(refused.length);

      const plans = await livePlans(runtime.state, {
        config: runtime.config,
        nowMs: clock.now(),
        configured: Object.keys(runtime.clients) as VendorId[],
        limits: pacerLimits(runtime.config, Object.keys(runtime.clients) as VendorId[]),
      });
      const symbols = plans.get('symbols');
      expect(symbols?.capabilities.find((c) => c.vendor === 'alpaca')).toMatchObject({ status: 'excluded', reason: 'daily budget spent (0/0)' });
      expect(symbols?.active[0]).toBe('polygon');
      expect(symbols?.capabilities.find((c) => c.vendor === 'polygon')?.reason).toMatch(/^fallback: alpaca daily budget spent/);
      expect(plans.get('equities_eod')?.active).not.toContain('alpaca');
      expect(plans.get('corp_actions')?.capabilities.find((c) => c.vendor === 'alpaca')?.status).toBe('excluded');
    } finally {
      await runtime.close();
    }
  }, 900_000);
});
