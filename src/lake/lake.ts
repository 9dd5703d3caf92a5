import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTime, monotonicFactory } from 'ulid';
import {
  COVERAGE_COLUMNS,
  COVERAGE_PREFIX,
  DATASETS,
  VENDORS,
  isDatasetName,
  type CoverageEntry,
  type Columns,
  type DatasetName,
  type EndpointId,
  type RowFor,
  type VendorId,
} from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import { copyToParquet, dropTable, DuckSession, execute, fileList, ident, readKvMetadata, readRows, referencedTables, stageTable, tableContentHash, type ParquetCompression } from './duck.js';
import { LakeError, LakeWriteError } from './errors.js';
import { FileObjectStore } from './file-store.js';
import {
  assertDataset,
  assertDate,
  assertTablePath,
  assertVendor,
  mergedMarkerKey,
  mergedMarkers,
  partName,
  partsUnder,
  parseRawPartKey,
  parseReferencePartKey,
  rawDatasetPrefix,
  rawPartitionPrefix,
  referencePrefix,
  TABLE_ROOTS,
  withoutMerged,
  type PartRef,
} from './layout.js';
import { KeyedMutex } from './mutex.js';
import type { ObjectStore } from './object-store.js';
import { listQuarantine, writeQuarantine, type QuarantineEntry, type QuarantineListing } from './quarantine.js';
import { canonicalRows, dedupedPerVendor, supersededSql, type RowFilter, type VendorParts } from './read-sql.js';
import { contentHash, normalizeRows, type NormalizedTable } from './rows.js';
import type { S3StoreOptions } from './s3-store.js';
import { ViewRegistry, type ViewSources } from './views.js';

export interface CompactOptions {
  /** Compact a partition holding at least this many parts (at least 2; default 2). */
  minParts?: number;
  /** Remove a merged part this long (wall time) after the compaction that merged it; default 15 minutes. */
  graceMs?: number;
}

/** What a compaction did: partitions compacted, parts merged into them, merged parts removed. */
export interface CompactResult {
  partitions: number;
  merged: number;
  removed: number;
}

/** Long enough for any reader that listed a part just before it was merged to have read it. */
const COMPACT_GRACE_MS = 15 * 60_000;

/** Whether a merged part is due for removal: its tombstone's compaction was `graceMs` ago or more. */
function removable(mergedInto: string, graceMs: number): boolean {
  return decodeTime(mergedInto) <= Date.now() - graceMs;
}

/** A partition needs work when it holds several live parts, or merged parts due for removal. */
function needsCompaction(prefix: string, keys: readonly string[], options: CompactOptions): boolean {
  const graceMs = options.graceMs ?? COMPACT_GRACE_MS;
  if (mergedMarkers(keys).some((m) => removable(m.mergedInto, graceMs))) return true;
  return partsUnder(prefix, withoutMerged(keys)).length >= Math.max(2, options.minParts ?? 2);
}

export interface QueryOptions {
  /**
   * Sessions the `raw_<dataset>` views cover (inclusive `YYYY-MM-DD` bounds): only the partitions
   * inside are listed and read, so a query about one month opens one month of part files.
   */
  window?: { start?: string; end?: string };
}

export interface LakeOptions {
  /** A directory path, a `file://` URL or `s3://bucket[/prefix]`. */
  root: string;
  clock: Clock;
  /**
   * For an `s3://` root: the client and cache settings (default: a client from AWS_ENDPOINT_URL,
   * AWS_REGION and the standard credential variables; a cache under the OS temp directory).
   */
  s3?: Omit<S3StoreOptions, 'url'>;
  /** Wraps the object store the lake builds (the crash-point harness counts its writes). */
  wrapStore?: (store: ObjectStore) => ObjectStore;
}

