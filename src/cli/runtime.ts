import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock/index.js';
import type { EndpointId, VendorId } from '../catalog/index.js';
import { backfillAllowance, configuredVendors, loadConfig, secretValues, taskSpec, type TrademlConfig, type TrademlEnvironment } from '../config/index.js';
import { Lake } from '../lake/index.js';
import { Pacer, type PacerEvent, type VendorLimits } from '../pacing/index.js';
import { capabilitySettingsOf, DEFAULT_MAX_ROWS_PER_UNIT, type CapabilitySettings, type PipelineSettings, type VendorClients } from '../scheduler/index.js';
import { holdClockDuringCalls, openStateStore, type StateStore } from '../state/index.js';
import { crashStoreWrapper, installCrashPoints } from '../crashpoints/index.js';
import { createAlpacaClient, createAvClient, createFinnhubClient, createFmpClient, createFredClient, createPolygonClient } from '../vendors/index.js';

export interface Runtime {
  clock: Clock;
  config: TrademlConfig;
  env: TrademlEnvironment;
  lake: Lake;
  state: StateStore;
  pacer: Pacer;
  clients: VendorClients;
  settings: PipelineSettings;
  owner: string;
  /** Every key value, for redaction and the secrets checks. */
  secrets: string[];
  close(): Promise<void>;
}

export interface RuntimeOptions {
  configDir: string;
  dataDir: string;
  env: TrademlEnvironment;
  clock: Clock;
  owner?: string;
  /** Restrict to these vendors (still only those with keys). */
  vendors?: VendorId[];
  onPacerEvent?: (event: PacerEvent) => void;
  /** An already validated config (skips reading configDir again). */
  config?: TrademlConfig;
  /** Restrict to these edge.yml tasks (`run --tasks`). */
  tasks?: string[];
  /** For an s3:// lake: the variables its client reads (AWS_ENDPOINT_URL, AWS_REGION, credentials); default process.env. */
  s3Env?: Record<string, string | undefined>;
}

/** The lake root: TRADEML_LAKE_URL (file:// or s3://) when set, else the data directory. */
export function lakeRoot(dataDir: string, env: { lakeUrl?: string | undefined }): string {
  return env.lakeUrl ?? dataDir;
}

/** Where the SQLite state lives when TRADEML_STATE_URL is not set. */
export function defaultStateUrl(dataDir: string): string {
  return `sqlite:${path.join(dataDir, 'state', 'trademl.sqlite')}`;
}

/** Opens config, lake, state and pacer, and builds a client for every configured (keyed) vendor. */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { env, clock } = options;
  const config = options.config ?? (await loadConfig(options.configDir));
  const vendors = configuredVendors(env).filter((v) => options.vendors === undefined || options.vendors.includes(v));
  const wrapStore = crashStoreWrapper();
  const lake = await Lake.open({ root: lakeRoot(options.dataDir, env), clock, ...(wrapStore ? { wrapStore } : {}), ...(options.s3Env ? { s3: { env: options.s3Env } } : {}) });
  // TRADEML_CRASH_AT (tests only): wraps lake, state and fetch to SIGKILL at a chosen side effect.
  const state = holdClockDuringCalls(installCrashPoints(await openStateStore(env.stateUrl ?? defaultStateUrl(options.dataDir))), clock);
  try {
    const pacer = await Pacer.create({ clock, state, limits: pacerLimits(config, vendors), ...(options.onPacerEvent ? { onEvent: options.onPacerEvent } : {}) });
    const clients = buildClients(env, vendors, clock, pacer);
    const settings = pipelineSettings(config, Object.keys(clients) as VendorId[], options.tasks);
    return {
      clock,
      config,
      env,
      lake,
      state,
      pacer,
      clients,
      settings,
      owner: options.owner ?? `${os.hostname()}`,
      secrets: secretValues(env),
      async close() {
        await pacer.flush();
        await state.close();
        await lake.close();
      },
    };
  } catch (error) {
    await state.close();
    await lake.close();
    throw error;
  }
}

