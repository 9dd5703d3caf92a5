import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addDays, nyDate, nyInstant } from '../calendar/index.js';
import { VirtualClock, type Clock } from '../clock/index.js';
import { loadConfig, loadEnvironment, secretValues, type TrademlConfig } from '../config/index.js';
import { UsageError } from '../errors/index.js';
import { createMarket, startSandbox, type FaultInjector, type Sandbox } from '../sandbox/index.js';
import { runPipelineOnce, type PipelineEvent, type RunOnceReport } from '../scheduler/index.js';
import { openStateStore } from '../state/index.js';
import { readLedger } from '../ssot/index.js';
import type { LedgerRow, VendorId } from '../catalog/index.js';
import { defaultStateUrl, openRuntime } from './runtime.js';
import { sqlFileList, type Lake } from '../lake/index.js';

/** Credentials the demo hands both sides; the sandbox checks them like the vendors would. */
export const DEMO_CREDENTIALS = {
  alpaca: { keyId: 'PKDEMO0000000000000000', secretKey: 'demo-alpaca-secret-0000000000000000000000' },
  polygon: { apiKey: 'demo-polygon-key-00000000000000' },
  finnhub: { apiKey: 'demofinnhubkey000000' },
  av: { apiKey: 'DEMOAVKEY0000000' },
  fmp: { apiKey: 'demo-fmp-key-0000000000000000000' },
  fred: { apiKey: 'demofredkey000000000000000000000' },
} as const;

/** The key variables that make every vendor configured against the sandbox's DEMO_CREDENTIALS. */
export function demoKeyEnv(vendors: readonly VendorId[] = ['alpaca', 'polygon', 'finnhub', 'av', 'fmp', 'fred']): Record<string, string> {
  const c = DEMO_CREDENTIALS;
  const all: Record<VendorId, Record<string, string>> = {
    alpaca: { ALPACA_API_KEY_ID: c.alpaca.keyId, ALPACA_API_SECRET_KEY: c.alpaca.secretKey },
    polygon: { POLYGON_API_KEY: c.polygon.apiKey },
    finnhub: { FINNHUB_API_KEY: c.finnhub.apiKey },
    av: { ALPHAVANTAGE_API_KEY: c.av.apiKey },
    fmp: { FMP_API_KEY: c.fmp.apiKey },
    fred: { FRED_API_KEY: c.fred.apiKey },
  };
  return Object.assign({}, ...vendors.map((v) => all[v]));
}

/** Every demo key value, for redaction and the secrets checks. */
export function demoSecrets(): string[] {
  return Object.values(demoKeyEnv());
}

const MARKER = '.trademl-demo';

export interface DemoParams {
  seed: number;
  symbols: number;
  asOf: string;
}

export interface DemoOptions {
  dataDir: string;
  configDir: string;
  params: Partial<DemoParams>;
  fresh: boolean;
  faults?: FaultInjector;
  /** Called once the virtual clock exists; returns the listener for pipeline events. */
  observe?: (clock: Clock) => (event: PipelineEvent) => void;
  /** Wall-clock now, injectable so tests pin the default as-of date. */
  wallNowMs?: number;
  /**
   * The caller's environment. Only the storage variables are read (DEMO_STORAGE_VARS:
   * TRADEML_STATE_URL, TRADEML_LAKE_URL and the AWS_* settings), exactly as `run` reads them; keys
   * and vendor URLs in it are ignored (the demo talks to its sandbox). Default: none, i.e. SQLite
   * state and a file lake under `dataDir`.
   */
  env?: NodeJS.ProcessEnv;
}

/** The variables that choose and reach the demo's storage (state store, lake, S3 endpoint and credentials). */
export const DEMO_STORAGE_VARS = [
  'TRADEML_STATE_URL',
  'TRADEML_LAKE_URL',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

/** Where a demo keeps its state and lake; `external` names what lives outside the data directory. */
export interface DemoStorage {
  stateUrl: string;
  /** undefined: the lake is the data directory. */
  lakeUrl: string | undefined;
  external: { state: boolean; lake: boolean };
  /** The storage variables, validated, for the runtime's environment and the S3 client. */
  vars: Record<string, string>;
}

/** Resolves the demo's storage from the caller's environment; a malformed URL is a ConfigError (values redacted). */
export function demoStorage(dataDir: string, env: NodeJS.ProcessEnv = {}): DemoStorage {
  const vars: Record<string, string> = {};
  for (const name of DEMO_STORAGE_VARS) {
    const value = env[name]?.trim();
    if (value) vars[name] = value;
  }
  const checked = loadEnvironment(vars);
  return {
    stateUrl: checked.stateUrl ?? defaultStateUrl(dataDir),
    lakeUrl: checked.lakeUrl,
    external: { state: checked.stateUrl !== undefined, lake: checked.lakeUrl !== undefined },
    vars,
  };
}

/** The storage secrets (S3 credentials, a password in a storage URL) a demo's output must never show. */
export function demoStorageSecrets(env: NodeJS.ProcessEnv = {}): string[] {
  const vars = Object.fromEntries(DEMO_STORAGE_VARS.flatMap((name) => (env[name]?.trim() ? [[name, env[name]?.trim() as string]] : [])));
  try {
    return secretValues(loadEnvironment(vars));
  } catch {
    // A malformed URL fails the demo itself with a redacted error; the credentials are still secrets.
    return ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].flatMap((name) => (vars[name] ? [vars[name] as string] : []));
  }
}

