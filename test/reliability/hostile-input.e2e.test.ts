import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, nyDate } from '../../src/calendar/index.js';
import { systemClock } from '../../src/clock/index.js';
import { createMarket, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { describeBackends, storageSecrets } from '../support/backends.js';
import { removeDir, runCli, shortWindowConfigs, tempDir } from '../support/cli.js';

const KEYS = { ALPACA_API_KEY_ID: 'PKHOSTILE0000000000', ALPACA_API_SECRET_KEY: 'hostile-secret-0000000000', POLYGON_API_KEY: 'HOSTILEPOLY000000000' };
const HOSTILE = ['../x', 'BRK/B', 'BRK.B', 'Ünïcødé', '..', '.hidden', '%2e%2e%2fx', `L${'O'.repeat(1023)}`];
const today = nyDate(Date.now());
let sandbox: Sandbox;
let configs: string;
let work: string;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: systemClock, market: createMarket({ seed: 5, symbols: 10, start: addDays(today, -60), end: today }) });
  configs = await shortWindowConfigs(30);
  work = await tempDir('hostile');
});
afterAll(async () => {
  await sandbox.close();
  await Promise.all([removeDir(configs), removeDir(work)]);
});

/** Every file under `dir`, relative. */
async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

describeBackends('hostile symbols through `trademl fetch --symbols … --write`', (backend) => {
  for (const vendor of ['alpaca', 'polygon'] as const) {
    it(`${vendor}: a clear one-line answer, nothing written outside the lake, every lake key well-formed`, async () => {
      const storage = await backend.provision();
      try {
        const root = path.join(work, `${backend.name}-${vendor}`);
        await mkdir(root, { recursive: true });
        const dataDir = path.join(root, 'data');
        const args = ['fetch', vendor, 'equities_eod', '--symbols', HOSTILE.join(','), '--start', addDays(today, -20), '--end', addDays(today, -1), '--write', '--json'];
        const result = await runCli([...args, '--config-dir', configs, '--data-dir', dataDir], { env: { ...sandbox.env(), ...KEYS, ...storage.env } });
        expect([0, 1], result.stderr).toContain(result.code);
        expect(result.signal).toBeNull();
        // No stack trace, no secret (vendor keys or storage credentials), at most one error line.
        expect(result.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
        for (const key of [...Object.values(KEYS), ...storageSecrets(storage.env)]) expect(result.stdout + result.stderr).not.toContain(key);
        if (result.code === 1) expect(JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}')).toHaveProperty('error');
        // Nothing escaped: everything written locally is under the data directory.
        expect((await readdir(root)).sort()).toEqual((await readdir(root)).includes('data') ? ['data'] : []);
        // Every object the lake's storage holds (a directory, or every key under the S3 prefix) is a
        // well-formed key a reader lists; nothing else was stored.
        const listed = await storage.listLake(dataDir, '');
        for (const key of listed) expect(key.split('/').every((s) => s !== '..' && s !== '.' && !s.startsWith('.') && Buffer.byteLength(s) <= 255), key).toBe(true);
        const stored = storage.env.TRADEML_LAKE_URL === undefined ? ((await readdir(root)).includes('data') ? await files(dataDir) : []) : (await storage.storedObjects(dataDir)).map((o) => o.key);
        expect(stored.filter((f) => !f.startsWith('state/') && !path.basename(f).startsWith('.')).sort()).toEqual(listed.filter((k) => !k.startsWith('state/')));
        if (storage.env.TRADEML_LAKE_URL !== undefined) expect(stored.filter((k) => path.basename(k).startsWith('.'))).toEqual([]);
      } finally {
        await storage.dispose();
      }
    });
  }
});

describe('config files with mistakes: clear errors naming the file and the key', () => {
  async function broken(file: string, edit: (text: string) => string): Promise<string> {
    const dir = await shortWindowConfigs(30);
    await writeFile(path.join(dir, file), edit(await readFile(path.join(dir, file), 'utf8')));
    return dir;
  }

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['a wrong type', () => broken('backfill.yml', (t) => t.replace(/lookback_days:\s*\d+/, 'lookback_days: "two years"')), /backfill\.yml: targets\.equities_eod\.lookback_days: expected an integer, got "two years"/],
    ['an unknown key', () => broken('curator.yml', (t) => `${t}\nsurprise_key: 1\n`), /curator\.yml: .*surprise_key/],
    ['a missing file', async () => {
      const dir = await shortWindowConfigs(30);
      await rm(path.join(dir, 'edge.yml'));
      return dir;
    }, /edge\.yml/],
    ['invalid YAML', () => broken('endpoints.yml', (t) => `${t}\n  - : [unclosed\n`), /endpoints\.yml/],
  ];
  for (const [label, make, expected] of cases) {
    it(`${label}: \`config check\` exits 1 and says where`, async () => {
      const dir = await make();
      try {
        const result = await runCli(['config', 'check', '--config-dir', dir]);
        expect(result.code).toBe(1);
        expect(result.stdout + result.stderr).toMatch(expected);
        expect(result.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      } finally {
        await removeDir(dir);
      }
    });
  }
});