export interface WriteResult {
  /** Relative key of the part or table file (for a deduped part: the existing twin). */
  path: string;
  /** false when an identical part already existed (or there were no rows to write). */
  written: boolean;
  /** sha256 of the canonical rows (lineage `ingested_at` and `source_uri` excluded for datasets). */
  hash: string;
  rows: number;
}

/** Excluded from a part's content hash: a re-fetch of the same data at another time dedupes. */
const HASH_EXCLUDED = ['ingested_at', 'source_uri'] as const;
const HASH_METADATA_KEY = 'trademl_content_hash';

export class Lake {
  readonly root: string;
  private readonly partitionLocks = new KeyedMutex();
  /** Part names order writes; ULIDs of quarantine entries carry the entry's own instant. */
  private readonly partUlid = monotonicFactory();
  private readonly quarantineUlid = monotonicFactory();
  private readonly views = new ViewRegistry();

  private constructor(
    root: string,
    private readonly store: ObjectStore,
    private readonly duck: DuckSession,
    private readonly clock: Clock,
  ) {
    this.root = root;
  }

  static async open(options: LakeOptions): Promise<Lake> {
    if (typeof options.root === 'string' && /^s3:\/\//i.test(options.root)) {
      const { root, clock, s3 } = options;
      return clock.busy(
        (async () => {
          // Loaded on demand: the AWS SDK costs a few hundred ms of startup that file lakes never need.
          const { S3ObjectStore } = await import('./s3-store.js');
          const store = new S3ObjectStore({ ...s3, url: root });
          const wrapped = options.wrapStore ? options.wrapStore(store) : store;
          return new Lake(store.location, wrapped, await DuckSession.open(), clock);
        })(),
      );
    }
    const root = resolveRoot(options.root);
    return options.clock.busy(
      (async () => {
        await mkdir(root, { recursive: true });
        const duck = await DuckSession.open();
        const store = new FileObjectStore(root);
        return new Lake(root, options.wrapStore ? options.wrapStore(store) : store, duck, options.clock);
      })(),
    );
  }

  writeRawPartition<D extends DatasetName>(dataset: D, vendor: VendorId, date: string, rows: RowFor<D>[]): Promise<WriteResult> {
    return this.io(async () => {
      refuseAsWrite(String(dataset), vendor, () => {
        assertDataset(dataset, 'raw');
        assertVendor(vendor);
        assertDate(date, 'partition date');
      });
      const spec = DATASETS[dataset];
      const column = spec.partitionColumn as string;
      const table = normalizeRows(spec.columns, rows, { label: dataset, vendor, partition: { column, value: date } });
      return this.appendPart(dataset, vendor, rawPartitionPrefix(vendor, dataset, date), table);
    });
  }

  /**
   * Compacts every partition of a raw dataset that holds `minParts` parts or more (default 2), and
   * removes the parts earlier compactions merged once `graceMs` (default 15 minutes of wall time)
   * has passed since: see `compactRawPartition`. One listing per vendor decides which partitions
   * need work.
   */
  compactRaw(dataset: DatasetName, options: CompactOptions = {}): Promise<CompactResult> {
    return this.io(async () => {
      assertDataset(dataset, 'raw');
      const total: CompactResult = { partitions: 0, merged: 0, removed: 0 };
      for (const vendor of VENDORS) {
        const keys = await this.store.list(rawDatasetPrefix(vendor, dataset));
        const byPartition = new Map<string, string[]>();
        for (const key of keys) {
          const prefix = key.slice(0, key.lastIndexOf('/') + 1);
          byPartition.set(prefix, [...(byPartition.get(prefix) ?? []), key]);
        }
        for (const [prefix, listed] of byPartition) {
          if (!needsCompaction(prefix, listed, options)) continue;
          const date = /date=(\d{4}-\d{2}-\d{2})\/$/.exec(prefix)?.[1];
          if (date === undefined) continue;
          const done = await this.compactRawPartition(dataset, vendor, date, options);
          total.partitions += done.partitions;
          total.merged += done.merged;
          total.removed += done.removed;
        }
      }
      return total;
    });
  }

