import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.js';
import { demoStorage, demoStorageSecrets, runDemo } from './demo.js';

const CONFIGS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'configs');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('demoStorage', () => {
  it('defaults to SQLite state and a file lake under the data directory', () => {
    const storage = demoStorage('/tmp/demo-x', { TRADEML_LOG_LEVEL: 'warn', POLYGON_API_KEY: 'ignored' });
    expect(storage).toEqual({ stateUrl: `sqlite:${path.join('/tmp/demo-x', 'state', 'trademl.sqlite')}`, lakeUrl: undefined, external: { state: false, lake: false }, vars: {} });
  });

  it('takes TRADEML_STATE_URL, TRADEML_LAKE_URL and the AWS variables, and nothing else, from the environment', () => {
    const env = {
      TRADEML_STATE_URL: 'postgres://demo:pw-0001@db:5432/demo',
      TRADEML_LAKE_URL: 's3://lake/demo',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4569',
      AWS_ACCESS_KEY_ID: 'AKIDDEMO0001',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-0002',
      ALPACA_API_KEY_ID: 'PKNOTUSED',
    };
    const storage = demoStorage('/tmp/demo-x', env);
    expect(storage.stateUrl).toBe(env.TRADEML_STATE_URL);
    expect(storage.lakeUrl).toBe('s3://lake/demo');
    expect(storage.external).toEqual({ state: true, lake: true });
    expect(Object.keys(storage.vars).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_ENDPOINT_URL', 'AWS_SECRET_ACCESS_KEY', 'TRADEML_LAKE_URL', 'TRADEML_STATE_URL']);
    expect(demoStorageSecrets(env).sort()).toEqual(['AKIDDEMO0001', 'aws-secret-0002', 'pw-0001']);
  });

  it('refuses a malformed URL without echoing the credentials beside it', () => {
    const attempt = (): unknown => demoStorage('/tmp/demo-x', { TRADEML_LAKE_URL: 'ftp://lake/demo', AWS_SECRET_ACCESS_KEY: 'aws-secret-0003' });
    expect(attempt).toThrow(/TRADEML_LAKE_URL/);
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('aws-secret-0003');
    }
  });
});

describe('runDemo with external storage', () => {
  it('refuses --fresh before touching anything (it could only clear the data directory)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trademl-demo-unit-'));
    dirs.push(dataDir);
    const target = path.join(dataDir, 'demo');
    const run = runDemo({ dataDir: target, configDir: CONFIGS, params: {}, fresh: true, env: { TRADEML_LAKE_URL: 's3://lake/demo' } });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/--fresh/);
    expect(existsSync(target)).toBe(false);
  });
});
