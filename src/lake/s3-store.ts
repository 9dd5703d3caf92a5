import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { LakeError, LakePathError } from './errors.js';
import { assertKey } from './file-store.js';
import { isStagedObject, type ObjectBody, type ObjectStore, type StagedObject } from './object-store.js';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix inside the bucket: '' or ending in '/'. */
  readonly prefix: string;
}

export interface S3StoreOptions {
  /** `s3://bucket[/prefix]`. */
  url: string;
  /** A ready client (tests); otherwise one is built from `env`. */
  client?: S3Client;
  /** Variables to read AWS_ENDPOINT_URL / AWS_REGION from; default process.env. Credentials: the SDK's standard chain. */
  env?: Record<string, string | undefined>;
  /** Local download cache; default `<tmpdir>/trademl-lake-cache/<hash of endpoint + url>`. */
  cacheDir?: string;
  /**
   * Also send `If-None-Match: *` on put-if-absent (AWS S3 honours it; s3rver 3.7 ignores it and
   * overwrites). Off by default: part keys carry a ULID and a content hash, so they never collide
   * and no mutual exclusion is needed; a HEAD before the PUT skips a key that already exists.
   */
  conditionalPut?: boolean;
}

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;
const DOWNLOAD_CONCURRENCY = 8;
const STAGE_DIR = join(tmpdir(), 'trademl-s3-stage');

/** Parses `s3://bucket[/prefix]`; the prefix is normalised to '' or `a/b/`. */
export function parseS3Url(url: string): S3Location {
  const match = S3_URL.exec(url);
  if (!match) throw new LakeError(`lake URL must be s3://<bucket>[/prefix], got "${redactUrl(url).slice(0, 80)}"`);
  const rest = (match[2] ?? '').replace(/\/+$/, '');
  if (rest !== '') assertKey(rest);
  return { bucket: match[1] as string, prefix: rest === '' ? '' : `${rest}/` };
}

