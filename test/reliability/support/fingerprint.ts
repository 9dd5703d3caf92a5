import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DatasetName, VendorId } from '../../../src/catalog/index.js';
import { sqlFileList } from '../../../src/lake/index.js';
import { isStagingKey, visibleStagingKeys, type ProvisionedBackend } from '../../support/backends.js';
import { curatedContentHash, readCurated, readLedger } from '../../../src/ssot/index.js';

/** What two runs must agree on, and what a crash may never leave visible. */
export interface LakeFingerprint {
  curatedHash: string | undefined;
  /** sha256 of every curated row, sorted. */
  curatedRows: string;
  curatedCount: number;
  /** Ledger rows (audit instant excluded), sorted. */
  ledger: string;
  /**
   * Per `raw/<vendor>/<dataset>` and `reference/<dataset>/vendor=<v>`: row count and sha256 of every
   * row of every committed part, sorted, lineage `ingested_at` and `source_uri` excluded (as in the
   * lake's own part hash: the URI names the sandbox's ephemeral port).
   */
  tables: Record<string, string>;
  /** Rows in raw part files sharing (source_name, symbol, date) with another row. */
  duplicateRawKeys: number;
  /** Keys a reader can see that are staging files (must be 0). */
  visibleTempKeys: number;
  /** Staging files a crash left in the lake's storage (on a file lake invisible to readers: a disk-space leak, not a correctness one). */
  leftoverTempFiles: number;
}

const bigintSafe = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value);
const sha = (value: unknown): string => createHash('sha256').update(JSON.stringify(value, bigintSafe)).digest('hex');

/**
 * The fingerprint of the lake the CLI wrote with this backend and data directory. Part files are
 * read through the lake (on S3: downloaded to its cache first), so the same rows give the same
 * fingerprint on either backend.
 */
export async function fingerprint(storage: ProvisionedBackend, dataDir: string): Promise<LakeFingerprint> {
  const keys = await storage.listLake(dataDir, '');
  const stored = (await storage.storedObjects(dataDir)).map((o) => o.key);
  const visible = await visibleStagingKeys(storage, dataDir);
  const lake = await storage.openLake(dataDir);
  try {
    const groups = new Map<string, { files: () => Promise<string[]> }>();
    for (const key of keys.filter((k) => /^(raw|reference)\/.*\.parquet$/.test(k))) {
      const [root, a, b] = key.split('/') as [string, string, string];
      const group = `${root}/${a}/${b}`;
      if (groups.has(group)) continue;
      // raw/<vendor>/<dataset>/… and reference/<dataset>/vendor=<v>/…
      const files = root === 'raw' ? () => lake.rawGlob(b as DatasetName, a as VendorId) : () => lake.referenceFiles(a as DatasetName, b.slice('vendor='.length) as VendorId);
      groups.set(group, { files });
    }
    const tables: Record<string, string> = {};
    for (const [group, { files }] of [...groups].sort(([x], [y]) => x.localeCompare(y))) {
      // A chain snapshot's `as_of` is the instant it was taken: a resumed run takes it later, with the
      // same quotes (the sandbox quotes the last completed session), so the instant is left out.
      const excluded = group.endsWith('/options_chain') ? 'ingested_at, source_uri, as_of' : 'ingested_at, source_uri';
      const rows = await lake.query(`SELECT * EXCLUDE (${excluded}) FROM read_parquet(${sqlFileList(await files())}, union_by_name = true) ORDER BY ALL`);
      tables[group] = `${rows.length}:${sha(rows)}`;
    }
    const rawFiles = await lake.rawGlob('equities_eod');
    const [dup] =
      rawFiles.length === 0
        ? [{ n: 0 }]
        : await lake.query<{ n: number }>(
            `SELECT (count(*) - count(DISTINCT (source_name, symbol, date)))::BIGINT AS n FROM read_parquet(${sqlFileList(rawFiles)}, union_by_name = true)`,
          );
    const ledger = (await readLedger(lake))
      .map(({ audited_at: _audited, ...row }) => row)
      .sort((a, b) => `${a.dataset}|${a.date}`.localeCompare(`${b.dataset}|${b.date}`));
    const curated = await readCurated(lake).catch(() => []);
    const remote = /^s3:\/\//.test(lake.root);
    return {
      curatedHash: await curatedContentHash(lake).catch(() => undefined),
      curatedRows: sha(curated),
      curatedCount: curated.length,
      ledger: sha(ledger),
      tables,
      duplicateRawKeys: Number(dup?.n ?? 0),
      visibleTempKeys: visible.length,
      // On S3 a write is staged in a local temp file and uploaded whole, so a crash leaves nothing in the bucket.
      leftoverTempFiles: remote ? stored.filter(isStagingKey).length : stored.filter((k) => path.basename(k).startsWith('.tmp-')).length,
    };
  } finally {
    await lake.close();
  }
}

/** A small seeded PRNG (mulberry32) for picking crash points and fault seeds reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export const LONG = process.env.TRADEML_LONG === '1';
