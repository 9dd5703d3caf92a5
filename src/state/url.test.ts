import { describe, expect, it } from 'vitest';
import { openStateStore, parseStateUrl, StateConfigError } from './index.js';

describe('parseStateUrl', () => {
  it('reads sqlite urls, plain paths and :memory:', () => {
    expect(parseStateUrl('sqlite:data/state.db')).toEqual({ kind: 'sqlite', path: 'data/state.db' });
    expect(parseStateUrl('sqlite:///var/lib/trademl/state.db')).toEqual({ kind: 'sqlite', path: '/var/lib/trademl/state.db' });
    expect(parseStateUrl('SQLITE:/tmp/x.db')).toEqual({ kind: 'sqlite', path: '/tmp/x.db' });
    expect(parseStateUrl('/tmp/state.db')).toEqual({ kind: 'sqlite', path: '/tmp/state.db' });
    expect(parseStateUrl('./state.db')).toEqual({ kind: 'sqlite', path: './state.db' });
    expect(parseStateUrl('C:\\data\\state.db')).toEqual({ kind: 'sqlite', path: 'C:\\data\\state.db' });
    expect(parseStateUrl(':memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseStateUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('refuses postgres urls with a message saying the backend is not built', () => {
    for (const url of ['postgres://u:p@db:5432/trademl', 'postgresql://db/trademl']) {
      expect(() => parseStateUrl(url)).toThrow(StateConfigError);
      expect(() => parseStateUrl(url)).toThrow(/PostgreSQL .*not supported yet/);
    }
  });

  it('refuses empty urls, empty sqlite paths and unknown schemes', () => {
    expect(() => parseStateUrl('  ')).toThrow(StateConfigError);
    expect(() => parseStateUrl('sqlite:')).toThrow(/names no database file/);
    expect(() => parseStateUrl('mysql://db/x')).toThrow(/unsupported state store url scheme 'mysql:'/);
  });

  it('openStateStore rejects a postgres url without touching any database', async () => {
    await expect(openStateStore('postgres://localhost/trademl')).rejects.toBeInstanceOf(StateConfigError);
  });

  it('openStateStore opens an in-memory store that works', async () => {
    const store = await openStateStore(':memory:');
    await store.setBookmark('k', 'v', 1);
    expect(await store.getBookmark('k')).toBe('v');
    await store.close();
  });
});