  /**
   * Merges the parts of one raw partition into a single part holding exactly the rows readers use:
   * per key the newest `ingested_at`, the later part on a tie (rows a newer one superseded are
   * dropped; no reader ever returns them). Once the merged part is committed, each part it merged
   * gets a tombstone and disappears from every listing; a reader meanwhile sees both, i.e.
   * duplicates of identical rows, which every reader dedupes, and a crash in between leaves the
   * same for the next compaction to merge. Parts merged at least `graceMs` ago are then removed
   * with their tombstones, so a reader that listed them just before still finds them.
   */
  compactRawPartition(dataset: DatasetName, vendor: VendorId, date: string, options: CompactOptions = {}): Promise<CompactResult> {
    return this.io(async () => {
      refuseAsWrite(String(dataset), vendor, () => {
        assertDataset(dataset, 'raw');
        assertVendor(vendor);
        assertDate(date, 'partition date');
      });
      const prefix = rawPartitionPrefix(vendor, dataset, date);
      return this.partitionLocks.run(prefix, async () => {
        const keys = await this.store.list(prefix);
        const removed = await this.removeMergedParts(keys, options.graceMs ?? COMPACT_GRACE_MS);
        const parts = partsUnder(prefix, withoutMerged(keys));
        if (parts.length < Math.max(2, options.minParts ?? 2)) return { partitions: 0, merged: 0, removed };
        const ulid = this.partUlid(Date.now());
        await this.commitMergedPart(dataset, vendor, prefix, ulid, parts);
        for (const part of parts) await this.store.putIfAbsent(mergedMarkerKey(part.key, ulid), new Uint8Array());
        return { partitions: 1, merged: parts.length, removed };
      });
    });
  }

  writeReference<D extends DatasetName>(dataset: D, vendor: VendorId, rows: RowFor<D>[]): Promise<WriteResult> {
    return this.io(async () => {
      refuseAsWrite(String(dataset), vendor, () => {
        assertDataset(dataset, 'reference');
        assertVendor(vendor);
      });
      const table = normalizeRows(DATASETS[dataset].columns, rows, { label: dataset, vendor });
      return this.appendPart(dataset, vendor, referencePrefix(dataset, vendor), table);
    });
  }

  /** Replaces a whole table file atomically (curated, ledger). columns: a catalog column map. */
  writeTable(relativePath: string, columns: Columns, rows: Record<string, unknown>[]): Promise<WriteResult> {
    return this.io(async () => {
      refuseAsWrite(String(relativePath), undefined, () => assertTablePath(relativePath));
      const table = normalizeRows(columns, rows, { label: relativePath });
      const hash = contentHash(table, []);
      return this.partitionLocks.run(relativePath, async () => {
        if ((await this.tableHash(relativePath)) === hash) return { path: relativePath, written: false, hash, rows: table.rowCount };
        const staged = await this.store.stage(relativePath);
        try {
          await this.writeStaged(table, staged.localPath, undefined, { [HASH_METADATA_KEY]: hash });
          await this.store.replace(relativePath, staged);
        } catch (error) {
          await this.store.discard(staged);
          throw error;
        }
        return { path: relativePath, written: true, hash, rows: table.rowCount };
      });
    });
  }

