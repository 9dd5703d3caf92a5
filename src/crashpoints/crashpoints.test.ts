import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../lake/index.js';
import { openStateStore } from '../state/index.js';
import { CrashPoints, crashPointsFromEnv, parseCrashAt, type CrashKind } from './crashpoints.js';

class Crashed extends Error {}
const crashing = (plan?: { kind: CrashKind; at: number }): CrashPoints =>
  new CrashPoints({ plan, crash: (kind, at) => { throw new Crashed(`${kind}:${at}`); } });

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tmp(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-crashpoints-'));
  dirs.push(dir);
  return dir;
}

describe('TRADEML_CRASH_AT', () => {
  it('parses kind:k and names what is wrong otherwise', () => {
    expect(parseCrashAt('rename:12')).toEqual({ kind: 'rename', at: 12 });
    expect(() => parseCrashAt('disk:3')).toThrow(/expected <http\|part\|rename\|state>:<k>/);
    expect(() => parseCrashAt('http:0')).toThrow(/k >= 1/);
    expect(() => parseCrashAt('http')).toThrow(/got "http"/);
  });

  it('costs nothing when neither variable is set', () => {
    expect(crashPointsFromEnv({})).toBeUndefined();
    expect(crashPointsFromEnv({ TRADEML_CRASH_AT: 'state:2' })?.plan).toEqual({ kind: 'state', at: 2 });
  });
});

describe('crash points around the object store', () => {
  it('crashes before the k-th commit (part: staged, not visible) and after it (rename: committed)', async () => {
    const root = await tmp();
    const beforeCommit = crashing({ kind: 'part', at: 2 }).wrapStore(new FileObjectStore(root));
    await beforeCommit.putIfAbsent('raw/a.bin', new Uint8Array([1]));
    await expect(beforeCommit.putIfAbsent('raw/b.bin', new Uint8Array([2]))).rejects.toThrow('part:2');
    expect(await beforeCommit.list('raw/')).toEqual(['raw/a.bin']);

    const afterCommit = crashing({ kind: 'rename', at: 1 }).wrapStore(new FileObjectStore(root));
    await expect(afterCommit.replace('qc/t.bin', new Uint8Array([3]))).rejects.toThrow('rename:1');
    expect(await afterCommit.get('qc/t.bin')).toEqual(new Uint8Array([3]));
  });

  it('counts without a plan and passes reads through', async () => {
    const points = crashing();
    const store = points.wrapStore(new FileObjectStore(await tmp()));
    await store.putIfAbsent('x/1', new Uint8Array([1]));
    expect(await store.putIfAbsent('x/1', new Uint8Array([1]))).toBe(false);
    expect(await store.list('x/')).toEqual(['x/1']);
    expect(points.counts()).toEqual({ http: 0, part: 2, rename: 2, state: 0 });
  });
});

describe('crash points around the state store and fetch', () => {
  it('crashes after the k-th mutation has been made durable; reads are not points', async () => {
    const file = path.join(await tmp(), 'state.sqlite');
    const raw = await openStateStore(file);
    const state = crashing({ kind: 'state', at: 2 }).wrapState(raw);
    await state.setBookmark('a', '1', 0);
    expect(await state.getBookmark('a')).toBe('1');
    await expect(state.setBookmark('b', '2', 0)).rejects.toThrow('state:2');
    await raw.close();
    const reopened = await openStateStore(file);
    expect(await reopened.getBookmark('b')).toBe('2');
    await reopened.close();
  });

  it('crashes once the k-th response has arrived', async () => {
    let calls = 0;
    const fetch = crashing({ kind: 'http', at: 2 }).wrapFetch(async () => {
      calls += 1;
      return new Response('ok');
    });
    expect(await (await fetch('http://127.0.0.1/')).text()).toBe('ok');
    await expect(fetch('http://127.0.0.1/')).rejects.toThrow('http:2');
    expect(calls).toBe(2);
  });
});
