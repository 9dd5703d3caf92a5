import path from 'node:path';
import { UsageError } from '../errors/index.js';

/** Options every command takes (DESIGN.md "The command line"). */
export interface GlobalOptions {
  json: boolean;
  configDir: string;
  dataDir: string;
}

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
};

export function resolveGlobalOptions(raw: { json?: boolean; configDir?: string; dataDir?: string }, io: CliIO): GlobalOptions {
  return {
    json: Boolean(raw.json),
    configDir: path.resolve(raw.configDir ?? 'configs'),
    dataDir: path.resolve(raw.dataDir ?? io.env.TRADEML_DATA_DIR ?? 'data'),
  };
}

/** Prints one JSON object per line (row streams) or a human line. */
export function emitJsonLine(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a `YYYY-MM-DD` argument, naming the option when it does not parse. */
export function parseDateOption(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${option}: expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseListOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
