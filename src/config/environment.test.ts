import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configuredVendors,
  DEFAULT_BASE_URLS,
  inspectEnvironment,
  loadEnvironment,
  secretValues,
  vendorKeyStatus,
} from './index.js';

const KEYS = {
  ALPACA_API_KEY_ID: 'PKTESTKEYID0001',
  ALPACA_API_SECRET_KEY: 'alpaca-secret-0002',
  POLYGON_API_KEY: 'polygon-key-0003',
  FINNHUB_API_KEY: 'finnhub-key-0004',
  ALPHAVANTAGE_API_KEY: 'avkey00000000005',
  FMP_API_KEY: 'fmp-key-0000000006',
  FRED_API_KEY: 'abcdefabcdefabcdefabcdefabcd0007',
} as const;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function dotenvFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-env-'));
  dirs.push(dir);
  const file = path.join(dir, '.env');
  await writeFile(file, text);
  return file;
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnvironment', () => {
  it('defaults every vendor base to the real host and configures no vendor without keys', () => {
    const env = loadEnvironment({});
    expect(env.baseUrls).toEqual(DEFAULT_BASE_URLS);
    expect(env.baseUrls.polygon).toBe('https://api.massive.com');
    expect(env.baseUrls.finnhub).toBe('https://finnhub.io/api/v1');
    expect(env.logLevel).toBe('info');
    expect(env.keys).toEqual({});
    expect(configuredVendors(env)).toEqual([]);
  });

  it('reads keys, overrides and settings; a vendor is configured only with all its keys', () => {
    const env = loadEnvironment({
      ...KEYS,
      ALPACA_API_SECRET_KEY: '',
      TRADEML_POLYGON_BASE_URL: 'http://127.0.0.1:8787/polygon/',
      TRADEML_DATA_DIR: '/srv/trademl',
      TRADEML_STATE_URL: 'sqlite:/srv/trademl/state.db',
      TRADEML_LAKE_URL: 's3://bucket/prefix',
      TRADEML_LOG_LEVEL: 'DEBUG',
    });
    expect(env.baseUrls.polygon).toBe('http://127.0.0.1:8787/polygon');
    expect(env.baseUrls.fred).toBe('https://api.stlouisfed.org');
    expect(env).toMatchObject({ dataDir: '/srv/trademl', stateUrl: 'sqlite:/srv/trademl/state.db', lakeUrl: 's3://bucket/prefix', logLevel: 'debug' });
    expect(configuredVendors(env)).toEqual(['polygon', 'finnhub', 'av', 'fmp', 'fred']);
    expect(vendorKeyStatus(env).alpaca).toEqual({ configured: false, keys: { ALPACA_API_KEY_ID: 'set', ALPACA_API_SECRET_KEY: 'missing' } });
    expect(configuredVendors(env, { alpaca: ['ALPACA_API_KEY_ID'] })).toContain('alpaca');
  });

  it('accepts MASSIVE_API_KEY for Polygon, POLYGON_API_KEY winning when both are set', () => {
    const massiveOnly = loadEnvironment({ MASSIVE_API_KEY: 'massive-key-0101' });
    expect(massiveOnly.keys.POLYGON_API_KEY).toBe('massive-key-0101');
    expect(configuredVendors(massiveOnly)).toEqual(['polygon']);
    const both = loadEnvironment({ MASSIVE_API_KEY: 'massive-key-0101', POLYGON_API_KEY: 'polygon-key-0202' });
    expect(both.keys.POLYGON_API_KEY).toBe('polygon-key-0202');
    expect(secretValues(both).sort()).toEqual(['massive-key-0101', 'polygon-key-0202']);
  });

  it('merges a .env file under the real environment without touching process.env', async () => {
    const file = await dotenvFile('FRED_API_KEY=file-fred-key\nFINNHUB_API_KEY=file-finnhub-key\nTRADEML_LOG_LEVEL=warn\n# comment\n');
    const before = { ...process.env };
    const env = loadEnvironment({ FRED_API_KEY: 'real-fred-key', FINNHUB_API_KEY: '' }, { dotenvPath: file });
    expect(env.keys.FRED_API_KEY).toBe('real-fred-key');
    expect(env.keys.FINNHUB_API_KEY).toBe('file-finnhub-key');
    expect(env.logLevel).toBe('warn');
    expect(env.dotenvPath).toBe(file);
    expect(process.env).toEqual(before);
    expect(loadEnvironment({}, { dotenvPath: path.join(path.dirname(file), 'absent.env') }).dotenvPath).toBeUndefined();
  });

  it('rejects a malformed base URL, naming the variable and where it came from', async () => {
    expect(messageOf(() => loadEnvironment({ TRADEML_POLYGON_BASE_URL: 'ftp://files.example' }))).toBe(
      'environment: TRADEML_POLYGON_BASE_URL: expected an http(s) URL such as https://host[:port][/path], got "ftp://files.example" (string)',
    );
    const file = await dotenvFile('TRADEML_FRED_BASE_URL=api.stlouisfed.org\nTRADEML_LOG_LEVEL=loud\n');
    expect(messageOf(() => loadEnvironment({}, { dotenvPath: file })).split('\n')).toEqual([
      '.env: TRADEML_FRED_BASE_URL: expected an http(s) URL such as https://host[:port][/path], got "api.stlouisfed.org" (string)',
      '.env: TRADEML_LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "loud" (string)',
    ]);
  });

  it('reports problems but still returns defaults from inspectEnvironment', () => {
    const { environment, problems } = inspectEnvironment({ TRADEML_AV_BASE_URL: 'nope', TRADEML_LAKE_URL: 'ftp://x/y' });
    expect(environment.baseUrls.av).toBe('https://www.alphavantage.co');
    expect(environment.lakeUrl).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual(['TRADEML_AV_BASE_URL', 'TRADEML_LAKE_URL']);
  });
});

describe('secrets', () => {
  it('lists every key value and URL password for redaction', () => {
    const env = loadEnvironment({ ...KEYS, TRADEML_STATE_URL: 'postgres://trademl:pg-pass-0909@db.local/trademl', AWS_SECRET_ACCESS_KEY: 'aws-secret-0808' });
    expect(secretValues(env).sort()).toEqual([...Object.values(KEYS), 'pg-pass-0909', 'aws-secret-0808'].sort());
  });

  it('never appear in error messages, serialisation or inspection', () => {
    const leaky = {
      ...KEYS,
      TRADEML_FMP_BASE_URL: `financialmodelingprep.com/stable?apikey=${KEYS.FMP_API_KEY}`,
      TRADEML_STATE_URL: 'mysql://user:db-pass-4242@host/db',
      TRADEML_LOG_LEVEL: KEYS.FINNHUB_API_KEY,
    };
    const message = messageOf(() => loadEnvironment(leaky));
    expect(message.split('\n')).toHaveLength(3);
    for (const secret of [...Object.values(KEYS), 'db-pass-4242']) expect(message).not.toContain(secret);
    expect(message).toContain('[redacted]');
    expect(message).toContain('mysql://user:***@host/db');

    const env = loadEnvironment(KEYS);
    const shown = `${JSON.stringify(env)}\n${inspect(env, { depth: 5 })}`;
    for (const secret of Object.values(KEYS)) expect(shown).not.toContain(secret);
    expect(JSON.parse(JSON.stringify(env)).keys).toEqual(Object.fromEntries(Object.keys(KEYS).map((k) => [k, 'set'])));
  });
});
