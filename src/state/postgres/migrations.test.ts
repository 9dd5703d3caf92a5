import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateConfigError } from '../errors.js';
import { parseStateUrl } from '../url.js';
import { POSTGRES_SKIP_REASON, POSTGRES_TEST_URL, postgresScratch, type Scratch } from '../test-support/backends.js';
import { createPool } from './db.js';
import { migrate, schemaVersion } from './migrations.js';
import { MIGRATIONS, type Migration } from './schema.js';

const label = POSTGRES_TEST_URL === undefined ? `skipped: ${POSTGRES_SKIP_REASON}` : 'on a real server';

describe.skipIf(POSTGRES_TEST_URL === undefined)(`PostgreSQL migrations (${label})`, () => {
  let scratch: Scratch;
  let schema: string;
  let pools: pg.Pool[];
  beforeEach(async () => {
    scratch = await postgresScratch(POSTGRES_TEST_URL ?? '');
    const location = parseStateUrl(scratch.url);
    if (location.kind !== 'postgres' || location.schema === undefined) throw new Error('expected a postgres scratch url');
    schema = location.schema;
    pools = [];
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await scratch.dispose();
  });
  const pool = (): pg.Pool => {
    const p = createPool(POSTGRES_TEST_URL ?? '', schema);
    pools.push(p);
    return p;
  };
  const recorded = async (p: pg.Pool) =>
    (await p.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;

  it('four pools (as four processes would) opening a fresh schema at once apply each step exactly once', async () => {
    const results = await Promise.all([pool(), pool(), pool(), pool()].map((p) => migrate(p, schema)));
    const versions = MIGRATIONS.map((m) => m.version);
    expect(results.filter((applied) => applied.length > 0)).toEqual([versions]);
    expect(results.filter((applied) => applied.length === 0)).toHaveLength(3);
    expect(await recorded(pools[0]!)).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(await schemaVersion(pools[0]!)).toBe(Math.max(...versions));
  });

  it('a reopen applies nothing and keeps the data', async () => {
    const first = await scratch.open();
    await first.setBookmark('k', 'v', 1);
    await first.close();
    expect(await migrate(pool(), schema)).toEqual([]);
    const second = await scratch.open();
    expect(await second.getBookmark('k')).toBe('v');
    await second.close();
  });

  it('a failing step rolls back completely and is not recorded; the steps before it stay', async () => {
    const p = pool();
    const steps: Migration[] = [
      ...MIGRATIONS,
      { version: 1000, name: 'half broken', sql: 'CREATE TABLE extra (x INTEGER); SELECT * FROM no_such_table;' },
    ];
    await expect(migrate(p, schema, steps)).rejects.toThrow(/no_such_table/);
    expect((await recorded(p)).map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const extra = await p.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'extra'", [schema]);
    expect(extra.rowCount).toBe(0);
  });

  it('refuses a database whose schema is newer than this build', async () => {
    const p = pool();
    await migrate(p, schema);
    await p.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    await expect(migrate(p, schema)).rejects.toBeInstanceOf(StateConfigError);
    await expect(scratch.open()).rejects.toThrow(/schema version 999 is newer than this build knows/);
  });
});
