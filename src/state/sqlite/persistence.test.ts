import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../index.js';
import { T0, tempDir } from '../test-support/fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('a SQLite file store', () => {
  it('creates missing parent directories on open and keeps data across a reopen', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const path = tmp.file('nested/dir/state.db');
    const before = await openStateStore(`sqlite:${path}`);
    await before.setBookmark('fred:treasuries', '2026-11-20', T0);
    await before.close();
    const after = await openStateStore(path);
    expect(await after.getBookmark('fred:treasuries')).toBe('2026-11-20');
    await after.close();
  });
});
