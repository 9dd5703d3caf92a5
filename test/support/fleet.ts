import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { addDays, nyDate } from '../../src/calendar/index.js';
import { systemClock } from '../../src/clock/index.js';
import { createMarket, startSandbox, type RequestLogEntry, type Sandbox, type SandboxOptions, type SandboxVendor } from '../../src/sandbox/index.js';
import { lastJson, shortWindowConfigs, startCli, type CliResult } from './cli.js';

/** Any non-empty keys: the fleet's sandbox is started without credentials, so it accepts them all. */
export const FLEET_KEYS = { ALPACA_API_KEY_ID: 'fleet-alpaca-id', ALPACA_API_SECRET_KEY: 'fleet-alpaca-secret', POLYGON_API_KEY: 'fleet-polygon-key' };

/** The emulators on loopback on the real clock, shared by every worker of one test (one quota per vendor). */
export async function startFleetSandbox(options: { symbols: number; plans?: SandboxOptions['plans'] }): Promise<Sandbox> {
  const today = nyDate(systemClock.now());
  const market = createMarket({ seed: 11, symbols: options.symbols, start: addDays(today, -3 * 365 - 7), end: today });
  return startSandbox({ clock: systemClock, market, ...(options.plans ? { plans: options.plans } : {}) });
}

export interface FleetConfigOptions {
  lookbackDays: number;
  /** edge.yml locks (seconds). */
  locks?: { leaseSeconds: number; renewSeconds: number };
  /** endpoints.yml provider limits to override, per vendor. */
  providers?: Partial<Record<SandboxVendor, { rpm?: number; minIntervalMs?: number }>>;
  /** edge.yml policy.daily_api_budget overrides. */
  dailyBudgets?: Partial<Record<SandboxVendor, number>>;
}

/** A copy of the shipped configs with a short window and the given locks, limits and budgets. */
export async function fleetConfigs(options: FleetConfigOptions): Promise<string> {
  const dir = await shortWindowConfigs(options.lookbackDays);
  await patchYaml(path.join(dir, 'edge.yml'), (doc) => {
    if (options.locks) {
      doc.setIn(['locks', 'lease_seconds'], options.locks.leaseSeconds);
      doc.setIn(['locks', 'renew_seconds'], options.locks.renewSeconds);
    }
    for (const [vendor, budget] of Object.entries(options.dailyBudgets ?? {})) doc.setIn(['policy', 'daily_api_budget', vendor], budget);
  });
  // backfill.yml's budget must stay within edge.yml's: lower it with it.
  await patchYaml(path.join(dir, 'backfill.yml'), (doc) => {
    for (const [vendor, budget] of Object.entries(options.dailyBudgets ?? {})) doc.setIn(['policy', 'daily_api_budget', vendor], budget);
  });
  await patchYaml(path.join(dir, 'endpoints.yml'), (doc) => {
    for (const [vendor, limits] of Object.entries(options.providers ?? {})) {
      if (limits.rpm !== undefined) doc.setIn(['providers', vendor, 'rpm'], limits.rpm);
      if (limits.minIntervalMs !== undefined) doc.setIn(['providers', vendor, 'min_interval_ms'], limits.minIntervalMs);
    }
  });
  return dir;
}

async function patchYaml(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  edit(doc);
  await writeFile(file, doc.toString());
}

export interface WorkerSummary {
  cycle: number;
  ledger: { sessions: number; green: number; greenRatio: number };
  curated: { rows: number; contentHash: string };
  executors: { vendor: string; done: number; deferred: number; lost?: number }[];
}

/** The edge.yml tasks of daily bars and the reference data they need, per vendor (no minute bars, options…). */
export const EOD_TASKS = {
  alpaca: ['alpaca_bars', 'alpaca_assets', 'alpaca_corporate_actions'],
  polygon: ['polygon_bars', 'polygon_tickers', 'polygon_corp_actions'],
} as const;

/** `trademl run --once --json --worker-id ID` over the daily-bar tasks of `vendors`. */
export function workerArgs(id: string, options: { configs: string; dataDir: string; vendors: (keyof typeof EOD_TASKS)[] }): string[] {
  const tasks = options.vendors.flatMap((v) => EOD_TASKS[v]);
  return ['run', '--once', '--json', '--worker-id', id, '--vendors', options.vendors.join(','), '--tasks', tasks.join(','), '--interval-minutes', '1', '--config-dir', options.configs, '--data-dir', options.dataDir];
}

/**
 * Runs one worker to completion in `cwd` (so no stray .env is read); a worker still running after
 * `timeoutMs` is killed, so a failing test never leaves workers behind.
 */
export async function runWorker(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 100_000): Promise<CliResult & { summary: WorkerSummary }> {
  const { child, done } = startCli(args, { env, cwd });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const result = await done.finally(() => clearTimeout(timer));
  if (result.code !== 0) throw new Error(`worker exited ${String(result.code)} (${String(result.signal)}):\n${result.stderr}\n${result.stdout}`);
  return { ...result, summary: lastJson<WorkerSummary>(result.stdout) };
}

/** Units done across a worker's executors. */
export function doneBy(summary: WorkerSummary): number {
  return summary.executors.reduce((n, e) => n + e.done, 0);
}

/**
 * Where a vendor's request log breaks a limit: more than `rpm` requests inside any 60 s window, or
 * two requests closer than `minIntervalMs` (less `toleranceMs` of loopback jitter between the
 * reservation and the request's arrival). Empty when the log keeps both limits.
 */
export function rateViolations(log: readonly RequestLogEntry[], vendor: SandboxVendor, limits: { rpm: number; minIntervalMs: number; toleranceMs: number }): string[] {
  const entries = log.filter((e) => e.vendor === vendor).sort((a, b) => a.atMs - b.atMs);
  return instantViolations(entries.map((e) => e.atMs), vendor, limits).map((problem) => problem.replace(/#(\d+)/g, (_, n: string) => `#${n} ${entries[Number(n) - 1]?.path.split('?')[0] ?? ''}`));
}

/** The same checks over bare instants (e.g. the reservations the state store recorded). */
export function instantViolations(instants: readonly number[], vendor: string, limits: { rpm: number; minIntervalMs: number; toleranceMs: number }): string[] {
  const times = [...instants].sort((a, b) => a - b);
  const problems: string[] = [];
  for (let i = 0; i + limits.rpm < times.length; i += 1) {
    const span = (times[i + limits.rpm] as number) - (times[i] as number);
    if (span < 60_000 - limits.toleranceMs) problems.push(`${limits.rpm + 1} ${vendor} requests within ${span} ms (from #${i + 1})`);
  }
  for (let i = 1; i < times.length; i += 1) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gap < limits.minIntervalMs - limits.toleranceMs) problems.push(`${vendor} requests #${i} and #${i + 1} only ${gap} ms apart (min interval ${limits.minIntervalMs} ms)`);
  }
  return problems;
}

/** Lake keys with the write-order ULID taken out of part names: what is left names the content. */
export function contentKeys(keys: readonly string[]): string[] {
  return keys.map((key) => key.replace(/part-[0-9A-HJKMNP-TV-Z]{26}-/i, 'part-')).sort();
}

/** Keys that occur more than once in a list. */
export function duplicates(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => (seen.has(key) ? true : (seen.add(key), false)));
}
