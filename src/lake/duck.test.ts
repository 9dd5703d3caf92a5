import { afterEach, describe, expect, it } from 'vitest';
import { DuckSession, readRows } from './duck.js';

const saved = process.env.TRADEML_DUCKDB_MEMORY_LIMIT;
afterEach(() => {
  if (saved === undefined) delete process.env.TRADEML_DUCKDB_MEMORY_LIMIT;
  else process.env.TRADEML_DUCKDB_MEMORY_LIMIT = saved;
});

async function setting(name: string): Promise<string> {
  const session = await DuckSession.open();
  try {
    const [row] = await session.exclusive((c) => readRows<{ v: unknown }>(c, `SELECT current_setting('${name}') AS v`));
    return String(row?.v ?? '');
  } finally {
    await session.close();
  }
}

describe('DuckSession', () => {
  it('bounds DuckDB memory to 1 GB by default, overridable by TRADEML_DUCKDB_MEMORY_LIMIT', async () => {
    delete process.env.TRADEML_DUCKDB_MEMORY_LIMIT;
    expect(await setting('memory_limit')).toMatch(/^(1\.0 GiB|953\.6 MiB)$/);
    process.env.TRADEML_DUCKDB_MEMORY_LIMIT = '256MB';
    expect(await setting('memory_limit')).toMatch(/^(256\.0 MiB|244\.1 MiB)$/);
  });

  it('keeps no copy of the files it reads (the page cache does)', async () => {
    expect(await setting('enable_external_file_cache')).toBe('false');
  });
});
