import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../index.js';
import { POSTGRES_SKIP_REASON, POSTGRES_TEST_URL, postgresScratch, type Scratch } from '../test-support/backends.js';
import { T0, unit } from '../test-support/fixtures.js';

const label = POSTGRES_TEST_URL === undefined ? `skipped: ${POSTGRES_SKIP_REASON}` : 'on a real server';

describe.skipIf(POSTGRES_TEST_URL === undefined)(`PostgreSQL claims (${label})`, () => {
  let scratch: Scratch;
  let store: StateStore;
  let raw: pg.Client;
  beforeEach(async () => {
    scratch = await postgresScratch(POSTGRES_TEST_URL ?? '');
    store = await scratch.open();
    const schema = new URL(scratch.url).searchParams.get('schema');
    raw = new pg.Client({ connectionString: POSTGRES_TEST_URL, options: `-c search_path=${schema}` });
    await raw.connect();
  });
  afterEach(async () => {
    await raw.end();
    await store.close();
    await scratch.dispose();
  });

  it('skips a row another transaction holds locked instead of waiting for it or taking it', async () => {
    await store.enqueue([unit('first', { priority: 9 }), unit('second'), unit('third')], T0);
    // Another worker is in the middle of claiming 'first': its row lock is held until COMMIT.
    await raw.query('BEGIN');
    await raw.query("SELECT id FROM queue WHERE identity = 'first' FOR UPDATE");
    const claimed = await store.claim({ owner: 'w', nowMs: T0, leaseMs: 60_000, limit: 3 });
    expect(claimed.map((u) => u.identity)).toEqual(['second', 'third']);
    await raw.query('COMMIT');
    expect((await store.claim({ owner: 'w', nowMs: T0, leaseMs: 60_000, limit: 3 })).map((u) => u.identity)).toEqual(['first']);
  });

  it('a lease held in another session is refused until it expires, then taken with the next generation', async () => {
    const held = (await store.acquireLease('executor:fmp', 'node-a', 1000, T0))!;
    const row = await raw.query<{ owner: string; generation: string }>("SELECT owner, generation FROM leases WHERE name = 'executor:fmp'");
    expect(row.rows).toEqual([{ owner: 'node-a', generation: '1' }]);
    expect(await store.acquireLease('executor:fmp', 'node-b', 1000, T0 + 999)).toBeUndefined();
    expect(await store.acquireLease('executor:fmp', 'node-b', 1000, T0 + 1000)).toEqual({
      name: 'executor:fmp', owner: 'node-b', generation: held.generation + 1, expiresAtMs: T0 + 2000,
    });
  });
});