/** An S3 client for AWS or an S3-compatible server (`AWS_ENDPOINT_URL` → path-style addressing). */
export function s3ClientFromEnv(env: Record<string, string | undefined> = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const config: S3ClientConfig = { region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1' };
  // Explicit keys when the given variables hold them; otherwise the SDK's standard chain (which
  // also reads process.env, shared config files and instance roles).
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  if (endpoint !== undefined && endpoint !== '') {
    config.endpoint = endpoint;
    config.forcePathStyle = true;
  }
  return new S3Client(config);
}

/**
 * The object store on S3. Parts are immutable and uploaded whole in one PUT (never multipart), so
 * a key is either absent or complete; curated/ledger files are replaced by a plain PUT, which S3
 * makes atomic (readers get the old or the new object). Reads go through a local cache keyed by
 * key + ETag, so DuckDB reads local files and a replaced object is downloaded again.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly cacheDir: string;
  private readonly target: S3Location;
  private readonly client: S3Client;
  private readonly conditionalPut: boolean;
  /** ETags seen by list/put/head: a read after a listing needs no extra HEAD. */
  private readonly etags = new Map<string, string>();
  private stageDir: Promise<string> | undefined;

  constructor(options: S3StoreOptions) {
    this.target = parseS3Url(options.url);
    this.location = `s3://${this.target.bucket}/${this.target.prefix}`;
    const env = options.env ?? process.env;
    this.client = options.client ?? s3ClientFromEnv(env);
    this.conditionalPut = options.conditionalPut ?? false;
    const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? 'aws';
    const id = createHash('sha256').update(`${redactUrl(endpoint)}\n${this.location}`).digest('hex').slice(0, 16);
    this.cacheDir = options.cacheDir ?? join(tmpdir(), 'trademl-lake-cache', id);
  }

  async stage(key: string): Promise<StagedObject> {
    assertKey(key);
    // One shared directory: staged files are uniquely named and removed on commit or discard.
    this.stageDir ??= mkdir(STAGE_DIR, { recursive: true }).then(() => STAGE_DIR);
    return { key, localPath: join(await this.stageDir, `${ulid()}${extname(key)}`) };
  }

  async discard(staged: StagedObject): Promise<void> {
    await rm(staged.localPath, { force: true });
  }

  async putIfAbsent(key: string, body: ObjectBody): Promise<boolean> {
    assertKey(key);
    try {
      if ((await this.head(key)) !== undefined) return false;
      const bytes = await this.bytesOf(key, body);
      try {
        await this.put(key, bytes, this.conditionalPut);
      } catch (error) {
        if (statusOf(error) === 412 || errorName(error) === 'PreconditionFailed') return false;
        throw error;
      }
      return true;
    } finally {
      if (isStagedObject(body)) await this.discard(body);
    }
  }

  async replace(key: string, body: ObjectBody): Promise<void> {
    assertKey(key);
    try {
      await this.put(key, await this.bytesOf(key, body), false);
    } finally {
      if (isStagedObject(body)) await this.discard(body);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertKey(key);
    const fetched = await this.download(key);
    return fetched?.bytes;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('list', prefix, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.target.bucket, Prefix: this.target.prefix + prefix, ContinuationToken: token }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.target.prefix.length);
        if (key === undefined || !isCommittedKey(key)) continue;
        keys.push(key);
        if (object.ETag) this.etags.set(key, object.ETag);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.call('delete', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key) })));
    this.etags.delete(key);
  }

  /** Downloads (once per ETag) and returns cache paths; a key that vanished is an error. */
  async readablePaths(keys: readonly string[]): Promise<string[]> {
    const paths: string[] = new Array<string>(keys.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const index = next++;
        paths[index] = await this.cached(keys[index] as string);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, keys.length) }, worker));
    return paths;
  }

  private async cached(key: string): Promise<string> {
    assertKey(key);
    const etag = this.etags.get(key) ?? (await this.head(key));
    if (etag !== undefined && (await isFile(this.cachePath(key, etag)))) return this.cachePath(key, etag);
    const fetched = await this.download(key);
    if (!fetched) throw new LakeError(`object ${key} disappeared from ${this.location} while being read`);
    const path = this.cachePath(key, fetched.etag);
    await mkdir(dirname(path), { recursive: true });
    // Temp name + rename: another process reading the same cache never sees half a file.
    const temp = join(dirname(path), `.dl-${ulid()}`);
    await writeFile(temp, fetched.bytes);
    await rename(temp, path);
    return path;
  }

  /** `<cache>/<key dir>/<name>.<etag><ext>`: keeps the key's sort order, which readers tie-break on. */
  private cachePath(key: string, etag: string): string {
    const ext = extname(key);
    const tag = etag.replace(/[^0-9A-Za-z-]/g, '').slice(0, 64) || 'noetag';
    return join(this.cacheDir, ...`${key.slice(0, key.length - ext.length)}.${tag}${ext}`.split('/'));
  }

  private async head(key: string): Promise<string | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key) }));
      if (head.ETag) this.etags.set(key, head.ETag);
      return head.ETag ?? '';
    } catch (error) {
      if (isNotFound(error)) {
        this.etags.delete(key);
        return undefined;
      }
      throw this.wrap('head', key, error);
    }
  }

  private async download(key: string): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key) }));
      const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      const etag = object.ETag ?? createHash('md5').update(bytes).digest('hex');
      this.etags.set(key, etag);
      return { bytes, etag };
    } catch (error) {
      if (isNotFound(error)) {
        this.etags.delete(key);
        return undefined;
      }
      throw this.wrap('get', key, error);
    }
  }

  /** One whole-object PUT with its length: S3 stores it all or nothing. */
  private async put(key: string, bytes: Uint8Array, ifNoneMatch: boolean): Promise<void> {
    const command = new PutObjectCommand({
      Bucket: this.target.bucket,
      Key: this.fullKey(key),
      Body: bytes,
      ContentLength: bytes.byteLength,
      ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
    });
    let result;
    try {
      result = await this.client.send(command);
    } catch (error) {
      if (ifNoneMatch && (statusOf(error) === 412 || errorName(error) === 'PreconditionFailed')) throw error;
      throw this.wrap('put', key, error);
    }
    if (result.ETag) this.etags.set(key, result.ETag);
    else this.etags.delete(key);
  }

  private async bytesOf(key: string, body: ObjectBody): Promise<Uint8Array> {
    if (!isStagedObject(body)) return body;
    if (body.key !== key) throw new LakePathError(`staged file for "${body.key}" committed as "${key}"`);
    return new Uint8Array(await readFile(body.localPath));
  }

  private fullKey(key: string): string {
    return this.target.prefix + key;
  }

  private async call<T>(op: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.wrap(op, key, error);
    }
  }

  /** Names the operation, object and S3 error code only: SDK messages are never passed through. */
  private wrap(op: string, key: string, error: unknown): LakeError {
    const status = statusOf(error);
    const detail = [errorName(error), status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
    return new LakeError(`S3 ${op} of ${this.location}${key.slice(0, 200)} failed${detail ? ` (${detail})` : ''}`, { status });
  }
}

/** Committed keys only: no segment starting with a dot (staging, probes), nothing a path could not hold. */
function isCommittedKey(key: string): boolean {
  try {
    assertKey(key);
    return true;
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

function errorName(error: unknown): string | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return name !== undefined && /^[A-Za-z0-9_.]{1,60}$/.test(name) ? name : undefined;
}

function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 || errorName(error) === 'NoSuchKey' || errorName(error) === 'NotFound';
}

/** Drops any user:password from a URL before it is shown or hashed. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}