export function pacerLimits(config: TrademlConfig, vendors: readonly VendorId[]): Partial<Record<VendorId, VendorLimits>> {
  const limits: Partial<Record<VendorId, VendorLimits>> = {};
  for (const vendor of vendors) {
    const provider = config.endpoints.providers[vendor];
    if (!provider) continue;
    const budget = config.edge.policy.daily_api_budget[vendor] ?? provider.daily_budget;
    // Backfill's share: min(backfill.yml budget, edge budget × (1 − forward_reserve_pct)); the rest is the forward reserve.
    const backfill = backfillAllowance(config, vendor);
    limits[vendor] = {
      rpm: provider.rpm,
      minIntervalMs: provider.min_interval_ms,
      ...(budget === undefined ? {} : { dailyBudget: budget }),
      ...(budget === undefined || backfill === undefined ? {} : { backfillBudget: Math.min(backfill, budget) }),
    };
  }
  return limits;
}

function buildClients(env: TrademlEnvironment, vendors: readonly VendorId[], clock: Clock, gate: Pacer): VendorClients {
  const clients: VendorClients = {};
  if (vendors.includes('alpaca')) {
    clients.alpaca = createAlpacaClient({
      keyId: env.keys.ALPACA_API_KEY_ID ?? '',
      secretKey: env.keys.ALPACA_API_SECRET_KEY ?? '',
      dataBaseUrl: env.baseUrls.alpaca_data,
      tradingBaseUrl: env.baseUrls.alpaca_trading,
      clock,
      gate,
    });
  }
  if (vendors.includes('polygon')) {
    clients.polygon = createPolygonClient({ apiKey: env.keys.POLYGON_API_KEY ?? '', baseUrl: env.baseUrls.polygon, clock, gate });
  }
  if (vendors.includes('finnhub')) {
    clients.finnhub = createFinnhubClient({ apiKey: env.keys.FINNHUB_API_KEY ?? '', baseUrl: env.baseUrls.finnhub, clock, gate });
  }
  if (vendors.includes('av')) {
    clients.av = createAvClient({ apiKey: env.keys.ALPHAVANTAGE_API_KEY ?? '', baseUrl: env.baseUrls.av, clock, gate });
  }
  if (vendors.includes('fmp')) {
    clients.fmp = createFmpClient({ apiKey: env.keys.FMP_API_KEY ?? '', baseUrl: env.baseUrls.fmp, clock, gate });
  }
  if (vendors.includes('fred')) {
    clients.fred = createFredClient({ apiKey: env.keys.FRED_API_KEY ?? '', baseUrl: env.baseUrls.fred, clock, gate });
  }
  return clients;
}

/** Resolves what the scheduler needs from the validated config, for the vendors that have clients. */
/** Endpoints of the tasks enabled in edge.yml, narrowed to `tasks` when given (`run --tasks`). */
export function enabledEndpoints(config: TrademlConfig, tasks?: readonly string[]): Set<EndpointId> {
  const endpoints = new Set<EndpointId>();
  for (const task of config.edge.tasks) {
    if (!task.enabled || (tasks !== undefined && !tasks.includes(task.name))) continue;
    for (const endpoint of taskSpec(task.name).endpoints) endpoints.add(endpoint);
  }
  return endpoints;
}

export function pipelineSettings(config: TrademlConfig, vendors: readonly VendorId[], tasks?: readonly string[]): PipelineSettings {
  const capabilities: CapabilitySettings[] = config.endpoints.capabilities
    .filter((c) => vendors.includes(c.vendor) && c.entitlement !== 'premium')
    .map(capabilitySettingsOf);
  const job = config.curator.jobs.equities_ohlcv_adj;
  const target = config.backfill.targets.equities_eod;
  return {
    capabilities,
    vendorPrecedence: [...(job?.vendor_precedence ?? ['alpaca', 'polygon'])],
    corpActionsPrecedence: [...(job?.corp_actions_precedence ?? job?.vendor_precedence ?? ['alpaca', 'polygon'])],
    thresholds: { green_min_ratio: config.backfill.qc_thresholds.green_min_ratio },
    eod: { earliest: target?.earliest ?? '2000-01-01', lookbackDays: target?.lookback_days ?? 730 },
    maxRowsPerUnit: DEFAULT_MAX_ROWS_PER_UNIT,
    enabledEndpoints: enabledEndpoints(config, tasks),
  };
}
