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

  it('reads postgres urls, taking the optional schema parameter out of the connection string', () => {
    expect(parseStateUrl('postgres://u:p@db:5432/trademl')).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/trademl', schema: undefined });
    expect(parseStateUrl('postgresql://db/trademl?schema=fleet_a&sslmode=require')).toEqual({
      kind: 'postgres',
      url: 'postgresql://db/trademl?sslmode=require',
      schema: 'fleet_a',
    });
  });

  it('refuses a schema that is not a plain identifier, and a malformed url without echoing it', () => {
    expect(() => parseStateUrl('postgres://db/x?schema=a;drop')).toThrow(/not a plain lower-case identifier/);
    expect(() => parseStateUrl('postgres://db/x?schema=Upper')).toThrow(StateConfigError);
    expect(() => parseStateUrl('postgres://u:s3cret@[bad/x')).toThrow(StateConfigError);
    expect(() => parseStateUrl('postgres://u:s3cret@[bad/x')).not.toThrow(/s3cret/);
  });

  it('refuses empty urls, empty sqlite paths and unknown schemes', () => {
    expect(() => parseStateUrl('  ')).toThrow(StateConfigError);
    expect(() => parseStateUrl('sqlite:')).toThrow(/names no database file/);
    expect(() => parseStateUrl('mysql://db/x')).toThrow(/unsupported state store url scheme 'mysql:'/);
  });

  it('openStateStore names an unreachable postgres server without its password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const opening = openStateStore('postgres://trademl:s3cret@127.0.0.1:1/trademl', { connectTimeoutMs: 2000 });
    await expect(opening).rejects.toBeInstanceOf(StateConfigError);
    const error = (await opening.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/cannot open PostgreSQL state store postgres:\/\/trademl:\*\*\*@127\.0\.0\.1:1\/trademl/);
    expect(error.message).not.toContain('s3cret');
  });

  it('openStateStore opens an in-memory store that works', async () => {
    const store = await openStateStore(':memory:');
    await store.setBookmark('k', 'v', 1);
    expect(await store.getBookmark('k')).toBe('v');
    await store.close();
  });
});
