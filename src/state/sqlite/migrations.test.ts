import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StateConfigError } from '../errors.js';
import { openStateStore } from '../index.js';
import { tempDir } from '../test-support/fixtures.js';
import { migrate, MIGRATIONS, schemaVersion, type Migration } from './migrations.js';

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((cleanup) => cleanup()));

function scratch(): string {
  const tmp = tempDir();
  dirs.push(tmp.cleanup);
  return tmp.file('state.db');
}

describe('migrations', () => {
  it('applies every step once, records it, and is a no-op on reopen', async () => {
    const path = scratch();
    const first = await openStateStore(path);
    await first.setBookmark('k', 'v', 1);
    await first.close();
    const second = await openStateStore(`sqlite:${path}`);
    expect(await second.getBookmark('k')).toBe('v');
    await second.close();

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    db.close();
  });

  it('sets WAL, foreign keys, NORMAL sync and a busy timeout on open', async () => {
    const path = scratch();
    const store = await openStateStore(path, { busyTimeoutMs: 1234 });
    await store.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Connection-level pragmas are checked on a handle opened the way the store opens one.
    const { openDatabase } = await import('./db.js');
    const handle = openDatabase(path, { busyTimeoutMs: 1234 });
    expect(handle.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(handle.pragma('synchronous', { simple: true })).toBe(1);
    expect(handle.pragma('busy_timeout', { simple: true })).toBe(1234);
    handle.close();
  });

  it('applies only new steps, in version order, each in its own transaction', () => {
    const db = new Database(':memory:');
    const steps: Migration[] = [
      { version: 2, name: 'second', sql: 'ALTER TABLE t ADD COLUMN b TEXT' },
      { version: 1, name: 'first', sql: 'CREATE TABLE t (a INTEGER)' },
    ];
    expect(migrate(db, steps)).toEqual([1, 2]);
    expect(migrate(db, steps)).toEqual([]);
    const broken: Migration[] = [...steps, { version: 3, name: 'broken', sql: 'CREATE TABLE u (x); SELECT nope FROM missing' }];
    expect(() => migrate(db, broken)).toThrow();
    // The failed step left nothing behind: neither its table nor its version row.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'u'").all()).toEqual([]);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const path = scratch();
    await (await openStateStore(path)).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(999, 'from the future');
    db.close();
    await expect(openStateStore(path)).rejects.toThrow(StateConfigError);
    await expect(openStateStore(path)).rejects.toThrow(/schema version 999 is newer/);
  });
});
