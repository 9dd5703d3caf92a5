import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { LakeError } from './errors.js';
import { parseS3Url, S3ObjectStore } from './s3-store.js';
import { startTestS3, type TestS3 } from './test-support/s3-server.js';

let s3: TestS3;
let cacheDir: string;

beforeAll(async () => {
  s3 = await startTestS3();
});

afterAll(async () => {
  await s3.close();
});

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'trademl-s3-cache-'));
});

afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

/** Counts the commands a client sends, by name. */
function countCommands(client: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize' },
  );
  return counts;
}

function store(url = s3.url, client = s3.client(), options: { conditionalPut?: boolean } = {}): S3ObjectStore {
  return new S3ObjectStore({ url, client, env: s3.env, cacheDir, ...options });
}

const text = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('conditional-put probe', () => {
  it('records whether the server honours If-None-Match: * on PUT (s3rver 3.7 does not: it overwrites)', async () => {
    const client = s3.client();
    const { bucket, prefix } = parseS3Url(s3.url);
    const Key = `${prefix}probe/if-none-match`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'first', IfNoneMatch: '*' }));
    let refusedWith: number | undefined;
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'second', IfNoneMatch: '*' }));
    } catch (error) {
      refusedWith = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    }
    const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body?.transformToString();
    if (s3.external) {
      // Whatever the server does, it must be one of the two coherent outcomes.
      expect(refusedWith === 412 ? body === 'first' : body === 'second').toBe(true);
    } else {
      expect(refusedWith).toBeUndefined();
      expect(body).toBe('second');
    }
  });

  it('put-if-absent never overwrites, with or without the conditional header (HEAD before PUT)', async () => {
    for (const conditionalPut of [false, true]) {
      const target = store(s3.url, s3.client(), { conditionalPut });
      const key = `absent/${String(conditionalPut)}.json`;
      expect(await target.putIfAbsent(key, bytes('one'))).toBe(true);
      expect(await target.putIfAbsent(key, bytes('two'))).toBe(false);
      expect(text(await target.get(key))).toBe('one');
    }
  });
});

describe('S3ObjectStore', () => {
  it('parses s3 URLs and refuses others', () => {
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Url('s3://my.bucket/a/b/')).toEqual({ bucket: 'my.bucket', prefix: 'a/b/' });
    expect(() => parseS3Url('s3://bucket/../x')).toThrow(LakeError);
    expect(() => parseS3Url('http://bucket/x')).toThrow(LakeError);
    const one = new S3ObjectStore({ url: 's3://bucket/p', env: { AWS_ENDPOINT_URL: 'http://u:pw@127.0.0.1:1' } });
    const two = new S3ObjectStore({ url: 's3://bucket/p', env: {} });
    expect(one.location).toBe('s3://bucket/p/');
    expect(one.cacheDir.startsWith(join(tmpdir(), 'trademl-lake-cache'))).toBe(true);
    expect(one.cacheDir).not.toBe(two.cacheDir); // one cache per endpoint + bucket + prefix
    expect(one.cacheDir).not.toContain('pw');
  });

  it('stages, commits, replaces, gets, lists and deletes under its prefix only', async () => {
    const target = store();
    const sibling = store(`${s3.url}-sibling`);
    await sibling.replace('a/x.json', bytes('other lake'));
    const staged = await target.stage('a/x.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(staged.localPath, 'v1'));
    await target.replace('a/x.json', staged);
    await expect(readFile(staged.localPath)).rejects.toThrow(); // staged file removed after commit
    await target.replace('a/y.json', bytes('y'));
    expect(await target.list('a/')).toEqual(['a/x.json', 'a/y.json']);
    await target.replace('a/x.json', bytes('v2'));
    expect(text(await target.get('a/x.json'))).toBe('v2');
    await target.delete('a/x.json');
    await target.delete('a/x.json');
    expect(await target.get('a/x.json')).toBeUndefined();
    expect(await target.list('a/')).toEqual(['a/y.json']);
    expect(await sibling.list('a/')).toEqual(['a/x.json']);
  });

  it('lists more than 1000 keys by following continuation tokens', async () => {
    const client = s3.client();
    const counts = countCommands(client);
    const target = store(s3.url, client);
    const keys = Array.from({ length: 1003 }, (_, i) => `many/k-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => target.replace(key, bytes(key))));
    }
    const listed = await target.list('many/');
    expect(listed).toEqual(keys);
    expect(counts.get('ListObjectsV2Command')).toBeGreaterThanOrEqual(2);
  });

  it('downloads each object once per ETag and again after it is replaced', async () => {
    const client = s3.client();
    const counts = countCommands(client);
    const target = store(s3.url, client);
    await target.replace('cache/t.parquet', bytes('old bytes'));
    await target.list('cache/');
    const [first] = await target.readablePaths(['cache/t.parquet']);
    const [again] = await target.readablePaths(['cache/t.parquet']);
    expect(again).toBe(first);
    expect(await readFile(first as string, 'utf8')).toBe('old bytes');
    expect(counts.get('GetObjectCommand')).toBe(1);
    expect(first?.startsWith(cacheDir)).toBe(true);
    expect(first?.endsWith('.parquet')).toBe(true);

    // Another writer replaces the object; the next listing brings the new ETag.
    await store().replace('cache/t.parquet', bytes('new bytes'));
    await target.list('cache/');
    const [fresh] = await target.readablePaths(['cache/t.parquet']);
    expect(fresh).not.toBe(first);
    expect(await readFile(fresh as string, 'utf8')).toBe('new bytes');
    expect(counts.get('GetObjectCommand')).toBe(2);

    // A second store on the same cache (another process) reuses the download.
    const otherClient = s3.client();
    const otherCounts = countCommands(otherClient);
    const other = store(s3.url, otherClient);
    await other.list('cache/');
    expect(await other.readablePaths(['cache/t.parquet'])).toEqual([fresh]);
    expect(otherCounts.get('GetObjectCommand')).toBeUndefined();
  });

  it('keeps credentials out of error messages', async () => {
    const secret = 'wJalrXUtnFEMI-very-secret-value';
    const bad = new S3ObjectStore({
      url: s3.url,
      env: { ...s3.env, AWS_ACCESS_KEY_ID: 'AKIASHOULDNOTAPPEAR', AWS_SECRET_ACCESS_KEY: secret },
      cacheDir,
    });
    const error = await bad.list('x/').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LakeError);
    const shown = `${(error as LakeError).message} ${JSON.stringify((error as LakeError).toJSON())}`;
    expect(shown).toMatch(/S3 list of s3:\/\//);
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('AKIASHOULDNOTAPPEAR');
  });
});
