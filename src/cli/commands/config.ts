import path from 'node:path';
import { VENDORS, type VendorId } from '../../catalog/index.js';
import {
  CONFIG_FILES,
  ConfigError,
  inspectEnvironment,
  type KeyStatus,
  type KeyVar,
  loadConfig,
  secretValues,
  type TrademlConfig,
  vendorKeyStatus,
  type VendorKeyStatus,
} from '../../config/index.js';
import { emitJsonLine, type CliIO } from '../context.js';
import { action } from '../main.js';
import type { RegisterCommand } from './index.js';

type VendorState = 'configured' | 'missing keys';

/** The `--json` object. Keys appear as names with 'set' | 'missing', never as values. */
interface CheckReport {
  ok: boolean;
  configDir: string;
  dotenvPath: string | null;
  problems: string[];
  vendors: Record<VendorId, VendorState>;
  keys: Record<string, KeyStatus>;
}

async function loadConfigProblems(configDir: string, secrets: readonly string[]): Promise<{ config?: TrademlConfig; problems: string[] }> {
  try {
    return { config: await loadConfig(configDir, { secrets }), problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems.map((p) => p.text) };
    throw error;
  }
}

/** Key requirements from endpoints.yml when it loaded; built-in ones otherwise. */
function keyEnvOf(config: TrademlConfig | undefined): Partial<Record<VendorId, readonly KeyVar[]>> {
  const out: Partial<Record<VendorId, readonly KeyVar[]>> = {};
  for (const provider of Object.values(config?.endpoints.providers ?? {})) out[provider.vendor] = provider.key_env;
  return out;
}

/** Validates every config file and the environment; secrets are redacted from every problem. */
async function check(configDir: string, env: NodeJS.ProcessEnv, envFile: string) {
  const { environment, problems: envProblems } = inspectEnvironment(env, { dotenvPath: envFile });
  const { config, problems } = await loadConfigProblems(configDir, secretValues(environment));
  const status = vendorKeyStatus(environment, keyEnvOf(config));
  const vendors = {} as Record<VendorId, VendorState>;
  const keys: Record<string, KeyStatus> = {};
  for (const vendor of VENDORS) {
    vendors[vendor] = status[vendor].configured ? 'configured' : 'missing keys';
    Object.assign(keys, status[vendor].keys);
  }
  const all = [...problems, ...envProblems.map((p) => p.text)];
  const report: CheckReport = { ok: all.length === 0, configDir, dotenvPath: environment.dotenvPath ?? null, problems: all, vendors, keys };
  return { report, status };
}

function vendorLine(vendor: VendorId, status: VendorKeyStatus): string {
  const keys = Object.entries(status.keys).map(([name, state]) => `${name} ${state}`);
  const state: VendorState = status.configured ? 'configured' : 'missing keys';
  return `  ${vendor.padEnd(8)} ${state.padEnd(13)} ${keys.join(', ') || '(no keys needed)'}`;
}

function printHuman(io: CliIO, report: CheckReport, status: Record<VendorId, VendorKeyStatus>): void {
  for (const problem of report.problems) io.stdout(`${problem}\n`);
  if (report.ok) {
    io.stdout(`config OK: ${Object.values(CONFIG_FILES).join(', ')} in ${report.configDir}\n`);
    io.stdout(`environment OK${report.dotenvPath === null ? ' (no .env file read)' : ` (.env: ${report.dotenvPath})`}\n`);
  } else {
    io.stdout(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found\n`);
  }
  const configured = VENDORS.filter((v) => status[v].configured).length;
  io.stdout(`vendors: ${configured} configured, ${VENDORS.length - configured} missing keys\n`);
  for (const vendor of VENDORS) io.stdout(`${vendorLine(vendor, status[vendor])}\n`);
}

export const register: RegisterCommand = (program, io) => {
  const config = program.command('config').description('inspect and validate the configuration');
  config
    .command('check')
    .description('validate configs/*.yml and the environment (keys, vendor base URLs); key values are never printed')
    .option('--env-file <path>', '.env file merged under the real environment (skipped when absent)', '.env')
    .addHelpText(
      'after',
      [
        '',
        'Prints every problem on its own line (<file>: <key.path>: expected <what>, got <value (type)>) and exits 1;',
        'otherwise a short summary: the config files found and which vendors have their keys set.',
        '',
        'Examples:',
        '  $ trademl config check',
        '  $ trademl config check --config-dir ./configs --env-file ./.env --json',
        '',
      ].join('\n'),
    )
    .action(
      action(io, async ({ global, io: cli, options }) => {
        const envFile = path.resolve(typeof options.envFile === 'string' ? options.envFile : '.env');
        const { report, status } = await check(global.configDir, cli.env, envFile);
        if (global.json) emitJsonLine(cli, report);
        else printHuman(cli, report, status);
        return report.ok ? 0 : 1;
      }),
    );
};