  /**
   * Replaces a whole table file atomically with the result of a DuckDB SELECT (which may use the
   * views `query()` offers), without the rows ever becoming JS objects: the result is staged in a
   * DuckDB temp table, hashed there (see `tableContentHash`), and COPYed into a file staged by the
   * lake's store, then committed (a rename on a directory lake, an upload on S3). As with
   * `writeTable`, an existing file whose metadata holds the same hash is left alone (written:
   * false); the hash is of the query's result, so it only matches files written by this method.
   * The SELECT's own ORDER BY is the file's row order.
   */
  writeTableFromQuery(
    relativePath: string,
    selectSql: string,
    params: unknown[] = [],
    options: QueryOptions & { compression?: ParquetCompression } = {},
  ): Promise<WriteResult> {
    return this.io(async () => {
      refuseAsWrite(String(relativePath), undefined, () => assertTablePath(relativePath));
      const plan = await this.views.plan(selectSql, this.viewSources(options.window));
      return this.partitionLocks.run(relativePath, async () => {
        const previous = await this.tableHash(relativePath);
        const staged = await this.store.stage(relativePath);
        try {
          const outcome = await this.duck.exclusive(async (c) => {
            await this.views.apply(c, plan);
            const stage = this.duck.nextStageName();
            try {
              await execute(c, `CREATE TEMP TABLE ${ident(stage)} AS ${selectSql}`, params);
              const { hash, rows } = await tableContentHash(c, stage);
              if (hash === previous) return { hash, rows, written: false };
              await copyToParquet(c, `SELECT * FROM ${ident(stage)}`, staged.localPath, { [HASH_METADATA_KEY]: hash }, options.compression);
              return { hash, rows, written: true };
            } finally {
              await dropTable(c, stage);
            }
          });
          if (outcome.written) await this.store.replace(relativePath, staged);
          else await this.store.discard(staged);
          return { path: relativePath, ...outcome };
        } catch (error) {
          await this.store.discard(staged);
          throw error;
        }
      });
    });
  }

  readTable<T>(relativePath: string): Promise<T[]> {
    return this.io(async () => {
      assertTablePath(relativePath);
      if (!(await this.store.list(relativePath)).includes(relativePath)) return [];
      const [location] = (await this.store.readablePaths([relativePath])) as [string];
      return this.duck.exclusive((c) => readRows<T>(c, `SELECT * FROM read_parquet(${fileList([location])}, hive_partitioning = false)`));
    });
  }

  listRawPartitions(dataset: DatasetName, vendor?: VendorId): Promise<{ vendor: VendorId; date: string; parts: number }[]> {
    return this.io(async () => {
      const counts = new Map<string, { vendor: VendorId; date: string; parts: number }>();
      for (const part of await this.listRawParts(dataset, vendor)) {
        const id = `${part.vendor}/${part.date}`;
        const entry = counts.get(id) ?? { vendor: part.vendor, date: part.date, parts: 0 };
        entry.parts += 1;
        counts.set(id, entry);
      }
      return [...counts.values()];
    });
  }

  /**
   * Every committed raw part of a dataset by vendor, session and file name (a ULID and content
   * hash: a name never returns with other content), sorted; a listing only, nothing is downloaded.
   */
  listRawParts(dataset: DatasetName, vendor?: VendorId): Promise<{ vendor: VendorId; date: string; name: string }[]> {
    return this.io(async () => {
      assertDataset(dataset, 'raw');
      const parts = (await this.rawParts(dataset, vendor === undefined ? undefined : [vendor])).map((p) => ({ vendor: p.vendor, date: p.date, name: p.key.slice(p.key.lastIndexOf('/') + 1) }));
      return parts.sort((a, b) => compare(a.vendor, b.vendor) || compare(a.date, b.date) || compare(a.name, b.name));
    });
  }

  /** Removes a table file (under curated/, qc/ or manifests/); an absent one is fine. */
  deleteTable(relativePath: string): Promise<void> {
    return this.io(async () => {
      refuseAsWrite(String(relativePath), undefined, () => assertTablePath(relativePath));
      await this.partitionLocks.run(relativePath, () => this.store.delete(relativePath));
    });
  }

  /** Raw rows, deduped on the dataset key per vendor (newest ingested_at wins), optionally filtered. */
  readRaw<D extends DatasetName>(
    dataset: D,
    filter: { vendors?: VendorId[]; start?: string; end?: string; symbols?: string[] } = {},
  ): Promise<RowFor<D>[]> {
    return this.io(async () => {
      assertDataset(dataset, 'raw');
      const rowFilter = checkFilter(filter);
      const groups = await this.rawGroups(dataset, filter.vendors, rowFilter);
      if (groups.length === 0) return [];
      const statement = dedupedPerVendor(dataset, groups, rowFilter);
      return this.duck.exclusive((c) => readRows<RowFor<D>>(c, statement.sql, statement.params));
    });
  }

