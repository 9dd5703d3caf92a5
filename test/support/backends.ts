import path from 'node:path';
import { systemClock } from '../../src/clock/index.js';
import { FileObjectStore, Lake } from '../../src/lake/index.js';
import { s3ClientFromEnv, S3ObjectStore } from '../../src/lake/s3-store.js';
import { startTestS3 } from '../../src/lake/test-support/s3-server.js';
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
  /** Every lake key under `prefix` (e.g. `raw/`), sorted. */
  listLake(dataDir: string, prefix: string): Promise<string[]>;
  dispose(): Promise<void>;
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
      dispose: async () => {
        await Promise.all([scratch.dispose(), s3.close()]);
      },
    };
  },
};

export const E2E_BACKENDS: readonly E2eBackend[] = [sqliteFile, postgresS3];

const skipped = E2E_BACKENDS.filter((b) => b.skipReason !== undefined);
for (const backend of skipped) console.info(`end-to-end suites: backend ${backend.name} SKIPPED because ${backend.skipReason}`);

/** The backends for `describe.each`, each with a title that carries its skip reason when it does not run. */
export function backends(): (E2eBackend & { title: string })[] {
  return E2E_BACKENDS.map((b) => ({ ...b, title: b.skipReason === undefined ? b.name : `${b.name} — skipped: ${b.skipReason}` }));
}
