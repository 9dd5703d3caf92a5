import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addDays, nyInstant } from '../../src/calendar/index.js';
import type { VirtualClock } from '../../src/clock/index.js';
import { loadEnvironment } from '../../src/config/index.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { createMarket, startSandbox, type FaultInjector, type RequestLogEntry, type Sandbox, type SandboxVendor } from '../../src/sandbox/index.js';
import { DEMO_CREDENTIALS } from '../../src/cli/demo.js';
import { shortWindowConfigs } from './cli.js';

/**
 * Requests per sliding minute and per day no vendor may see: the stricter of the free tier's limit
 * (which the sandbox enforces with 429s / throttle bodies) and the rpm configured in endpoints.yml.
 */
export const FREE_LIMITS: Record<SandboxVendor, { perMinute: number; perDay?: number }> = {
  alpaca: { perMinute: 200 },
  polygon: { perMinute: 5 },
  finnhub: { perMinute: 60 },
  av: { perMinute: 30, perDay: 25 },
  fmp: { perMinute: 30, perDay: 250 },
  fred: { perMinute: 120 },
};

/** Keys for all six vendors, so every task the loop runs, whatever vendor it is for, is in the simulation. */
export function sandboxEnv(sandbox: Sandbox, stateUrl: string): Record<string, string> {
  return {
    ...sandbox.env(),
    ALPACA_API_KEY_ID: DEMO_CREDENTIALS.alpaca.keyId,
    ALPACA_API_SECRET_KEY: DEMO_CREDENTIALS.alpaca.secretKey,
    POLYGON_API_KEY: DEMO_CREDENTIALS.polygon.apiKey,
    FINNHUB_API_KEY: 'sim-finnhub-key',
    ALPHAVANTAGE_API_KEY: 'sim-av-key',
    FMP_API_KEY: 'sim-fmp-key',
    FRED_API_KEY: 'abcdefghijklmnopqrstuvwxyz012345',
    TRADEML_STATE_URL: stateUrl,
  };
}

/** A copy of the shipped configs with a short equities_eod lookback and chosen per-vendor budgets (edge.yml and backfill.yml). */
export async function simConfigs(lookbackDays: number, budgets: { vendor: string; edge: number; backfill: number }[]): Promise<string> {
  const dir = await shortWindowConfigs(lookbackDays);
  for (const [file, key] of [['edge.yml', 'edge'], ['backfill.yml', 'backfill']] as const) {
    const full = path.join(dir, file);
    let text = await readFile(full, 'utf8');
    for (const budget of budgets) {
      const pattern = new RegExp(`^(    ${budget.vendor}: )\\d+`, 'm');
      if (!pattern.test(text)) throw new Error(`cannot patch ${budget.vendor} in ${file}`);
      text = text.replace(pattern, `$1${budget[key]}`);
    }
    await writeFile(full, text);
  }
  return dir;
}

export async function startSim(options: { clock: VirtualClock; asOf: string; symbols: number; faults?: FaultInjector }): Promise<Sandbox> {
  const market = createMarket({ seed: 11, symbols: options.symbols, start: addDays(options.asOf, -400), end: addDays(options.asOf, 14) });
  return startSandbox({ clock: options.clock, market, credentials: DEMO_CREDENTIALS, ...(options.faults ? { faults: options.faults } : {}) });
}

/** `storage`: a backend's environment (TRADEML_STATE_URL, TRADEML_LAKE_URL, AWS_*) over the default SQLite + directory. */
export function openSimRuntime(options: { configDir: string; dataDir: string; sandbox: Sandbox; clock: VirtualClock; owner?: string; storage?: Record<string, string> }): Promise<Runtime> {
  const stateUrl = `sqlite:${path.join(options.dataDir, 'state', 'trademl.sqlite')}`;
  const env = loadEnvironment({ ...sandboxEnv(options.sandbox, stateUrl), ...options.storage });
  return openRuntime({ configDir: options.configDir, dataDir: options.dataDir, env, clock: options.clock, owner: options.owner ?? 'sim' });
}

/** 21:00 New York time of a date: every vendor's data for the session is complete by then. */
export function eveningOf(date: string): number {
  return nyInstant(date, '21:00');
}

/** The most requests a vendor's server saw in any sliding minute (answered requests and hung ones alike). */
export function busiestMinute(log: readonly RequestLogEntry[], vendor: SandboxVendor): number {
  const times = log.filter((e) => e.vendor === vendor).map((e) => e.atMs).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[start] as number) <= (times[end] as number) - 60_000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Requests per UTC day (the budget day) a vendor's server saw. */
export function perUtcDay(log: readonly RequestLogEntry[], vendor: SandboxVendor): Record<string, number> {
  const days: Record<string, number> = {};
  for (const entry of log.filter((e) => e.vendor === vendor)) {
    const day = new Date(entry.atMs).toISOString().slice(0, 10);
    days[day] = (days[day] ?? 0) + 1;
  }
  return days;
}
