import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'trademl.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI (the built bin) as a child process with a clean, key-free environment. */
export function startCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...options.env };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `trademl-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * A copy of the shipped configs with a shorter equities_eod lookback, so end-to-end tests run the
 * real pipeline over a few months instead of two years. `otherLookbacks` shortens more targets the
 * same way (for example treasuries, whose shipped window reaches back to 2000).
 */
export async function shortWindowConfigs(lookbackDays: number, otherLookbacks: Readonly<Record<string, number>> = {}): Promise<string> {
  const dir = await tempDir('configs');
  await cp(path.join(REPO, 'configs'), dir, { recursive: true });
  const file = path.join(dir, 'backfill.yml');
  const doc = parseDocument(await readFile(file, 'utf8'));
  for (const [target, days] of Object.entries({ equities_eod: lookbackDays, ...otherLookbacks })) {
    if (!doc.hasIn(['targets', target])) throw new Error(`backfill.yml has no target ${target}`);
    doc.setIn(['targets', target, 'lookback_days'], days);
  }
  await writeFile(file, doc.toString());
  return dir;
}

/**
 * Switches the alpaca_minute task off in a config copy: minute bars are thousands of units even for
 * 20 symbols, and suites about command output or the dashboard need none of them.
 */
export async function withoutMinuteBars(configDir: string): Promise<string> {
  const file = path.join(configDir, 'edge.yml');
  const text = await readFile(file, 'utf8');
  const patched = text.replace(/^(\s*alpaca_minute:\s*\{\s*enabled:\s*)true/m, '$1false');
  if (patched === text) throw new Error('could not switch off alpaca_minute in edge.yml');
  await writeFile(file, patched);
  return configDir;
}

/** Parses the last JSON object line a command printed. */
export function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON line in output:\n${stdout}`);
  return JSON.parse(line) as T;
}
