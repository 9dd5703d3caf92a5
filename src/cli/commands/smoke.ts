import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addDays, nyInstant, lastCompletedSession } from '../../calendar/index.js';
import { systemClock, VirtualClock, type Clock } from '../../clock/index.js';
import { configuredVendors, loadConfig, loadEnvironment, type TrademlConfig, type TrademlEnvironment } from '../../config/index.js';
import { createMarket, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { ALL_PLANNERS, runSmoke, type SmokeReport } from '../../scheduler/index.js';
import { emitJsonLine, parseDateOption, type CliIO } from '../context.js';
import { DEMO_CREDENTIALS, demoKeyEnv } from '../demo.js';
import { localDotenv } from '../fetch.js';
import { action } from '../main.js';
import { resolveConfigDir } from '../paths.js';
import { openRuntime } from '../runtime.js';
import type { RegisterCommand } from './index.js';

const SANDBOX_SYMBOLS = 40;

export const register: RegisterCommand = (program, io) => {
  program
    .command('smoke')
    .description('touch one unit of every enabled task of every configured vendor, then count partitions per table (the sandbox when no keys are set)')
    .option('--sandbox', 'run against the built-in vendor emulators even when keys are set')
    .option('--as-of <date>', 'sandbox only: the virtual "today" (default: the last completed session)')
    .addHelpText(
      'after',
      `
Exit code 1 when a table some enabled task should fill gets no partition (a premium endpoint the
keys are refused is reported as denied, not as a failure) or when a task fails outright.
Keyless (or with --sandbox) it runs on a fresh temporary lake unless --data-dir is given.

Examples:
  $ trademl smoke
  $ trademl smoke --sandbox --json`,
    )
    .action(
      action(io, async ({ global, options }) => {
        const configDir = resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined);
        const config = await loadConfig(configDir);
        const realEnv = loadEnvironment(io.env, localDotenv());
        const useSandbox = Boolean(options.sandbox) || configuredVendors(realEnv).length === 0;
        const explicitDataDir = program.opts().dataDir !== undefined || io.env.TRADEML_DATA_DIR !== undefined;
        const report = useSandbox
          ? await smokeOnSandbox({ config, configDir, io, asOf: parseDateOption(options.asOf as string | undefined, '--as-of'), dataDir: explicitDataDir ? global.dataDir : undefined })
          : await smokeOn({ config, configDir, env: realEnv, clock: systemClock, dataDir: global.dataDir });
        if (global.json) emitJsonLine(io, { sandbox: useSandbox, ...report });
        else io.stdout(renderSmoke(report, useSandbox));
        return report.ok ? 0 : 1;
      }),
    );
};

async function smokeOn(options: { config: TrademlConfig; configDir: string; env: TrademlEnvironment; clock: Clock; dataDir: string }): Promise<SmokeReport> {
  const runtime = await openRuntime({ configDir: options.configDir, config: options.config, dataDir: options.dataDir, env: options.env, clock: options.clock, owner: 'smoke' });
  try {
    return await runSmoke(runtime, ALL_PLANNERS);
  } finally {
    await runtime.close();
  }
}

/** A small seeded market, every emulator on loopback, the evening after `asOf`'s close on a virtual clock. */
async function smokeOnSandbox(options: { config: TrademlConfig; configDir: string; io: CliIO; asOf: string | undefined; dataDir: string | undefined }): Promise<SmokeReport> {
  const asOf = options.asOf ?? lastCompletedSession(Date.now(), 60 * 60_000);
  const clock = new VirtualClock({ start: nyInstant(asOf, '18:00') });
  const market = createMarket({ seed: 7, symbols: SANDBOX_SYMBOLS, start: addDays(asOf, -3 * 365 - 7), end: asOf });
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'trademl-smoke-')));
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({ clock, market, credentials: DEMO_CREDENTIALS });
    const env = loadEnvironment({ ...demoKeyEnv(), ...sandbox.env(), ...(options.io.env.TRADEML_STATE_URL ? { TRADEML_STATE_URL: options.io.env.TRADEML_STATE_URL } : {}), ...(options.io.env.TRADEML_LAKE_URL ? { TRADEML_LAKE_URL: options.io.env.TRADEML_LAKE_URL } : {}) });
    return await smokeOn({ config: options.config, configDir: options.configDir, env, clock, dataDir });
  } finally {
    await sandbox?.close();
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  }
}

function renderSmoke(report: SmokeReport, sandbox: boolean): string {
  const lines = [`trademl smoke${sandbox ? ' (sandbox)' : ''}`, '', 'task                        vendor   outcome     rows  detail'];
  for (const t of report.tasks) {
    lines.push(`${t.task.padEnd(27)} ${t.vendor.padEnd(8)} ${t.outcome.padEnd(10)} ${String(t.rows).padStart(6)}  ${t.detail.slice(0, 90)}`);
  }
  lines.push('', 'table               partitions');
  for (const t of report.tables.filter((x) => x.targeted)) lines.push(`${t.dataset.padEnd(19)} ${String(t.partitions).padStart(10)}${t.denied ? '  (denied on these keys)' : ''}`);
  lines.push('', report.ok ? 'smoke: ok' : `smoke: FAILED${report.missing.length ? ` — no partition in ${report.missing.join(', ')}` : ''}`, '');
  return lines.join('\n');
}

