import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../../../src/clock/index.js';
import { FileObjectStore, Lake, sqlFileList } from '../../../src/lake/index.js';
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
  /** Committed keys a reader can see that are staging files (must be 0). */
  visibleTempKeys: number;
  /** Staging files left on disk by a crash (invisible to readers; a disk-space leak, not a correctness one). */
  leftoverTempFiles: number;
}

const bigintSafe = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value);
const sha = (value: unknown): string => createHash('sha256').update(JSON.stringify(value, bigintSafe)).digest('hex');

export async function fingerprint(root: string): Promise<LakeFingerprint> {
  const store = new FileObjectStore(root);
  const keys = await store.list('');
  const lake = await Lake.open({ root, clock: systemClock });
  try {
    const groups = new Map<string, string[]>();
    for (const key of keys.filter((k) => /^(raw|reference)\/.*\.parquet$/.test(k))) {
      const group = key.split('/').slice(0, 3).join('/');
      groups.set(group, [...(groups.get(group) ?? []), path.join(root, key)]);
    }
    const tables: Record<string, string> = {};
    for (const [group, files] of [...groups].sort()) {
      // A chain snapshot's `as_of` is the instant it was taken: a resumed run takes it later, with the
      // same quotes (the sandbox quotes the last completed session), so the instant is left out.
      const excluded = group.endsWith('/options_chain') ? 'ingested_at, source_uri, as_of' : 'ingested_at, source_uri';
      const rows = await lake.query(`SELECT * EXCLUDE (${excluded}) FROM read_parquet(${sqlFileList(files)}, union_by_name = true) ORDER BY ALL`);
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
    return {
      curatedHash: await curatedContentHash(lake).catch(() => undefined),
      curatedRows: sha(curated),
      curatedCount: curated.length,
      ledger: sha(ledger),
      tables,
      duplicateRawKeys: Number(dup?.n ?? 0),
      visibleTempKeys: keys.filter((k) => k.split('/').some((segment) => segment.startsWith('.'))).length + rawFiles.filter((f) => path.basename(f).startsWith('.')).length,
      leftoverTempFiles: await countTempFiles(root),
    };
  } finally {
    await lake.close();
  }
}

async function countTempFiles(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += await countTempFiles(path.join(dir, entry.name));
    else if (entry.name.startsWith('.tmp-')) n += 1;
  }
  return n;
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