  /** One row per key across vendors: the first vendor in `precedence` that has the key, its newest row. */
  readCanonical<D extends DatasetName>(
    dataset: D,
    precedence: VendorId[],
    filter: { start?: string; end?: string; symbols?: string[] } = {},
  ): Promise<RowFor<D>[]> {
    return this.io(async () => {
      assertDataset(dataset, 'raw');
      const order = [...new Set(precedence)];
      order.forEach((v) => assertVendor(v));
      const rowFilter = checkFilter(filter);
      const groups = await this.rawGroups(dataset, order, rowFilter);
      if (groups.length === 0) return [];
      const statement = canonicalRows(dataset, groups, order, rowFilter);
      return this.duck.exclusive((c) => readRows<RowFor<D>>(c, statement.sql, statement.params));
    });
  }

  /** Reference rows, deduped per vendor on the dataset key (newest ingested_at wins). */
  readReference<D extends DatasetName>(dataset: D, filter: { vendors?: VendorId[] } = {}): Promise<RowFor<D>[]> {
    return this.io(async () => {
      assertDataset(dataset, 'reference');
      filter.vendors?.forEach((v) => assertVendor(v));
      const groups = await this.referenceGroups(dataset, filter.vendors);
      if (groups.length === 0) return [];
      const statement = dedupedPerVendor(dataset, groups, {});
      return this.duck.exclusive((c) => readRows<RowFor<D>>(c, statement.sql, statement.params));
    });
  }

  /**
   * Records what completed units asked for and how many rows came back (see COVERAGE_COLUMNS), one
   * file per call and dataset, so an empty answer is remembered as "fetched, nothing there".
   */
  recordCoverage(entries: readonly CoverageEntry[]): Promise<void> {
    return this.io(async () => {
      const byDataset = new Map<DatasetName, CoverageEntry[]>();
      for (const entry of entries) {
        if (!isDatasetName(entry.dataset)) throw new LakeWriteError(`coverage: unknown dataset "${String(entry.dataset).slice(0, 40)}"`, { dataset: String(entry.dataset).slice(0, 40) });
        assertVendor(entry.vendor);
        assertDate(entry.start, 'coverage start');
        assertDate(entry.end, 'coverage end');
        byDataset.set(entry.dataset, [...(byDataset.get(entry.dataset) ?? []), entry]);
      }
      for (const [dataset, rows] of byDataset) {
        await this.writeTable(`${COVERAGE_PREFIX}/dataset=${dataset}/part-${this.partUlid(Date.now())}.parquet`, COVERAGE_COLUMNS, rows as unknown as Record<string, unknown>[]);
      }
    });
  }

  /** Every coverage record of a dataset, oldest first; [] when none. */
  readCoverage(dataset: DatasetName): Promise<CoverageEntry[]> {
    return this.io(async () => {
      const files = await this.coverageParts(dataset);
      if (files.length === 0) return [];
      return this.duck.exclusive((c) =>
        readRows<CoverageEntry>(c, `SELECT * FROM read_parquet(${fileList(files)}, hive_partitioning = false) ORDER BY recorded_at, scope`),
      );
    });
  }

  /** Files of a dataset's coverage records, for SQL (e.g. the audit joins them); [] when none. */
  coverageFiles(dataset: DatasetName): Promise<string[]> {
    return this.io(() => this.coverageParts(dataset));
  }

