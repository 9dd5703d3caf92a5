import { inspect } from 'node:util';
import { KEY_VAR_ALIASES, KEY_VARS, type KeyVar } from './key-vars.js';
import { ConfigError, type ConfigProblem, describeValue, redact } from './problems.js';
import { readVariables, type Variables } from './variables.js';

export const BASE_URL_NAMES = ['alpaca_data', 'alpaca_trading', 'polygon', 'finnhub', 'av', 'fmp', 'fred'] as const;
export type BaseUrlName = (typeof BASE_URL_NAMES)[number];

/**
 * Real vendor hosts (vendors/*.md §1). Paths below these bases are the connectors' business:
 * Alpaca `/v2/stocks/bars`, Polygon `/v2/aggs/...`, AV `/query`, FMP `/stable/...`, FRED `/fred/...`.
 */
export const DEFAULT_BASE_URLS: Readonly<Record<BaseUrlName, string>> = {
  alpaca_data: 'https://data.alpaca.markets',
  alpaca_trading: 'https://paper-api.alpaca.markets',
  polygon: 'https://api.massive.com',
  finnhub: 'https://finnhub.io/api/v1',
  av: 'https://www.alphavantage.co',
  fmp: 'https://financialmodelingprep.com',
  fred: 'https://api.stlouisfed.org',
};

/** `alpaca_data` → `TRADEML_ALPACA_DATA_BASE_URL`. */
export function baseUrlVariable(name: BaseUrlName): string {
  return `TRADEML_${name.toUpperCase()}_BASE_URL`;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TrademlEnvironment {
  /** Key values by canonical variable; absent when unset or empty. Serialises as "set" markers only. */
  readonly keys: Readonly<Partial<Record<KeyVar, string>>>;
  /** Vendor bases without a trailing slash. */
  readonly baseUrls: Readonly<Record<BaseUrlName, string>>;
  readonly dataDir: string | undefined;
  readonly stateUrl: string | undefined;
  readonly lakeUrl: string | undefined;
  readonly logLevel: LogLevel;
  /** The .env file that was read, when one was. */
  readonly dotenvPath: string | undefined;
}

/** Secret values that are not in `keys`: an alias key that lost to its canonical variable, cloud credentials, URL passwords. */
const hiddenSecrets = new WeakMap<TrademlEnvironment, readonly string[]>();

const CLOUD_SECRET_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

function readKeys(vars: Variables): { keys: Partial<Record<KeyVar, string>>; losers: string[] } {
  const keys: Partial<Record<KeyVar, string>> = {};
  const losers: string[] = [];
  for (const name of KEY_VARS) {
    const value = vars.get(name);
    if (value !== undefined) keys[name] = value;
  }
  for (const [alias, canonical] of Object.entries(KEY_VAR_ALIASES)) {
    const value = vars.get(alias);
    if (value === undefined) continue;
    if (keys[canonical] === undefined) keys[canonical] = value;
    else if (keys[canonical] !== value) losers.push(value);
  }
  Object.defineProperty(keys, 'toJSON', { enumerable: false, value: () => keyMarkers(keys) });
  Object.defineProperty(keys, inspect.custom, { enumerable: false, value: () => keyMarkers(keys) });
  return { keys, losers };
}

function keyMarkers(keys: Partial<Record<KeyVar, string>>): Record<string, 'set'> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, 'set' as const]));
}

