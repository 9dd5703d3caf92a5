import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runCli, shortWindowConfigs, tempDir } from './support/cli.js';

let broken: string;
let dataDir: string;

beforeAll(async () => {
  broken = await shortWindowConfigs(30);
  const file = path.join(broken, 'endpoints.yml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/rpm: 200\b/, 'rpm: fast'));
  dataDir = await tempDir('bad-config');
});
afterAll(async () => {
  await Promise.all([removeDir(broken), removeDir(dataDir)]);
});

describe('a bad config file', () => {
  it('stops the demo with the file, the key and what was expected, before anything is written', async () => {
    const result = await runCli(['demo', '--data-dir', dataDir, '--config-dir', broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/endpoints\.yml: providers\.alpaca\.rpm: expected a number, got "fast" \(string\)/);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('prints the CLI contract error object with --json', async () => {
    const result = await runCli(['demo', '--json', '--data-dir', dataDir, '--config-dir', broken]);
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(error).toMatchObject({ error: 'ConfigError', vendor: null, status: null });
    expect(String(error.message)).toContain('providers.alpaca.rpm');
  });

  it('is reported by `config check` with every problem and a non-zero exit', async () => {
    const result = await runCli(['config', 'check', '--config-dir', broken]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('endpoints.yml: providers.alpaca.rpm');
  });
});