export interface DemoVendorSummary {
  vendor: VendorId;
  requests: number;
  rateLimited: number;
  byStatus: Record<string, number>;
  unitsDone: number;
  unitsFailed: number;
  unitsDead: number;
  rawRows: number;
  /** Requests per route, dates and symbols folded (e.g. `/v2/aggs/grouped/locale/us/market/stocks/:date`, `/v2/stocks/bars?timeframe=1Day`). */
  byRoute: Record<string, number>;
}

export interface DemoSummary {
  params: DemoParams;
  window: { start: string; end: string };
  universe: number;
  vendors: DemoVendorSummary[];
  ledger: { sessions: number; green: number; amber: number; red: number; greenRatio: number };
  /** Every audited dataset's rollup (partitions GREEN / AMBER / RED; UNAVAILABLE and NO_SESSION left out of the ratio). */
  datasets: RunOnceReport['datasets'];
  curated: { rows: number; symbols: number; filesWritten: number; filesUnchanged: number; contentHash: string; adjustmentsApplied: number };
  quarantined: number;
  virtualStart: string;
  virtualEnd: string;
  virtualElapsedMs: number;
  wallMs: number;
}

/**
 * The whole pipeline, keyless: a seeded market, loopback emulators of Alpaca and Polygon with their
 * free-tier limits, and the real pipeline pointed at them, all on one virtual clock. State persists
 * in the data directory, so a re-run (after a crash or not) resumes instead of starting over.
 */
export async function runDemo(options: DemoOptions): Promise<{ summary: DemoSummary; ledger: LedgerRow[] }> {
  const wallStart = Date.now();
  // Validate the configs before touching the data directory: a bad file must cost nothing.
  const config = await loadConfig(options.configDir);
  const storage = demoStorage(options.dataDir, options.env);
  if (options.fresh && (storage.external.state || storage.external.lake)) {
    throw new UsageError(
      '--fresh deletes only the demo data directory; with TRADEML_STATE_URL or TRADEML_LAKE_URL set, point them at an empty schema and lake prefix instead',
    );
  }
  await prepareDataDir(options.dataDir, options.fresh);
  const { params, resumeAtMs, resumed } = await resolveParams(storage, options);

  const clock = new VirtualClock({ start: Math.max(nyInstant(params.asOf, '07:00'), resumeAtMs ?? 0) });
  const virtualStart = clock.now();
  const market = createMarket({ seed: params.seed, symbols: params.symbols, start: addDays(params.asOf, -3 * 365 - 7), end: params.asOf });
  const sandbox = await startSandbox({ clock, market, credentials: DEMO_CREDENTIALS, ...(options.faults ? { faults: options.faults } : {}) });
  try {
    const env = loadEnvironment({ ...sandbox.env(), ...demoKeyEnv(), ...storage.vars, TRADEML_STATE_URL: storage.stateUrl });
    const runtime = await openRuntime({ configDir: options.configDir, config: demoScale(config), dataDir: options.dataDir, env, clock, owner: 'demo', s3Env: storage.vars });
    try {
      if (!resumed && storage.external.lake) await refuseForeignLake(runtime.lake, storage);
      await runtime.state.setBookmark('demo.params', JSON.stringify(params), clock.now());
      await runtime.state.releaseClaims(runtime.owner, clock.now());
      const listener = options.observe?.(clock);
      let saving = Promise.resolve();
      const report = await runPipelineOnce(runtime, {
        onEvent: (event) => {
          if (event.kind === 'done') {
            saving = saving.then(() => runtime.state.setBookmark('demo.virtual_now', String(clock.now()), clock.now()));
          }
          listener?.(event);
        },
      });
      await saving;
      await runtime.state.setBookmark('demo.virtual_now', String(clock.now()), clock.now());
      const ledger = await readLedger(runtime.lake, 'equities_eod');
      const rawRows = await countRawRows(runtime.lake, report);
      const quarantined = (await runtime.lake.listQuarantine()).length;
      return {
        summary: summarize({ params, report, sandbox, vendors: Object.keys(runtime.clients) as VendorId[], rawRows, quarantined, virtualStart, virtualEnd: clock.now(), wallMs: Date.now() - wallStart }),
        ledger,
      };
    } finally {
      await runtime.close();
    }
  } finally {
    await sandbox.close();
  }
}

