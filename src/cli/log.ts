import { existsSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { inspectEnvironment, secretValues, type TrademlEnvironment } from '../config/index.js';
import { MASK, redactText } from '../http/index.js';
import type { CliIO } from './context.js';

export type { Logger } from 'pino';

/** Field names whose values are secrets whatever they hold: masked by pino before serialising. */
const SECRET_FIELDS = ['apiKey', 'api_key', 'apikey', 'token', 'secret', 'secretKey', 'password', 'authorization', 'key', '["APCA-API-KEY-ID"]', '["APCA-API-SECRET-KEY"]', '["X-Finnhub-Token"]'];
const REDACT_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => (f.startsWith('[') ? `*${f}` : `*.${f}`)), ...SECRET_FIELDS.map((f) => (f.startsWith('[') ? `headers${f}` : `headers.${f}`))];

export interface LoggerOptions {
  /** pino level; default the environment's TRADEML_LOG_LEVEL (itself default `info`). */
  level?: LevelWithSilent;
  /** Every secret value: none may appear in a line, whatever field or message carries it. */
  secrets?: readonly string[];
}

/**
 * The environment the logger reads its level and secrets from: the real environment over `./.env`,
 * as the commands read it. A malformed TRADEML_LOG_LEVEL falls back to `info` here; `config check`
 * reports it.
 */
export function logEnvironment(io: CliIO): TrademlEnvironment {
  const dotenv = path.resolve('.env');
  return inspectEnvironment(io.env, existsSync(dotenv) ? { dotenvPath: dotenv } : {}).environment;
}

/**
 * Structured JSON logs, one object a line on stderr (stdout stays for `--json` results). Secrets are
 * removed twice: pino's `redact` masks fields named like keys, then every serialised line passes
 * through the same `redactText` the HTTP layer uses on URLs (key values, `apiKey=…` pairs).
 */
export function createLogger(io: CliIO, options: LoggerOptions = {}): Logger {
  const environment = options.level === undefined || options.secrets === undefined ? logEnvironment(io) : undefined;
  const secrets = withJsonVariants([...(options.secrets ?? []), ...(environment ? secretValues(environment) : [])]);
  return pino(
    {
      level: options.level ?? environment?.logLevel ?? 'info',
      base: { name: 'trademl' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: MASK },
      hooks: { streamWrite: (line) => redactText(line, secrets) },
    },
    { write: (line: string) => io.stderr(line) },
  );
}

/**
 * Node prints process warnings (a dependency's notice, such as the AWS SDK's about Node versions) as
 * raw text on stderr, where every other line is a JSON log: a `--json` consumer would choke on them.
 * The CLI process sends them through the logger instead, as `process.warning` lines (secrets masked
 * like any other): Node's own printer is removed from `emitter`.
 */
export function logProcessWarnings(io: CliIO, emitter: NodeJS.EventEmitter = process): void {
  // Made on the first warning: most runs have none, and start-up need not read the environment twice.
  let logger: Logger | undefined;
  emitter.removeAllListeners('warning');
  emitter.on('warning', (warning: Error) => {
    logger ??= createLogger(io);
    logger.warn({ event: 'process.warning', warning: warning.name }, warning.message);
  });
}

/** A secret as it appears inside a JSON string (quotes and backslashes escaped), besides itself. */
function withJsonVariants(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue; // a one-character "secret" would mask every line
    out.add(secret);
    out.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...out];
}
