import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LakePathError } from './errors.js';
import { FileObjectStore } from './file-store.js';

let dir: string;
let store: FileObjectStore;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-store-'));
  store = new FileObjectStore(join(dir, 'lake'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileObjectStore', () => {
  it('puts an object only if absent, leaving no staged file behind', async () => {
    expect(await store.putIfAbsent('a/b/one.json', bytes('first'))).toBe(true);
    expect(await store.putIfAbsent('a/b/one.json', bytes('second'))).toBe(false);
    expect(new TextDecoder().decode(await store.get('a/b/one.json'))).toBe('first');
    expect(await readdir(join(dir, 'lake/a/b'))).toEqual(['one.json']);
  });

  it('commits a staged file whole, and replaces atomically', async () => {
    const staged = await store.stage('t/table.parquet');
    expect(staged.localPath).toMatch(/[/\\]t[/\\]\.tmp-[0-9A-Z]{26}\.parquet$/);
    await writeFile(staged.localPath, 'v1');
    expect(await store.list('t/')).toEqual([]); // staged files are invisible
    expect(await store.putIfAbsent('t/table.parquet', staged)).toBe(true);
    const next = await store.stage('t/table.parquet');
    await writeFile(next.localPath, 'v2');
    await store.replace('t/table.parquet', next);
    expect(await readFile(join(dir, 'lake/t/table.parquet'), 'utf8')).toBe('v2');
    expect(await readdir(join(dir, 'lake/t'))).toEqual(['table.parquet']);
    await expect(store.replace('t/other.parquet', await store.stage('t/table.parquet'))).rejects.toThrow(LakePathError);
  });

  it('lists committed keys by prefix, skipping dot-files and dot-directories', async () => {
    await store.putIfAbsent('raw/alpaca/x/date=2024-01-02/p1.parquet', bytes('1'));
    await store.putIfAbsent('raw/alpaca/x/date=2024-01-03/p2.parquet', bytes('2'));
    await store.putIfAbsent('raw/polygon/x/date=2024-01-02/p3.parquet', bytes('3'));
    await writeFile(join(dir, 'lake/raw/alpaca/x/date=2024-01-02/.tmp-1.parquet'), 'half');
    expect(await store.list('raw/alpaca/')).toEqual(['raw/alpaca/x/date=2024-01-02/p1.parquet', 'raw/alpaca/x/date=2024-01-03/p2.parquet']);
    expect(await store.list('raw/alpaca/x/date=2024-01-0')).toHaveLength(2);
    expect(await store.list('raw/')).toHaveLength(3);
    expect(await store.list('nothing/here/')).toEqual([]);
    await store.delete('raw/polygon/x/date=2024-01-02/p3.parquet');
    await store.delete('raw/polygon/x/date=2024-01-02/p3.parquet');
    expect(await store.get('raw/polygon/x/date=2024-01-02/p3.parquet')).toBeUndefined();
  });

  it('refuses keys that could leave the root or hide', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '', 'a/./b', 'a\\b', 'a/\u0000b', 'a/.hidden', 'C:/x', 'a/b/']) {
      await expect(store.putIfAbsent(key, bytes('x')), JSON.stringify(key)).rejects.toThrow(LakePathError);
      expect(() => store.locate(key), JSON.stringify(key)).toThrow(LakePathError);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});