/**
 * The demo runs every task of the real configs, with the per-symbol histories scaled to a demo:
 * minute bars for the 10 most liquid names over the last 30 days (not 1000 names × 2 years, which
 * is tens of millions of rows), option contracts and historical chains for a few underliers.
 * Everything else — windows, budgets, limits, priorities — is the configs' own.
 */
export function demoScale(config: TrademlConfig): TrademlConfig {
  const targets = { ...config.backfill.targets };
  const scale = (dataset: keyof typeof targets, change: { top_n?: number; lookback_days?: number }): void => {
    const target = targets[dataset];
    if (target) targets[dataset] = { ...target, ...change };
  };
  scale('equities_minute', { top_n: 10, lookback_days: 30 });
  scale('options_contracts', { top_n: 5, lookback_days: 90 });
  scale('options_chain_hist', { top_n: 3 });
  return { ...config, backfill: { ...config.backfill, targets } };
}

async function prepareDataDir(dataDir: string, fresh: boolean): Promise<void> {
  if (existsSync(dataDir)) {
    const entries = await readdir(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new UsageError(`${dataDir} holds data that is not a demo's; pass --data-dir with an empty or demo directory`);
    }
    if (fresh) await rm(dataDir, { recursive: true, force: true });
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, MARKER), 'written by `trademl demo`; safe to delete with the directory\n');
}

/**
 * Parameters of an earlier run in this storage win over defaults; conflicting explicit ones are an
 * error. An external state store that holds something other than a demo is refused (the data
 * directory has its marker file for that).
 */
async function resolveParams(storage: DemoStorage, options: DemoOptions): Promise<{ params: DemoParams; resumeAtMs: number | undefined; resumed: boolean }> {
  const state = await openStateStore(storage.stateUrl);
  try {
    const stored = await state.getBookmark('demo.params');
    const saved = stored ? (JSON.parse(stored) as DemoParams) : undefined;
    if (!saved && storage.external.state && ((await state.recentLog(1)).length > 0 || (await state.listQueue({ limit: 1 })).length > 0)) {
      throw new UsageError('TRADEML_STATE_URL names a state store that holds data that is not a demo\'s; point it at an empty database or schema');
    }
    const defaults: DemoParams = saved ?? { seed: 42, symbols: 300, asOf: nyDate(options.wallNowMs ?? Date.now()) };
    const params: DemoParams = { ...defaults, ...options.params };
    if (saved && (params.seed !== saved.seed || params.symbols !== saved.symbols || params.asOf !== saved.asOf)) {
      throw new UsageError(
        `this data directory holds a demo with seed ${saved.seed}, ${saved.symbols} symbols, as of ${saved.asOf}; pass --fresh to start over with other parameters`,
      );
    }
    const resume = await state.getBookmark('demo.virtual_now');
    return { params, resumeAtMs: resume === undefined ? undefined : Number(resume), resumed: saved !== undefined };
  } finally {
    await state.close();
  }
}

/** A first demo run must not mix its sandbox data into a lake that already holds other data. */
async function refuseForeignLake(lake: Lake, storage: DemoStorage): Promise<void> {
  const held = (await lake.listRawPartitions('equities_eod')).length + (await lake.listQuarantine()).length;
  if (held > 0) {
    throw new UsageError(`TRADEML_LAKE_URL (${storage.lakeUrl ?? ''}) names a lake that already holds data and no demo state; point it at an empty prefix`);
  }
}

async function countRawRows(lake: Awaited<ReturnType<typeof openRuntime>>['lake'], report: RunOnceReport): Promise<Partial<Record<VendorId, number>>> {
  const files = await lake.rawGlob('equities_eod');
  if (files.length === 0) return {};
  const rows = await lake.query<{ vendor: VendorId; n: number }>(
    `SELECT source_name AS vendor, count(*)::BIGINT AS n FROM (SELECT DISTINCT source_name, symbol, date FROM read_parquet(${sqlFileList(files)}, union_by_name = true)
     WHERE date BETWEEN DATE '${report.window.start}' AND DATE '${report.window.end}') GROUP BY ALL`,
  );
  return Object.fromEntries(rows.map((r) => [r.vendor, Number(r.n)]));
}

