import { StateConfigError } from './errors.js';

export type StateLocation =
  | { kind: 'sqlite'; path: string }
  /** `url` is the connection string without the `schema` parameter; `schema` undefined means the role's search_path. */
  | { kind: 'postgres'; url: string; schema: string | undefined };

const MEMORY = ':memory:';
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Reads a state store url: `sqlite:<path>`, `sqlite://<path>`, `:memory:`, a plain file path, or
 * `postgres://user:password@host:port/database[?schema=name]` (also `postgresql://`), where the
 * optional `schema` parameter puts the store's tables in that schema (created on open).
 */
export function parseStateUrl(url: string): StateLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new StateConfigError('state store url is empty; expected sqlite:<path>, a file path or :memory:');
  if (trimmed === MEMORY) return { kind: 'sqlite', path: MEMORY };
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\state.db), i.e. a plain path.
  if (scheme === undefined || scheme.length === 1) return { kind: 'sqlite', path: trimmed };
  if (scheme === 'sqlite') return { kind: 'sqlite', path: sqlitePath(trimmed.slice('sqlite:'.length), url) };
  if (scheme === 'postgres' || scheme === 'postgresql') return postgresLocation(trimmed);
  throw new StateConfigError(`unsupported state store url scheme '${scheme}:'; expected sqlite:<path>, a file path or :memory:`);
}

function sqlitePath(rest: string, url: string): string {
  // sqlite:///abs/path and sqlite://rel/path follow the usual url spelling; sqlite:path is the short one.
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new StateConfigError(`state store url '${url}' names no database file`);
  return path;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function postgresLocation(url: string): StateLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the url: it may carry a password.
    throw new StateConfigError('state store url is not a valid postgres:// url (postgres://user:password@host:port/database)');
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StateConfigError(
      `postgres state store schema '${schema}' is not a plain lower-case identifier (letters, digits, underscore)`,
    );
  }
  parsed.searchParams.delete('schema');
  return { kind: 'postgres', url: parsed.toString(), schema };
}
