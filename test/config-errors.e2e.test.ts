import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends, type ProvisionedBackend } from './support/backends.js';
import { removeDir, runCli, shortWindowConfigs, tempDir } from './support/cli.js';

let broken: string;

beforeAll(async () => {
  broken = await shortWindowConfigs(30);
  const file = path.join(broken, 'endpoints.yml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/rpm: 200\b/, 'rpm: fast'));
});
afterAll(async () => {
  await removeDir(broken);
});

describeBackends('a bad config file stops the demo', (backend) => {
  let storage: ProvisionedBackend;
  let dataDir: string;
  beforeAll(async () => {
    storage = await backend.provision();
    dataDir = await tempDir('bad-config');
  });
  afterAll(async () => {
    await Promise.all([removeDir(dataDir), storage?.dispose()]);
  });

  it('with the file, the key and what was expected, before anything is written', async () => {
    const result = await runCli(['demo', '--data-dir', dataDir, '--config-dir', broken], { env: storage.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/endpoints\.yml: providers\.alpaca\.rpm: expected a number, got "fast" \(string\)/);
    expect(await readdir(dataDir)).toEqual([]);
    // Nothing in the backend's own storage either: no state table, no lake object.
    expect(await storage.stateText(dataDir)).toBe('');
    expect(await storage.storedObjects(dataDir)).toEqual([]);
  });

  it('prints the CLI contract error object with --json', async () => {
    const result = await runCli(['demo', '--json', '--data-dir', dataDir, '--config-dir', broken], { env: storage.env });
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(error).toMatchObject({ error: 'ConfigError', vendor: null, status: null });
    expect(String(error.message)).toContain('providers.alpaca.rpm');
  });
});

describe('a bad config file', () => {
  it('is reported by `config check` with every problem and a non-zero exit', async () => {
    const result = await runCli(['config', 'check', '--config-dir', broken]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('endpoints.yml: providers.alpaca.rpm');
  });
});
