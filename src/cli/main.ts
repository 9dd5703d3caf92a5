import { Command, CommanderError } from 'commander';
import { isTrademlError, UsageError } from '../errors/index.js';
import { processIO, resolveGlobalOptions, type CliIO, type GlobalOptions } from './context.js';
import { COMMANDS } from './commands/index.js';
import { logProcessWarnings } from './log.js';

export type CommandAction = (ctx: { global: GlobalOptions; io: CliIO; options: Record<string, unknown>; args: string[] }) => Promise<number | void>;

/** Builds the `trademl` program; `io` is injectable so tests drive it in-process. */
export function buildProgram(io: CliIO = processIO): Command {
  const program = new Command('trademl')
    .description('Free-tier market-data pipeline: pull, route, audit, backfill and curate six vendors.')
    .option('--json', 'machine output on stdout (one JSON object per line for row streams)')
    .option('--config-dir <dir>', 'directory of configs/*.yml', 'configs')
    .option('--data-dir <dir>', 'lake and state root (default $TRADEML_DATA_DIR or ./data)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Wraps a command's action: global options resolved, errors printed per the CLI contract. */
export function action(io: CliIO, run: CommandAction): (...args: unknown[]) => Promise<void> {
  return async function commandAction(...args: unknown[]): Promise<void> {
    const command = args[args.length - 1] as Command;
    const options = command.opts();
    const global = resolveGlobalOptions(command.optsWithGlobals(), io);
    const positional = args.slice(0, -2).filter((a): a is string => typeof a === 'string');
    try {
      const code = await run({ global, io, options, args: positional });
      process.exitCode = code ?? 0;
    } catch (error) {
      process.exitCode = reportError(io, global.json, error);
    }
  };
}

export function reportError(io: CliIO, json: boolean, error: unknown): number {
  const known = isTrademlError(error);
  const payload = known
    ? error.toJSON()
    : { error: error instanceof Error ? error.name : 'Error', vendor: null, status: null, message: error instanceof Error ? error.message : String(error) };
  if (json) io.stderr(`${JSON.stringify(payload)}\n`);
  else io.stderr(`trademl: ${payload.error === 'Error' ? '' : `${payload.error}: `}${payload.message}\n`);
  return error instanceof UsageError ? 2 : 1;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  if (io === processIO) logProcessWarnings(io);
  const program = buildProgram(io);
  process.exitCode = 0;
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportError(io, argv.includes('--json'), error);
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