  /** Saves a payload that failed validation, with its reason; never under raw/. Returns the relative path. */
  quarantine(entry: {
    vendor: VendorId;
    endpoint: EndpointId;
    reason: string;
    sourceUri: string;
    body: string;
    atMs: number;
  }): Promise<string> {
    return this.io(() => writeQuarantine(this.store, entry satisfies QuarantineEntry, this.quarantineUlid(entry.atMs)));
  }

  listQuarantine(): Promise<QuarantineListing[]> {
    return this.io(() => listQuarantine(this.store));
  }

  /** DuckDB SQL over views named after the datasets: raw_<dataset> (all vendors), ref_<dataset>, plus any registered table files. */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<T[]> {
    return this.io(async () => {
      const plan = await this.views.plan(sql, this.viewSources(options.window));
      return this.duck.exclusive(async (c) => {
        await this.views.apply(c, plan);
        return readRows<T>(c, sql, params);
      });
    });
  }

  /** Every committed raw part file of a dataset (DuckDB accepts the list); [] when there is none. */
  rawGlob(dataset: DatasetName, vendor?: VendorId): Promise<string[]> {
    return this.io(async () => {
      assertDataset(dataset, 'raw');
      const parts = await this.rawParts(dataset, vendor === undefined ? undefined : [vendor]);
      return this.store.readablePaths(parts.map((part) => part.key));
    });
  }

  /** Every committed reference part file of a dataset (DuckDB accepts the list); [] when there is none. */
  referenceFiles(dataset: DatasetName, vendor?: VendorId): Promise<string[]> {
    return this.io(async () => {
      assertDataset(dataset, 'reference');
      const groups = await this.referenceGroups(dataset, vendor === undefined ? undefined : [vendor]);
      return groups.flatMap((group) => group.files);
    });
  }

  close(): Promise<void> {
    return this.io(() => this.duck.close());
  }

  private viewSources(window: QueryOptions['window'] = {}): ViewSources {
    const partitions: RowFilter = { ...(window.start === undefined ? {} : { start: window.start }), ...(window.end === undefined ? {} : { end: window.end }) };
    return {
      raw: (dataset: DatasetName) => this.rawGroups(dataset, undefined, partitions),
      reference: (dataset: DatasetName) => this.referenceGroups(dataset, undefined),
      tables: async () => (await Promise.all(TABLE_ROOTS.map((root) => this.store.list(`${root}/`)))).flat(),
      locate: (keys: readonly string[]) => this.store.readablePaths(keys),
      referencedTables: (sql: string) => this.duck.exclusive((c) => referencedTables(c, sql)),
    };
  }

  /** The content hash recorded in a table file's metadata; undefined when there is no file (or no hash). */
  private async tableHash(relativePath: string): Promise<string | undefined> {
    if (!(await this.store.list(relativePath)).includes(relativePath)) return undefined;
    const [location] = (await this.store.readablePaths([relativePath])) as [string];
    return this.duck.exclusive((c) => readKvMetadata(c, location, HASH_METADATA_KEY));
  }

  /** Writes the deduplicated rows of `parts` as one new part named by `ulid` and its content hash. */
  private async commitMergedPart(dataset: DatasetName, vendor: VendorId, prefix: string, ulid: string, parts: readonly PartRef[]): Promise<void> {
    const files = await this.store.readablePaths(parts.map((p) => p.key));
    const merged = dedupedPerVendor(dataset, [{ vendor, files }], {});
    const stage = this.duck.nextStageName();
    try {
      // Rows first, for the content hash the part is named after; then staged and copied under that name.
      const { hash } = await this.duck.exclusive(async (c) => {
        await execute(c, `CREATE TEMP TABLE ${ident(stage)} AS ${merged.sql}`, merged.params);
        return tableContentHash(c, stage);
      });
      const key = `${prefix}${partName(ulid, hash)}`;
      const staged = await this.store.stage(key);
      try {
        await this.duck.exclusive((c) =>
          copyToParquet(c, `SELECT * FROM ${ident(stage)}`, staged.localPath, { [HASH_METADATA_KEY]: hash, trademl_dataset: dataset, trademl_vendor: vendor }),
        );
        if (!(await this.store.putIfAbsent(key, staged))) throw new LakeError(`part ${key} already exists`);
      } catch (error) {
        await this.store.discard(staged);
        throw error;
      }
    } finally {
      await this.duck.exclusive((c) => dropTable(c, stage));
    }
  }

