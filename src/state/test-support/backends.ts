import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openStateStore, type StateStore } from '../index.js';
import { tempDir } from './fixtures.js';

/** The variable naming a PostgreSQL server for the state store tests (`scripts/ci/postgres.sh` prints it). */
export const POSTGRES_URL_VARIABLE = 'TRADEML_TEST_POSTGRES_URL';
export const POSTGRES_TEST_URL = process.env[POSTGRES_URL_VARIABLE]?.trim() || undefined;
export const POSTGRES_SKIP_REASON = `${POSTGRES_URL_VARIABLE} is not set (run scripts/ci/postgres.sh and export the line it prints)`;

if (POSTGRES_TEST_URL === undefined) {
  console.info(`state store tests: PostgreSQL cases SKIPPED because ${POSTGRES_SKIP_REASON}`);
}

/** One empty store location for one test: its url, and the removal of everything it held. */
export interface Scratch {
  url: string;
  open(): Promise<StateStore>;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Why the backend's cases do not run here; undefined when they do. */
  skipReason: string | undefined;
  scratch(): Promise<Scratch>;
}

function sqliteScratch(): Promise<Scratch> {
  const tmp = tempDir();
  const url = `sqlite:${tmp.file('state.db')}`;
  return Promise.resolve({ url, open: () => openStateStore(url), dispose: async () => tmp.cleanup() });
}

/** A schema of its own per test (pid + random), so parallel runs never see each other's rows. */
export async function postgresScratch(baseUrl: string): Promise<Scratch> {
  const schema = `trademl_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const parsed = new URL(baseUrl);
  parsed.searchParams.set('schema', schema);
  const url = parsed.toString();
  return {
    url,
    open: () => openStateStore(url, { maxConnections: 4 }),
    dispose: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const BACKENDS: Backend[] = [
  { name: 'sqlite', skipReason: undefined, scratch: sqliteScratch },
  {
    name: 'postgres',
    skipReason: POSTGRES_TEST_URL === undefined ? POSTGRES_SKIP_REASON : undefined,
    scratch: () => postgresScratch(POSTGRES_TEST_URL ?? ''),
  },
];

/**
 * Declares one contract suite for every backend. A backend that cannot run here is reported as a
 * skipped suite whose title carries the reason.
 */
export function describeContract(title: string, body: (backend: Backend) => void): void {
  describe.each(BACKENDS)(`${title} [$name]`, (backend) => {
    const label = backend.skipReason === undefined ? backend.name : `${backend.name} skipped: ${backend.skipReason}`;
    describe.skipIf(backend.skipReason !== undefined)(label, () => body(backend));
  });
}
