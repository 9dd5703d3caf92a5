import type { Command } from 'commander';
import { addDays, nyDate } from '../../calendar/index.js';
import { systemClock, type Clock } from '../../clock/index.js';
import { UsageError } from '../../errors/index.js';
import { createMarket, faultInjector, parseFaultSpec, RELAXED_PLANS, SANDBOX_VENDORS, startSandbox, type FaultInjector } from '../../sandbox/index.js';
import { FAULT_KINDS } from '../../sandbox/index.js';
import { emitJsonLine, type CliIO } from '../context.js';
import { action } from '../main.js';
import type { RegisterCommand } from './index.js';

export interface ServeOptions {
  io: CliIO;
  json: boolean;
  seed: number;
  symbols: number;
  /** Vendors listen on portBase, portBase + 1, … in SANDBOX_VENDORS order; ephemeral ports when undefined. */
  portBase: number | undefined;
  faults?: FaultInjector;
  /** Lift every request-rate limit (RELAXED_PLANS). */
  relaxLimits?: boolean;
  /** Resolves when the sandbox should stop (a signal in the CLI). */
  until: Promise<unknown>;
  clock?: Clock;
}

const EXAMPLE = `
Example:
  $ trademl sandbox serve --port-base 18080 --seed 7
  export TRADEML_ALPACA_DATA_BASE_URL=http://127.0.0.1:18080
  export TRADEML_ALPACA_TRADING_BASE_URL=http://127.0.0.1:18080
  export TRADEML_POLYGON_BASE_URL=http://127.0.0.1:18081

  Paste the export lines into another shell; any non-empty keys are accepted there.
  The emulators enforce the free tiers (Alpaca 200 requests/min, Polygon 5/min and 2 years of history,
  Finnhub 60/min, Alpha Vantage 25/day, FRED 120/min). FRED keys must look real: 32 characters a-z0-9.

  $ trademl sandbox serve --faults polygon=hang,finnhub=5xx:0.1 --fault-seed 7`;

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  const sandbox = program.command('sandbox').description('the vendor API emulators over a simulated market');
  sandbox
    .command('serve')
    .description('serve the vendor emulators on loopback over a seeded market of the last 3 years, until Ctrl-C')
    .option('--port-base <n>', `listen on fixed ports N, N+1, … in the order ${SANDBOX_VENDORS.join(', ')} (default: ephemeral ports)`)
    .option('--faults <spec>', `inject faults: vendor=kind[:rate],… with kinds ${FAULT_KINDS.join(', ')} (e.g. polygon=hang,finnhub=5xx:0.1)`)
    .option('--fault-seed <n>', 'seed of the fault draws (same seed, same faults)', '1')
    .option('--relax-limits', 'lift every request-rate limit (history windows, entitlements and errors stay) for local development')
    .option('--seed <n>', 'market seed (same seed, same market)', '42')
    .option('--symbols <n>', 'number of simulated symbols', '300')
    .addHelpText('after', EXAMPLE)
    .action(
      action(io, async ({ global, options }) => {
        await serveSandbox({
          io,
          json: global.json,
          seed: integerOption(options.seed, '--seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
          symbols: integerOption(options.symbols, '--symbols', 1, 20_000),
          portBase: options.portBase === undefined ? undefined : integerOption(options.portBase, '--port-base', 1, 65_534),
          until: untilSignal(),
          relaxLimits: Boolean(options.relaxLimits),
          ...(options.faults === undefined ? {} : { faults: faultsOption(options.faults as string, options.faultSeed as string) }),
        });
      }),
    );
};

/** Starts the sandbox, prints where it listens, waits for `until`, then closes it. */
export async function serveSandbox(options: ServeOptions): Promise<void> {
  const clock = options.clock ?? systemClock;
  const end = nyDate(clock.now());
  const start = yearsBefore(end, 3);
  const market = createMarket({ seed: options.seed, symbols: options.symbols, start, end });
  const base = options.portBase;
  const ports = base === undefined ? undefined : Object.fromEntries(SANDBOX_VENDORS.map((vendor, i) => [vendor, base + i]));
  const sandbox = await startSandbox({ clock, market, ...(ports ? { ports } : {}), ...(options.faults ? { faults: options.faults } : {}), ...(options.relaxLimits ? { plans: RELAXED_PLANS } : {}) });
  const env = sandbox.env();
  const { io } = options;
  if (options.json) {
    emitJsonLine(io, { baseUrls: sandbox.baseUrls, env, seed: options.seed, symbols: options.symbols, start, end });
  } else {
    io.stdout(
      [
        `trademl sandbox: ${options.symbols} simulated symbols (seed ${options.seed}), sessions ${start}..${end}, system clock`,
        ...Object.entries(sandbox.baseUrls).map(([name, url]) => `  ${name.padEnd(14)} ${url}`),
        ...Object.entries(env).map(([key, value]) => `export ${key}=${value}`),
        'Any non-empty API keys are accepted. Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
  try {
    await options.until;
  } finally {
    await sandbox.close();
  }
  if (!options.json) {
    const stats = sandbox.stats();
    io.stdout(`sandbox stopped: ${Object.entries(stats).map(([vendor, st]) => `${st.requests} ${vendor}`).join(', ')} requests served\n`);
  }
}

/** `--faults` and `--fault-seed` as an injector; a bad spec is a usage error naming the part. */
export function faultsOption(spec: string, seed: string | undefined): FaultInjector {
  try {
    return faultInjector(parseFaultSpec(spec, SANDBOX_VENDORS), integerOption(seed ?? '1', '--fault-seed', 0, 2 ** 31 - 1));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function integerOption(value: unknown, name: string, min: number, max: number): number {
  const text = String(value);
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

/** The same calendar day `years` earlier (29 February falls back to the 28th). */
function yearsBefore(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) - years;
  const candidate = `${year}${date.slice(4)}`;
  return date.slice(5) === '02-29' ? addDays(`${year}-03-01`, -1) : candidate;
}