  /** Removes parts merged at least `graceMs` ago (by the merged part's ULID), then their tombstones. */
  private async removeMergedParts(keys: readonly string[], graceMs: number): Promise<number> {
    let removed = 0;
    for (const marker of mergedMarkers(keys)) {
      if (!removable(marker.mergedInto, graceMs)) continue;
      await this.store.delete(marker.partKey);
      await this.store.delete(marker.key);
      removed += 1;
    }
    return removed;
  }

  private io<T>(work: () => Promise<T>): Promise<T> {
    return this.clock.busy(work());
  }

  /**
   * Appends one part unless its content is already there. A part with the same hash dedupes the
   * write unless a newer part holds one of these keys with other values (then readers would
   * prefer the newer row, so the write is needed to make this content current again).
   */
  private appendPart(dataset: DatasetName, vendor: VendorId, prefix: string, table: NormalizedTable): Promise<WriteResult> {
    const hash = contentHash(table, DATASETS[dataset].key, HASH_EXCLUDED);
    const rows = table.rowCount;
    if (rows === 0) return Promise.resolve({ path: prefix, written: false, hash, rows });
    return this.partitionLocks.run(prefix, async () => {
      const parts = partsUnder(prefix, withoutMerged(await this.store.list(prefix)));
      const twin = parts.filter((part) => part.hash16 === hash.slice(0, 16)).pop();
      const newer = twin ? parts.filter((part) => part.ulid > twin.ulid) : [];
      if (twin && newer.length === 0) return { path: twin.key, written: false, hash, rows };
      // Wall time, not the injected clock: the ULID records the physical order of writes, which must
      // hold across processes and runs even when a virtual clock drives the caller.
      const key = `${prefix}${partName(this.partUlid(Date.now()), hash)}`;
      const staged = await this.store.stage(key);
      try {
        const check = twin ? { dataset, newerFiles: await this.store.readablePaths(newer.map((p) => p.key)) } : undefined;
        const written = await this.writeStaged(table, staged.localPath, DATASETS[dataset].key, {
          [HASH_METADATA_KEY]: hash,
          trademl_dataset: dataset,
          trademl_vendor: vendor,
        }, check);
        if (!written) {
          await this.store.discard(staged);
          return { path: (twin as PartRef).key, written: false, hash, rows };
        }
        if (!(await this.store.putIfAbsent(key, staged))) throw new LakeError(`part ${key} already exists`);
      } catch (error) {
        await this.store.discard(staged);
        throw error;
      }
      return { path: key, written: true, hash, rows };
    });
  }

  /** Stages rows in DuckDB and COPYs them to `target`; false when the supersede check says skip. */
  private writeStaged(
    table: NormalizedTable,
    target: string,
    orderBy: readonly string[] | undefined,
    metadata: Record<string, string>,
    check?: { dataset: DatasetName; newerFiles: string[] },
  ): Promise<boolean> {
    return this.duck.exclusive(async (c) => {
      const stage = this.duck.nextStageName();
      try {
        await stageTable(c, stage, table);
        if (check) {
          const sql = supersededSql(check.dataset, stage, check.newerFiles, HASH_EXCLUDED);
          const [row] = await readRows<{ n: number }>(c, sql);
          if ((row?.n ?? 0) === 0) return false;
        }
        const order = orderBy && orderBy.length > 0 ? ` ORDER BY ${orderBy.map(ident).join(', ')}` : '';
        await copyToParquet(c, `SELECT * FROM ${ident(stage)}${order}`, target, metadata);
        return true;
      } finally {
        await dropTable(c, stage);
      }
    });
  }