/** The password of `scheme://user:password@host/...`, if any. */
function urlPassword(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

function maskUrlPassword(value: string): string {
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

function envProblem(vars: Variables, name: string, expected: string, value: string, secrets: readonly string[]): ConfigProblem {
  const file = vars.origin(name);
  const text = `${file}: ${name}: expected ${expected}, got ${describeValue(maskUrlPassword(value))}`;
  return { file, path: name, text: redact(text, secrets) };
}

function readBaseUrls(vars: Variables, problems: ConfigProblem[], secrets: readonly string[]): Record<BaseUrlName, string> {
  const out = { ...DEFAULT_BASE_URLS };
  for (const name of BASE_URL_NAMES) {
    const variable = baseUrlVariable(name);
    const value = vars.get(variable);
    if (value === undefined) continue;
    const url = parseHttpUrl(value);
    if (url === undefined) problems.push(envProblem(vars, variable, 'an http(s) URL such as https://host[:port][/path]', value, secrets));
    else out[name] = url;
  }
  return out;
}

function parseHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.hostname === '') return undefined;
    return value.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** A url with one of `schemes`, or a plain path (no scheme, or a one-letter Windows drive). */
function hasSchemeIn(value: string, schemes: readonly string[]): boolean {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  return scheme === undefined || scheme.length === 1 || schemes.includes(scheme);
}

function readSettings(vars: Variables, problems: ConfigProblem[], secrets: readonly string[]) {
  let stateUrl = vars.get('TRADEML_STATE_URL');
  if (stateUrl !== undefined && stateUrl !== ':memory:' && !hasSchemeIn(stateUrl, ['sqlite', 'postgres', 'postgresql'])) {
    problems.push(envProblem(vars, 'TRADEML_STATE_URL', 'sqlite:<path>, postgres://…, a file path or :memory:', stateUrl, secrets));
    stateUrl = undefined;
  }
  let lakeUrl = vars.get('TRADEML_LAKE_URL');
  if (lakeUrl !== undefined && !hasSchemeIn(lakeUrl, ['file', 's3'])) {
    problems.push(envProblem(vars, 'TRADEML_LAKE_URL', 'file://<path>, s3://<bucket>[/prefix] or a directory path', lakeUrl, secrets));
    lakeUrl = undefined;
  }
  const rawLevel = vars.get('TRADEML_LOG_LEVEL');
  let logLevel: LogLevel = 'info';
  if (rawLevel !== undefined) {
    const level = rawLevel.toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(level)) logLevel = level as LogLevel;
    else problems.push(envProblem(vars, 'TRADEML_LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, rawLevel, secrets));
  }
  return { stateUrl, lakeUrl, logLevel, dataDir: vars.get('TRADEML_DATA_DIR') };
}

/**
 * Reads keys, vendor base URLs and settings from `env`, with `options.dotenvPath` (when given and
 * present) merged underneath: a variable set in the real environment wins. Neither `env` nor
 * `process.env` is modified. Malformed variables become problems (values redacted) and fall back to
 * their defaults in the returned environment.
 */
export function inspectEnvironment(
  env: NodeJS.ProcessEnv,
  options: { dotenvPath?: string } = {},
): { environment: TrademlEnvironment; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const { vars, read } = readVariables(env, options.dotenvPath, problems);
  const { keys, losers } = readKeys(vars);
  const cloud = CLOUD_SECRET_VARS.map((n) => vars.get(n)).filter((v): v is string => v !== undefined);
  const urlSecrets = [urlPassword(vars.get('TRADEML_STATE_URL')), urlPassword(vars.get('TRADEML_LAKE_URL'))].filter(
    (s): s is string => s !== undefined,
  );
  const hidden = [...losers, ...cloud, ...urlSecrets];
  const secrets = [...Object.values(keys), ...hidden];
  const baseUrls = readBaseUrls(vars, problems, secrets);
  const settings = readSettings(vars, problems, secrets);
  const environment: TrademlEnvironment = { keys, baseUrls, ...settings, dotenvPath: read };
  hiddenSecrets.set(environment, hidden);
  return { environment, problems };
}

/**
 * `inspectEnvironment`, throwing a ConfigError that lists every malformed variable. No key value
 * ever appears in it.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv, options: { dotenvPath?: string } = {}): TrademlEnvironment {
  const { environment, problems } = inspectEnvironment(env, options);
  if (problems.length > 0) throw new ConfigError(problems);
  return environment;
}

/** Every secret value the environment holds (keys, URL passwords, cloud credentials), for redaction elsewhere. */
export function secretValues(env: TrademlEnvironment): string[] {
  const values = [...Object.values(env.keys), ...(hiddenSecrets.get(env) ?? []), urlPassword(env.stateUrl), urlPassword(env.lakeUrl)].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return [...new Set(values)];
}
