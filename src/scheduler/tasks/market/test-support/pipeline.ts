import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRuntime, type Runtime } from '../../../../cli/runtime.js';
import type { VendorId } from '../../../../catalog/index.js';
import { VirtualClock } from '../../../../clock/index.js';
import { loadConfig, loadEnvironment, type TaskSetting, type TrademlConfig } from '../../../../config/index.js';
import { createMarket, startSandbox, type Market, type Sandbox, type SandboxOptions } from '../../../../sandbox/index.js';
import type { UniverseMember } from '../../../../universe/index.js';
import { runVendorExecutor, type ExecutorReport } from '../../../executor.js';
import type { TaskPlanner, PlanContext } from '../../types.js';

export const CONFIG_DIR = fileURLToPath(new URL('../../../../../configs', import.meta.url));

const KEYS: Record<VendorId, Record<string, string>> = {
  alpaca: { ALPACA_API_KEY_ID: 'PKTEST0000', ALPACA_API_SECRET_KEY: 'alpaca-test-secret' },
  polygon: { POLYGON_API_KEY: 'polygon-test-key' },
  finnhub: { FINNHUB_API_KEY: 'finnhub-test-key' },
  av: { ALPHAVANTAGE_API_KEY: 'av-test-key' },
  fmp: { FMP_API_KEY: 'fmp-test-key' },
  fred: { FRED_API_KEY: 'fred-test-key' },
};

export interface Pipeline {
  clock: VirtualClock;
  market: Market;
  sandbox: Sandbox;
  runtime: Runtime;
  universe: UniverseMember[];
  context(): PlanContext;
  /** plan → enqueue; returns the planned units' identities. */
  plan(planner: TaskPlanner): Promise<string[]>;
  /** Runs one vendor's executor until its queue is empty (or its next unit is further than maxWaitMs). */
  drain(vendor: VendorId, maxWaitMs?: number): Promise<ExecutorReport>;
  close(): Promise<void>;
}

export interface PipelineOptions {
  nowMs: number;
  vendors: VendorId[];
  symbols?: number;
  seed?: number;
  plans?: SandboxOptions['plans'];
  /** Edits of the loaded config (task options, targets). */
  config?: (config: TrademlConfig) => TrademlConfig;
}

/** Sets one edge.yml task's options on a loaded config. */
export function withTask(config: TrademlConfig, setting: TaskSetting): TrademlConfig {
  const tasks = config.edge.tasks.map((t) => (t.name === setting.name ? setting : t));
  return { ...config, edge: { ...config.edge, tasks } };
}

/**
 * The real pipeline pieces (config, lake, SQLite state, pacer with the free limits, vendor
 * clients) pointed at the in-process sandbox, on one virtual clock, in a temp directory.
 */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const clock = new VirtualClock({ start: options.nowMs });
  const market = createMarket({ seed: options.seed ?? 11, symbols: options.symbols ?? 12, start: '2025-10-01', end: '2026-09-30' });
  const sandbox = await startSandbox({ clock, market, ...(options.plans ? { plans: options.plans } : {}) });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trademl-market-'));
  const keys = Object.assign({}, ...options.vendors.map((v) => KEYS[v])) as Record<string, string>;
  const env = loadEnvironment({ ...sandbox.env(), ...keys, TRADEML_STATE_URL: `sqlite:${path.join(dataDir, 'state.sqlite')}` });
  const loaded = await loadConfig(CONFIG_DIR);
  const config = options.config ? options.config(loaded) : loaded;
  const runtime = await openRuntime({ configDir: CONFIG_DIR, config, dataDir, env, clock, owner: 'test' });
  const universe: UniverseMember[] = market.symbols.map((s) => ({
    symbol: s.symbol,
    status: s.delistDate === null ? 'active' : 'delisted',
    delistedDate: s.delistDate,
    ipoDate: s.listDate,
    sources: ['sandbox'],
  }));
  const context = (): PlanContext => ({ lake: runtime.lake, state: runtime.state, config: runtime.config, settings: runtime.settings, nowMs: clock.now(), universe });
  return {
    clock,
    market,
    sandbox,
    runtime,
    universe,
    context,
    async plan(planner) {
      const units = await planner.plan(context());
      await runtime.state.enqueue(units, clock.now());
      return units.map((u) => u.identity);
    },
    drain: (vendor, maxWaitMs = 60 * 60_000) =>
      runVendorExecutor({ vendor, owner: 'test', clock, state: runtime.state, handlers: { lake: runtime.lake, clients: runtime.clients, nowMs: () => clock.now() }, leaseMs: 10 * 60_000, maxWaitMs, maxAttempts: 3 }),
    async close() {
      await runtime.close();
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
