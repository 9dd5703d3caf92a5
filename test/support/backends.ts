import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { describe } from 'vitest';
import { systemClock } from '../../src/clock/index.js';
import { FileObjectStore, Lake } from '../../src/lake/index.js';
import { parseS3Url, s3ClientFromEnv, S3ObjectStore } from '../../src/lake/s3-store.js';
import { startTestS3 } from '../../src/lake/test-support/s3-server.js';
import { demoStorageSecrets } from '../../src/cli/demo.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import { POSTGRES_SKIP_REASON, POSTGRES_TEST_URL, postgresScratch } from '../../src/state/test-support/backends.js';

/**
 * The storage backends every end-to-end suite runs against: SQLite state + file lake (the default,
 * always) and PostgreSQL state + S3 lake (what a fleet uses), the second only when CI started both
 * servers (`scripts/ci/postgres.sh`, `scripts/ci/s3.sh`) and their variables are set.
 */
export interface E2eBackend {
  name: 'sqlite+file' | 'postgres+s3';
  /** Why this backend does not run here; undefined when it does. */
  skipReason: string | undefined;
  /** Fresh, empty storage for one test (its own schema and lake prefix), removed by `dispose`. */
  provision(): Promise<ProvisionedBackend>;
}

export interface ProvisionedBackend {
  /** Variables to add to the CLI's environment (empty for the default backend). */
  env: Record<string, string>;
  /** The state store the CLI uses with this env and this data directory, opened for assertions. */
  openState(dataDir: string): Promise<StateStore>;
  /** The lake the CLI writes with this env and this data directory, opened for assertions. */
  openLake(dataDir: string): Promise<Lake>;
  /** Every lake key under `prefix` (e.g. `raw/`), sorted, as the lake lists them (committed keys only). */
  listLake(dataDir: string, prefix: string): Promise<string[]>;
  /**
   * Every object the lake's storage holds, as the storage itself lists it — no lake filter: on a
   * file lake every file of the data directory (dot-files and staging files included), on S3 every
   * key under the lake's prefix — with its bytes, for leak and staging checks.
   */
  storedObjects(dataDir: string): Promise<StoredObject[]>;
  /**
   * Every row of every table of the state store as text (PostgreSQL: each row of each table of the
   * test's schema; SQLite: the database files of the data directory), for leak checks.
   */
  stateText(dataDir: string): Promise<string>;
  dispose(): Promise<void>;
}

/** One stored object: its key relative to the lake root (or data directory) and its bytes. */
export interface StoredObject {
  key: string;
  bytes: Buffer;
}

const S3_URL_VARIABLE = 'TRADEML_TEST_S3_URL';
const S3_TEST_URL = process.env[S3_URL_VARIABLE]?.trim() || undefined;
const S3_SKIP_REASON = `${S3_URL_VARIABLE} is not set (run scripts/ci/s3.sh and export the lines it prints)`;

