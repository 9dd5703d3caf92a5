import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { configCopy, replaceOnce, SHIPPED_CONFIG_DIR } from '../../config/test-support/config-dir.js';
import type { CliIO } from '../context.js';
import { register } from './config.js';

const KEYS = {
  ALPACA_API_KEY_ID: 'PKCLITESTKEY0001',
  ALPACA_API_SECRET_KEY: 'cli-alpaca-secret-0002',
  MASSIVE_API_KEY: 'cli-massive-key-0003',
  FINNHUB_API_KEY: 'cli-finnhub-key-0004',
  FMP_API_KEY: 'cli-fmp-key-0000006',
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  process.exitCode = 0;
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** Runs `trademl config check …` in-process, the way main.ts builds the program. */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, isTTY: false };
  const program = new Command('trademl')
    .option('--json')
    .option('--config-dir <dir>', 'configs dir', 'configs')
    .option('--data-dir <dir>')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  register(program, io);
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'trademl', 'config', 'check', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { code: error.exitCode, stdout, stderr };
  }
  return { code: Number(process.exitCode ?? 0), stdout, stderr };
}

async function noEnvFile(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'absent.env');
}

describe('trademl config check', () => {
  it('prints a short OK summary with configured vendors and only set/missing for keys', async () => {
    const out = await run(['--config-dir', SHIPPED_CONFIG_DIR, '--env-file', await noEnvFile()], KEYS);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`config OK: endpoints.yml, edge.yml, backfill.yml, curator.yml in ${SHIPPED_CONFIG_DIR}`);
    expect(lines[1]).toBe('environment OK (no .env file read)');
    expect(lines[2]).toBe('vendors: 4 configured, 2 missing keys');
    expect(lines).toContain('  polygon  configured    POLYGON_API_KEY set');
    expect(lines).toContain('  av       missing keys  ALPHAVANTAGE_API_KEY missing');
    for (const value of Object.values(KEYS)) expect(out.stdout).not.toContain(value);
  });

  it('--json prints one object with ok, problems and vendor states', async () => {
    const out = await run(['--json', '--config-dir', SHIPPED_CONFIG_DIR, '--env-file', await noEnvFile()], KEYS);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] ?? '');
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      vendors: { alpaca: 'configured', polygon: 'configured', finnhub: 'configured', av: 'missing keys', fmp: 'configured', fred: 'missing keys' },
    });
    expect(report.keys.POLYGON_API_KEY).toBe('set');
  });

  it('prints every problem on its own line and exits 1', async () => {
    const { dir, cleanup } = await configCopy({
      'edge.yml': (t) => replaceOnce(t, 'lease_seconds: 120', 'lease_seconds: soon'),
      'curator.yml': () => null,
    });
    cleanups.push(cleanup);
    const out = await run(['--config-dir', dir, '--env-file', await noEnvFile()], { TRADEML_FRED_BASE_URL: 'ftp://fred' });
    expect(out.code).toBe(1);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'edge.yml: locks.lease_seconds: expected an integer, got "soon" (string)',
      'curator.yml: file not found',
      'environment: TRADEML_FRED_BASE_URL: expected an http(s) URL such as https://host[:port][/path], got "ftp://fred" (string)',
      '3 problems found',
    ]);
    const json = await run(['--json', '--config-dir', dir, '--env-file', await noEnvFile()], {});
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: ['edge.yml: locks.lease_seconds: expected an integer, got "soon" (string)', 'curator.yml: file not found'] });
  });

  it('never shows a key, even one pasted into a config file or a base URL', async () => {
    const { dir, cleanup } = await configCopy({ 'endpoints.yml': (t) => replaceOnce(t, 'key_env: [FMP_API_KEY]', `key_env: [${KEYS.FMP_API_KEY}]`) });
    cleanups.push(cleanup);
    const envFile = path.join(path.dirname(await noEnvFile()), '.env');
    await writeFile(envFile, `TRADEML_FINNHUB_BASE_URL=finnhub.io?token=${KEYS.FINNHUB_API_KEY}\n`);
    const env = { ...KEYS, TRADEML_POLYGON_BASE_URL: `api.massive.com/?apiKey=${KEYS.MASSIVE_API_KEY}` };
    for (const flags of [[], ['--json']]) {
      const out = await run([...flags, '--config-dir', dir, '--env-file', envFile], env);
      expect(out.code).toBe(1);
      const shown = out.stdout + out.stderr;
      expect(shown).toContain('[redacted]');
      expect(shown).toContain('TRADEML_FINNHUB_BASE_URL');
      for (const value of Object.values(KEYS)) expect(shown).not.toContain(value);
    }
  });

  it('has help text with an example', async () => {
    const out = await run(['--help'], {});
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Examples:');
    expect(out.stdout).toContain('$ trademl config check --config-dir ./configs --env-file ./.env --json');
  });
});
