import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openRuntime, pipelineSettings, type Runtime } from '../../../../cli/runtime.js';
import type { VendorId } from '../../../../catalog/index.js';
import { VirtualClock } from '../../../../clock/index.js';
import { loadConfig, loadEnvironment, type BackfillTarget, type TrademlConfig } from '../../../../config/index.js';
import { Lake } from '../../../../lake/index.js';
import { createMarket, startSandbox, type Market, type Sandbox, type SandboxOptions } from '../../../../sandbox/index.js';
import { SqliteStateStore, type QueueUnitInput, type StateStore } from '../../../../state/index.js';
import type { UniverseMember } from '../../../../universe/index.js';
import { runVendorExecutor, type ExecutorReport } from '../../../executor.js';
import type { PipelineSettings } from '../../../settings.js';
import type { PlanContext } from '../../types.js';

export const CONFIG_DIR = path.resolve(import.meta.dirname, '../../../../../configs');

/** The shipped configs with some backfill targets replaced (tests shrink windows). */
export async function testConfig(targets: Partial<Record<string, Partial<BackfillTarget>>> = {}): Promise<TrademlConfig> {
  const config = await loadConfig(CONFIG_DIR);
  const merged = { ...config.backfill.targets } as Record<string, BackfillTarget>;
  for (const [dataset, patch] of Object.entries(targets)) merged[dataset] = { ...(merged[dataset] as BackfillTarget), ...patch } as BackfillTarget;
  return { ...config, backfill: { ...config.backfill, targets: merged } };
}

export function member(symbol: string, extra: Partial<UniverseMember> = {}): UniverseMember {
  return { symbol, status: 'active', delistedDate: null, ipoDate: null, sources: ['alpaca'], ...extra };
}

/** A plan context over an empty temp lake and an in-memory state store (unit tests). */
export interface LocalContext {
  ctx: PlanContext;
  lake: Lake;
  state: StateStore;
  clock: VirtualClock;
  close(): Promise<void>;
}

export async function localContext(options: { nowMs: number; vendors: VendorId[]; universe?: UniverseMember[]; config?: TrademlConfig }): Promise<LocalContext> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-slow-'));
  const clock = new VirtualClock({ start: options.nowMs });
  const lake = await Lake.open({ root: dir, clock });
  const state: StateStore = new SqliteStateStore(':memory:');
  const config = options.config ?? (await testConfig());
  const settings: PipelineSettings = pipelineSettings(config, options.vendors);
  const ctx: PlanContext = { lake, state, config, settings, nowMs: options.nowMs, universe: options.universe ?? [] };
  return {
    ctx,
    lake,
    state,
    clock,
    async close() {
      await state.close();
      await lake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const FRED_TEST_KEY = 'abcdefghijklmnopqrstuvwxyz012345';

/** The in-process sandbox and a runtime whose clients talk to it, with the real free limits. */
export interface SandboxRun {
  clock: VirtualClock;
  market: Market;
  sandbox: Sandbox;
  runtime: Runtime;
  /** A plan context at the clock's current time. */
  ctx(universe: readonly UniverseMember[], config?: TrademlConfig): PlanContext;
  /** Enqueue and drain one vendor's queue through the real executor (generic handlers). */
  run(vendor: VendorId, units: QueueUnitInput[]): Promise<ExecutorReport>;
  close(): Promise<void>;
}

export async function sandboxRun(options: { nowMs: number; vendors: VendorId[]; market: { symbols: number; start: string; end: string }; plans?: SandboxOptions['plans']; config?: TrademlConfig }): Promise<SandboxRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-slow-sbx-'));
  const clock = new VirtualClock({ start: options.nowMs });
  const market = createMarket({ seed: 11, ...options.market });
  const sandbox = await startSandbox({ clock, market, ...(options.plans ? { plans: options.plans } : {}) });
  const config = options.config ?? (await testConfig());
  const env = loadEnvironment({
    ...sandbox.env(),
    ALPHAVANTAGE_API_KEY: 'avtestkey',
    FMP_API_KEY: 'fmptestkey',
    FRED_API_KEY: FRED_TEST_KEY,
    TRADEML_STATE_URL: `sqlite:${path.join(dir, 'state.sqlite')}`,
  });
  const runtime = await openRuntime({ configDir: CONFIG_DIR, config, dataDir: dir, env, clock, owner: 'test', vendors: options.vendors });
  return {
    clock,
    market,
    sandbox,
    runtime,
    ctx: (universe, override) => ({ lake: runtime.lake, state: runtime.state, config: override ?? config, settings: runtime.settings, nowMs: clock.now(), universe }),
    async run(vendor, units) {
      await runtime.state.enqueue(units, clock.now());
      return runVendorExecutor({
        vendor,
        owner: 'test',
        clock,
        state: runtime.state,
        handlers: { lake: runtime.lake, clients: runtime.clients, nowMs: () => clock.now() },
        leaseMs: 10 * 60_000,
        maxWaitMs: 60 * 60_000,
        maxAttempts: 3,
      });
    },
    async close() {
      await runtime.close();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