function fleetSkipReason(): string | undefined {
  const reasons = [POSTGRES_TEST_URL === undefined ? POSTGRES_SKIP_REASON : undefined, S3_TEST_URL === undefined ? S3_SKIP_REASON : undefined].filter((r) => r !== undefined);
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

const sqliteFile: E2eBackend = {
  name: 'sqlite+file',
  skipReason: undefined,
  provision: () =>
    Promise.resolve({
      env: {},
      openState: (dataDir) => openStateStore(path.join(dataDir, 'state', 'trademl.sqlite')),
      openLake: (dataDir) => Lake.open({ root: dataDir, clock: systemClock }),
      listLake: async (dataDir, prefix) => (await new FileObjectStore(dataDir).list(prefix)).sort(),
      storedObjects: async (dataDir) => Promise.all((await filesUnder(dataDir)).map(async (key) => ({ key, bytes: await readFile(path.join(dataDir, key)) }))),
      stateText: async (dataDir) => {
        const keys = (await filesUnder(path.join(dataDir, 'state')).catch(() => [] as string[])).filter((k) => k.includes('trademl.sqlite'));
        return (await Promise.all(keys.map(async (k) => (await readFile(path.join(dataDir, 'state', k))).toString('latin1')))).join('\n');
      },
      dispose: () => Promise.resolve(),
    }),
};

const postgresS3: E2eBackend = {
  name: 'postgres+s3',
  skipReason: fleetSkipReason(),
  provision: async () => {
    const scratch = await postgresScratch(POSTGRES_TEST_URL ?? '');
    const s3 = await startTestS3();
    const aws = Object.fromEntries(
      ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
        .map((name) => [name, s3.env[name]])
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
    );
    return {
      env: { TRADEML_STATE_URL: scratch.url, TRADEML_LAKE_URL: s3.url, ...aws },
      openState: () => scratch.open(),
      openLake: () => Lake.open({ root: s3.url, clock: systemClock, s3: { env: s3.env } }),
      listLake: async (_dataDir, prefix) => {
        const client = s3ClientFromEnv(s3.env);
        try {
          return (await new S3ObjectStore({ url: s3.url, client }).list(prefix)).sort();
        } finally {
          client.destroy();
        }
      },
      storedObjects: async () => {
        const client = s3ClientFromEnv(s3.env);
        try {
          return await s3Objects(client, s3.url);
        } finally {
          client.destroy();
        }
      },
      stateText: () => postgresRows(scratch.url),
      dispose: async () => {
        await Promise.all([scratch.dispose(), s3.close()]);
      },
    };
  },
};

/** Every file under `dir`, relative, sorted (dot-files included). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Every object under the URL's prefix, listed with a bare client (no lake filter) and downloaded. */
async function s3Objects(client: S3Client, url: string): Promise<StoredObject[]> {
  const { bucket, prefix } = parseS3Url(url);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const out: StoredObject[] = [];
  for (const key of keys.sort()) {
    const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    out.push({ key: key.slice(prefix.length), bytes: Buffer.from(await (body.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()) });
  }
  return out;
}

/** Every row of every table of the scratch schema (named by the URL's `schema` parameter), as text. */
async function postgresRows(url: string): Promise<string> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    const texts: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${table}" t`);
      texts.push(`${table}: ${rows.rows.map((r) => r.row).join('\n')}`);
    }
    return texts.join('\n');
  } finally {
    await client.end();
  }
}

export const E2E_BACKENDS: readonly E2eBackend[] = [sqliteFile, postgresS3];

const skipped = E2E_BACKENDS.filter((b) => b.skipReason !== undefined);
for (const backend of skipped) console.info(`end-to-end suites: backend ${backend.name} SKIPPED because ${backend.skipReason}`);

/** The backends for `describe.each`, each with a title that carries its skip reason when it does not run. */
export function backends(): (E2eBackend & { title: string })[] {
  return E2E_BACKENDS.map((b) => ({ ...b, title: b.skipReason === undefined ? b.name : `${b.name} — skipped: ${b.skipReason}` }));
}

/**
 * `describe` once per backend, titled `<title> [<backend>]`; a backend that cannot run here is a
 * skipped suite whose title carries the reason. `body` declares the suite for that backend.
 */
export function describeBackends(title: string, body: (backend: E2eBackend) => void, only?: readonly E2eBackend['name'][]): void {
  const chosen = backends().filter((b) => only === undefined || only.includes(b.name));
  describe.each(chosen)(`${title} [$title]`, (backend) => {
    describe.skipIf(backend.skipReason !== undefined)(backend.name, () => body(backend));
  });
}

/** The storage credentials in a backend's env (S3 keys, a password in the state URL): never in output or stored data. */
export function storageSecrets(env: Record<string, string>): string[] {
  return demoStorageSecrets(env);
}

/** A staging name: a dot segment (a file lake's `.tmp-*`) or `.tmp` anywhere in a segment. */
export function isStagingKey(key: string): boolean {
  return key.split('/').some((segment) => segment.startsWith('.') || segment.includes('.tmp'));
}

/**
 * Staging keys a reader of the lake can see (must be none). On S3 every key in the bucket listing
 * is visible to any reader, so the bare listing is checked; on a file lake, the lake's listing
 * (staging files beside their target are hidden from it by name).
 */
export async function visibleStagingKeys(storage: ProvisionedBackend, dataDir: string): Promise<string[]> {
  const keys = storage.env.TRADEML_LAKE_URL === undefined ? await storage.listLake(dataDir, '') : (await storage.storedObjects(dataDir)).map((o) => o.key);
  return keys.filter(isStagingKey);
}
