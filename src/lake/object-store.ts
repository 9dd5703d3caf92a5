/**
 * The lake's storage, kept small so an S3 backend can implement it: whole objects only,
 * put-if-absent (S3 `If-None-Match: *`), atomic replace (a PUT is atomic), get, list, delete.
 * Keys are `/`-separated relative paths; no committed key has a segment starting with `.`.
 *
 * Parquet is produced by DuckDB, which writes to a local file, so a write is staged first:
 * `stage()` hands out a local path (next to the target for files, so the commit is a rename; a
 * local temp file for S3, uploaded whole on commit), then `putIfAbsent`/`replace` commit it.
 */
export interface StagedObject {
  /** The key the staged file is meant for. */
  readonly key: string;
  /** Local file to write; never visible to `list()`. */
  readonly localPath: string;
}

export type ObjectBody = Uint8Array | StagedObject;

export interface ObjectStore {
  /** Where the store lives, for messages (a directory or a URL). */
  readonly location: string;
  stage(key: string): Promise<StagedObject>;
  /** Removes a staged file that will not be committed; no error if it is gone. */
  discard(staged: StagedObject): Promise<void>;
  /** Commits `body` as `key` unless the key exists; false (and the staged file removed) if it did. */
  putIfAbsent(key: string, body: ObjectBody): Promise<boolean>;
  /** Commits `body` as `key`, replacing any previous object atomically. */
  replace(key: string, body: ObjectBody): Promise<void>;
  /** The object's bytes, or undefined when absent. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Committed keys starting with `prefix`, sorted; never a staged or dot-file. */
  list(prefix: string): Promise<string[]>;
  /** Removes the object; no error if it is absent. */
  delete(key: string): Promise<void>;
  /**
   * Local files DuckDB should read for these committed keys, in the same order. A remote store
   * downloads each object once into a local cache first (DuckDB's httpfs cannot be relied on).
   */
  readablePaths(keys: readonly string[]): Promise<string[]>;
}

export function isStagedObject(body: ObjectBody): body is StagedObject {
  return !(body instanceof Uint8Array);
}
