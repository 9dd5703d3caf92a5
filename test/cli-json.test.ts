import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { demoSecrets, type DemoSummary } from '../src/cli/demo.js';
import { describeBackends, storageSecrets, type E2eBackend } from './support/backends.js';
import { lastJson, removeDir, runCli, shortWindowConfigs, startCli, tempDir, withoutMinuteBars, type CliResult } from './support/cli.js';

/**
 * `--json` is a contract: every command's stdout is JSON, one object a line, with the keys below, and
 * whatever it writes to stderr (structured logs, an error) is JSON lines too. One row per command of
 * the CLI; a command added to the program without a row fails the first test.
 */

interface Ctx {
  configs: string;
  demoDir: string;
  /** The demo's storage variables (empty on SQLite + file). */
  demoEnv: Record<string, string>;
  /** A fresh data directory with fresh, empty storage of the same backend. */
  scratch: () => Promise<{ dir: string; env: Record<string, string> }>;
  demo: DemoSummary;
  sandboxEnv: Record<string, string>;
}

interface JsonCase {
  /** The command's words, e.g. `sandbox serve`. */
  command: string;
  args?: (ctx: Ctx) => string[] | Promise<string[]>;
  /** Keys every stdout line carries (every line but the last when `last` is given). */
  keys: string[];
  /** Keys of the last line, for commands that end a row stream with a summary object. */
  last?: string[];
  /** `one`: exactly one line (default); `many`: at least one. */
  lines?: 'one' | 'many';
  /** Data directory: the demo lake (default) or a fresh empty one. */
  data?: 'demo' | 'scratch';
  env?: (ctx: Ctx) => Record<string, string>;
  /** Runs until signalled: the first stdout line is read, then SIGTERM; it must exit 0. */
  server?: boolean;
}

const SANDBOX_KEYS = { ALPACA_API_KEY_ID: 'PKJSONTEST0000000001', ALPACA_API_SECRET_KEY: 'json-test-secret-000000000000', POLYGON_API_KEY: 'JSONTESTPOLY000000000' };
const AS_OF = '2026-11-20';

const CASES: JsonCase[] = [
  { command: 'demo', args: () => ['--symbols', '20', '--as-of', AS_OF], keys: ['params', 'window', 'universe', 'vendors', 'ledger', 'curated', 'virtualElapsedMs'] },
  { command: 'run', args: () => ['--once', '--sandbox', '--vendors', 'alpaca'], data: 'scratch', keys: ['cycle', 'window', 'universe', 'ledger', 'curated', 'executors'] },
  { command: 'fetch', args: () => ['alpaca', 'symbols'], data: 'scratch', env: (c) => c.sandboxEnv, lines: 'many', keys: ['symbol', 'status', 'source_name', 'source_uri', 'ingested_at'] },
  { command: 'route', args: (c) => ['equities_eod', '--date', c.demo.window.end], keys: ['dataset', 'date', 'plan', 'excluded'] },
  { command: 'audit', args: (c) => ['--start', c.demo.window.start, '--end', c.demo.window.end], keys: ['dataset', 'start', 'end', 'sessions', 'green', 'amber', 'red', 'greenRatio'] },
  { command: 'curate', lines: 'many', keys: ['job', 'output', 'status', 'rows', 'filesWritten', 'filesUnchanged', 'contentHash'] },
  { command: 'coverage', lines: 'many', keys: ['dataset', 'date', 'status', 'rows', 'expected_rows', 'reason'] },
  { command: 'calendar', args: () => ['--start', '2026-11-23', '--end', '2026-11-27'], lines: 'many', keys: ['date', 'open', 'close', 'early_close'] },
  { command: 'query', args: () => ['select dataset, status, count(*) as n, min(date) as first from partition_status group by all'], lines: 'many', keys: ['dataset', 'status', 'n', 'first'] },
  { command: 'status', keys: ['at', 'day', 'vendors', 'queue', 'coverage', 'recentProblems'] },
  { command: 'serve', args: () => ['--port', '0'], server: true, keys: ['url', 'host', 'port', 'asOf'] },
  { command: 'sandbox serve', args: () => ['--symbols', '20'], data: 'scratch', server: true, keys: ['baseUrls', 'env', 'seed', 'symbols', 'start', 'end'] },
  { command: 'qc', args: () => ['--dataset', 'equities_eod', '--all'], lines: 'many', keys: ['dataset', 'date', 'check', 'status', 'detail'], last: ['summary'] },
  { command: 'smoke', args: () => ['--sandbox'], data: 'scratch', keys: ['sandbox', 'tasks', 'tables', 'missing', 'ok'] },
  { command: 'config check', keys: ['ok', 'configDir', 'problems', 'vendors', 'keys'] },
];