  /** Readable files of a dataset's coverage records, in write order. */
  private async coverageParts(dataset: DatasetName): Promise<string[]> {
    const keys = (await this.store.list(`${COVERAGE_PREFIX}/dataset=${dataset}/`)).filter((k) => k.endsWith('.parquet')).sort();
    return this.store.readablePaths(keys);
  }

  /** Turns each vendor's keys into files DuckDB can read (downloaded first on a remote store). */
  private async located(groups: Map<VendorId, string[]>): Promise<VendorParts[]> {
    const entries = [...groups];
    const files = await this.store.readablePaths(entries.flatMap(([, keys]) => keys));
    let offset = 0;
    return entries.map(([vendor, keys]) => {
      const slice = files.slice(offset, offset + keys.length);
      offset += keys.length;
      return { vendor, files: slice };
    });
  }

  private async rawParts(dataset: DatasetName, vendors: readonly VendorId[] | undefined) {
    const chosen = vendors ?? VENDORS;
    const listings = await Promise.all(chosen.map((v) => this.store.list(rawDatasetPrefix(v, dataset))));
    return withoutMerged(listings.flat())
      .map(parseRawPartKey)
      .filter((part) => part !== undefined && part.dataset === dataset)
      .map((part) => part as NonNullable<typeof part>);
  }

  /** Raw part files per vendor, pruned by the partition dates of the filter. */
  private async rawGroups(dataset: DatasetName, vendors: readonly VendorId[] | undefined, filter: RowFilter): Promise<VendorParts[]> {
    vendors?.forEach((v) => assertVendor(v));
    const parts = await this.rawParts(dataset, vendors);
    const groups = new Map<VendorId, string[]>();
    for (const part of parts) {
      if (filter.start !== undefined && part.date < filter.start) continue;
      if (filter.end !== undefined && part.date > filter.end) continue;
      const keys = groups.get(part.vendor) ?? [];
      keys.push(part.key);
      groups.set(part.vendor, keys);
    }
    return this.located(groups);
  }

  private async referenceGroups(dataset: DatasetName, vendors: readonly VendorId[] | undefined): Promise<VendorParts[]> {
    const keys = await this.store.list(`reference/${dataset}/`);
    const groups = new Map<VendorId, string[]>();
    for (const key of keys) {
      const part = parseReferencePartKey(dataset, key);
      if (!part || (vendors !== undefined && !vendors.includes(part.vendor))) continue;
      const keys = groups.get(part.vendor) ?? [];
      keys.push(part.key);
      groups.set(part.vendor, keys);
    }
    return this.located(groups);
  }
}

function resolveRoot(root: string): string {
  if (typeof root !== 'string' || root.trim() === '') throw new LakeError('lake root must be a directory path or file:// URL');
  if (root.startsWith('file://')) return fileURLToPath(root);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(root)?.[1];
  if (scheme !== undefined) {
    throw new LakeError(`lake root scheme "${scheme}://" is not supported (use a directory, file:// or s3:// URL)`);
  }
  return resolve(root);
}

function checkFilter(filter: { start?: string; end?: string; symbols?: string[] }): RowFilter {
  if (filter.start !== undefined) assertDate(filter.start, 'start');
  if (filter.end !== undefined) assertDate(filter.end, 'end');
  if (filter.symbols !== undefined && !filter.symbols.every((s) => typeof s === 'string')) {
    throw new LakeError('symbols filter must be a list of strings');
  }
  return { start: filter.start, end: filter.end, symbols: filter.symbols };
}

/** Argument errors of a write are write errors too: the caller gets one class to catch. */
function refuseAsWrite(dataset: string, vendor: string | undefined, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof LakeError && !(error instanceof LakeWriteError)) {
      throw new LakeWriteError(error.message, { dataset: dataset.slice(0, 80), vendor, cause: error });
    }
    throw error;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
