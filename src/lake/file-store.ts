import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { ulid } from 'ulid';
import { LakePathError } from './errors.js';
import { isStagedObject, type ObjectBody, type ObjectStore, type StagedObject } from './object-store.js';

/** Staged files start with a dot: `list()` skips dot-files, and so must every reader. */
const STAGE_PREFIX = '.tmp-';

/**
 * The object store on a local directory. Commits follow "write temp → fsync file → rename (or
 * link, for put-if-absent) → fsync directory", so after a crash a key is either absent or whole;
 * a crash can only leave a `.tmp-*` file behind, which nothing lists.
 */
export class FileObjectStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return this.root;
  }

  async stage(key: string): Promise<StagedObject> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    return { key, localPath: join(dirname(target), `${STAGE_PREFIX}${ulid()}${extname(target)}`) };
  }

  async discard(staged: StagedObject): Promise<void> {
    await rm(staged.localPath, { force: true });
  }

  async putIfAbsent(key: string, body: ObjectBody): Promise<boolean> {
    const target = this.pathOf(key);
    const staged = await this.materialise(key, body);
    try {
      // link() fails with EEXIST instead of replacing: an atomic "create if absent".
      await link(staged.localPath, target);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') {
        await this.discard(staged);
        return false;
      }
      if (!LINK_UNSUPPORTED.has(errorCode(error) ?? '')) {
        await this.discard(staged);
        throw error;
      }
      // Hard links unsupported (some FUSE/SMB mounts): keys carry a ULID, so check-then-rename
      // only races with a writer of the very same key, which the lake never produces.
      if (await exists(target)) {
        await this.discard(staged);
        return false;
      }
      await rename(staged.localPath, target);
      await fsyncDirectory(dirname(target));
      return true;
    }
    await this.discard(staged);
    await fsyncDirectory(dirname(target));
    return true;
  }

  async replace(key: string, body: ObjectBody): Promise<void> {
    const target = this.pathOf(key);
    const staged = await this.materialise(key, body);
    try {
      await rename(staged.localPath, target);
    } catch (error) {
      await this.discard(staged);
      throw error;
    }
    await fsyncDirectory(dirname(target));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash === -1 ? '' : prefix.slice(0, slash);
    const start = dirKey === '' ? this.root : this.pathOf(dirKey);
    const found: string[] = [];
    await walk(start, dirKey === '' ? '' : `${dirKey}/`, found);
    return found.filter((key) => key.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    const target = this.pathOf(key);
    await rm(target, { force: true });
    await fsyncDirectory(dirname(target)).catch(() => undefined);
  }

  locate(key: string): string {
    return this.pathOf(key);
  }

  async readablePaths(keys: readonly string[]): Promise<string[]> {
    return keys.map((key) => this.pathOf(key));
  }

  /** Staged files of this store's own making are synced in place; bytes are written to a new one. */
  private async materialise(key: string, body: ObjectBody): Promise<StagedObject> {
    if (isStagedObject(body)) {
      if (body.key !== key) throw new LakePathError(`staged file for "${body.key}" committed as "${key}"`);
      await fsyncFile(body.localPath);
      return body;
    }
    const staged = await this.stage(key);
    const handle = await open(staged.localPath, 'wx');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await this.discard(staged);
      throw error;
    }
    await handle.close();
    return staged;
  }

  /** Resolves a key to a path inside the root, refusing anything that is not a plain relative key. */
  private pathOf(key: string): string {
    assertKey(key);
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new LakePathError(`key "${key.slice(0, 80)}" escapes the lake root`);
    return path;
  }
}

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);
// eslint-disable-next-line no-control-regex
const UNSAFE_SEGMENT = /[\u0000-\u001f\u007f\\:]/;

export function assertKey(key: string): void {
  if (typeof key !== 'string' || key === '' || key.length > 1024) {
    throw new LakePathError(`invalid object key "${String(key).slice(0, 80)}"`);
  }
  for (const segment of key.split('/')) {
    if (segment === '' || segment.startsWith('.') || UNSAFE_SEGMENT.test(segment) || Buffer.byteLength(segment) > 255) {
      throw new LakePathError(`invalid object key "${key.slice(0, 80)}": bad segment "${segment.slice(0, 40)}"`);
    }
  }
}

async function walk(dir: string, keyPrefix: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
    throw error;
  }
  const subdirs: Promise<void>[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const key = `${keyPrefix}${entry.name}`;
    if (entry.isDirectory()) subdirs.push(walk(join(dir, entry.name), `${key}/`, out));
    else if (entry.isFile()) out.push(key);
  }
  await Promise.all(subdirs);
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable. Some platforms cannot fsync a directory; there the rename must do. */
async function fsyncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