function summarize(input: {
  params: DemoParams;
  report: RunOnceReport;
  sandbox: Sandbox;
  /** The vendors the pipeline used (the sandbox may emulate more). */
  vendors: VendorId[];
  rawRows: Partial<Record<VendorId, number>>;
  quarantined: number;
  virtualStart: number;
  virtualEnd: number;
  wallMs: number;
}): DemoSummary {
  const stats = input.sandbox.stats();
  const vendors = input.vendors.filter((v): v is keyof typeof stats => v in stats).map((vendor) => {
    const runs = input.report.executors.filter((e) => e.vendor === vendor);
    const sum = (key: 'done' | 'failed' | 'dead'): number => runs.reduce((n, r) => n + r[key], 0);
    return {
      vendor,
      requests: stats[vendor].requests,
      rateLimited: stats[vendor].rateLimited,
      byStatus: Object.fromEntries(Object.entries(stats[vendor].byStatus).map(([k, v]) => [k, v])),
      unitsDone: sum('done'),
      unitsFailed: sum('failed'),
      unitsDead: sum('dead'),
      rawRows: input.rawRows[vendor] ?? 0,
      byRoute: routesOf(input.sandbox, vendor),
    };
  });
  const { curate } = input.report;
  return {
    params: input.params,
    window: input.report.window,
    universe: input.report.universe,
    vendors,
    ledger: input.report.ledger,
    datasets: input.report.datasets,
    curated: {
      rows: curate.rows,
      symbols: curate.symbols,
      filesWritten: curate.filesWritten,
      filesUnchanged: curate.filesUnchanged,
      contentHash: curate.contentHash,
      adjustmentsApplied: curate.adjustmentsApplied,
    },
    quarantined: input.quarantined,
    virtualStart: new Date(input.virtualStart).toISOString(),
    virtualEnd: new Date(input.virtualEnd).toISOString(),
    virtualElapsedMs: input.virtualEnd - input.virtualStart,
    wallMs: input.wallMs,
  };
}

/** Requests per route of one vendor: dates, tickers and option symbols folded; Alpha Vantage by `function`. */
function routesOf(sandbox: Sandbox, vendor: VendorId): Record<string, number> {
  const routes: Record<string, number> = {};
  for (const entry of sandbox.requestLog()) {
    if (entry.vendor !== vendor) continue;
    const [pathname = '', query = ''] = entry.path.split('?');
    const fn = /(?:^|&)function=([A-Z_]+)/.exec(query)?.[1];
    const timeframe = /(?:^|&)timeframe=([0-9A-Za-z]+)/.exec(query)?.[1];
    const route = (pathname
      .split('/')
      .map((seg) => (/^\d{4}-\d{2}-\d{2}$/.test(seg) ? ':date' : /^[A-Z][A-Z0-9.:]*$/.test(seg) ? ':symbol' : seg))
      .join('/') + (fn ? `?function=${fn}` : timeframe ? `?timeframe=${timeframe}` : ''));
    routes[route] = (routes[route] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(routes).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function renderDemoSummary(summary: DemoSummary): string {
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  const lines = [
    '',
    `trademl demo — seed ${summary.params.seed}, ${summary.params.symbols} symbols, as of ${summary.params.asOf}`,
    `window ${summary.window.start} .. ${summary.window.end} · universe ${summary.universe} symbols (incl. delisted)`,
    '',
    'vendor    requests  429s  units done  failed  dead  raw rows (window)',
    ...summary.vendors.map(
      (v) =>
        `${v.vendor.padEnd(8)} ${String(v.requests).padStart(9)} ${String(v.rateLimited).padStart(5)} ${String(v.unitsDone).padStart(11)} ${String(v.unitsFailed).padStart(7)} ${String(v.unitsDead).padStart(5)} ${v.rawRows.toLocaleString('en-US').padStart(18)}`,
    ),
    '',
    `ledger   ${summary.ledger.green}/${summary.ledger.sessions} sessions GREEN (${pct(summary.ledger.greenRatio)}) · AMBER ${summary.ledger.amber} · RED ${summary.ledger.red}`,
    ...Object.entries(summary.datasets)
      .filter(([dataset]) => dataset !== 'equities_eod')
      .map(([dataset, d]) => `         ${dataset.padEnd(19)} ${d.green}/${d.sessions} GREEN (${pct(d.greenRatio)}) · AMBER ${d.amber} · RED ${d.red}`),
    `curated  ${summary.curated.rows.toLocaleString('en-US')} rows, ${summary.curated.symbols} symbols, ${summary.curated.adjustmentsApplied} adjustments applied · ${summary.curated.filesWritten} files written, ${summary.curated.filesUnchanged} unchanged`,
    `         content hash ${summary.curated.contentHash.slice(0, 16)}…`,
    `quarantined payloads ${summary.quarantined}`,
    `time     virtual ${(summary.virtualElapsedMs / 60_000).toFixed(1)} min (${summary.virtualStart} → ${summary.virtualEnd}) · wall ${(summary.wallMs / 1000).toFixed(1)} s`,
    '',
  ];
  return lines.join('\n');
}