function leafCommands(command: Command, prefix: string[] = []): string[] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  if (children.length === 0) return [prefix.join(' ')];
  return children.flatMap((child) => leafCommands(child, [...prefix, child.name()]));
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line.slice(0, 200)}`);
      }
    });
}

/** Starts a long-running command, waits for its first stdout line, stops it with SIGTERM. */
async function runServer(args: string[], env: Record<string, string>): Promise<CliResult> {
  const running = startCli(args, { env });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    running.child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve();
    });
    void running.done.then((r) => reject(new Error(`exited before printing: ${r.stderr}`)));
  });
  running.child.kill('SIGTERM');
  return running.done;
}

let configs: string;
let sandboxEnv: Record<string, string>;
const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
let sandbox: ReturnType<typeof startCli> | undefined;

beforeAll(async () => {
  configs = await withoutMinuteBars(await shortWindowConfigs(30));
  dirs.push(configs);
  sandbox = startCli(['sandbox', 'serve', '--json', '--symbols', '30', '--relax-limits']);
  const baseEnv = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = '';
    sandbox?.child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0] as string) as { env: Record<string, string> }).env);
    });
    void sandbox?.done.then((r) => reject(new Error(`sandbox serve exited: ${r.stderr}`)));
  });
  sandboxEnv = { ...baseEnv, ...SANDBOX_KEYS };
}, 60_000);

afterAll(async () => {
  sandbox?.child.kill('SIGTERM');
  await sandbox?.done;
  await Promise.all([...dirs.map(removeDir), ...cleanups.map((c) => c())]);
});

/** A demo on this backend's storage, and the means to make fresh storage for the commands that start empty. */
async function demoOn(backend: E2eBackend): Promise<Ctx> {
  const storage = await backend.provision();
  cleanups.push(() => storage.dispose());
  const demoDir = await tempDir('json-demo');
  dirs.push(demoDir);
  const demo = await runCli(['demo', '--json', '--config-dir', configs, '--data-dir', demoDir, '--symbols', '20', '--as-of', AS_OF], { env: storage.env });
  expect(demo.code, demo.stderr).toBe(0);
  return {
    configs,
    demoDir,
    demoEnv: storage.env,
    demo: lastJson<DemoSummary>(demo.stdout),
    sandboxEnv,
    scratch: async () => {
      const dir = await tempDir('json-scratch');
      dirs.push(dir);
      const fresh = await backend.provision();
      cleanups.push(() => fresh.dispose());
      return { dir, env: fresh.env };
    },
  };
}

describe('--json output of every command', () => {
  it('has a row for every command of the program', () => {
    const program = buildProgram({ stdout: () => undefined, stderr: () => undefined, env: {}, isTTY: false });
    const missing = leafCommands(program).filter((name) => !CASES.some((c) => c.command === name));
    expect(missing, 'add a row to CASES in test/cli-json.test.ts').toEqual([]);
  });

  it('a failing command prints one JSON error object on stderr and nothing on stdout', async () => {
    const result = await runCli(['calendar', '--start', '2026-11-30', '--end', '2026-11-01', '--json', '--config-dir', configs]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(jsonLines(result.stderr)).toEqual([{ error: 'UsageError', vendor: null, status: null, message: '--start 2026-11-30 is after --end 2026-11-01' }]);
  });
});

describeBackends('--json output of every command, on a demo', (backend) => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await demoOn(backend);
  }, 300_000);

  it.each(CASES.map((c) => [c.command, c] as const))('trademl %s --json: JSON lines with the expected keys', async (_name, c) => {
    const scratch = c.data === 'scratch' ? await ctx.scratch() : undefined;
    const dataDir = scratch?.dir ?? ctx.demoDir;
    const args = [...c.command.split(' '), ...(c.args ? await c.args(ctx) : []), '--json', '--config-dir', ctx.configs, '--data-dir', dataDir];
    const env = { ...(scratch?.env ?? ctx.demoEnv), ...(c.env?.(ctx) ?? {}) };
    const result = c.server ? await runServer(args, env) : await runCli(args, { env });
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    if ((c.lines ?? 'one') === 'one') expect(lines).toHaveLength(1);
    else expect(lines.length).toBeGreaterThan(0);
    const rows = c.last ? lines.slice(0, -1) : lines;
    for (const line of rows) for (const key of c.keys) expect(line, `${c.command}: key ${key}`).toHaveProperty(key);
    for (const key of c.last ?? []) expect(lines.at(-1), `${c.command}: last line, key ${key}`).toHaveProperty(key);
    // stderr holds structured logs (or nothing): JSON lines as well, every one a log line (a unit may
    // fail while the command succeeds), none the contract's error object.
    for (const line of jsonLines(result.stderr)) expect(line, JSON.stringify(line)).toMatchObject({ level: expect.any(String), name: 'trademl', msg: expect.any(String) });
    for (const secret of [...Object.values(SANDBOX_KEYS), ...demoSecrets(), ...storageSecrets(env)]) expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
