import { StateConfigError } from './errors.js';

export type StateLocation = { kind: 'sqlite'; path: string };

const MEMORY = ':memory:';
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Reads a state store url: `sqlite:<path>`, `sqlite://<path>`, `:memory:` or a plain file path.
 * PostgreSQL urls are recognised and refused until that backend exists.
 */
export function parseStateUrl(url: string): StateLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new StateConfigError('state store url is empty; expected sqlite:<path>, a file path or :memory:');
  if (trimmed === MEMORY) return { kind: 'sqlite', path: MEMORY };
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\state.db), i.e. a plain path.
  if (scheme === undefined || scheme.length === 1) return { kind: 'sqlite', path: trimmed };
  if (scheme === 'sqlite') return { kind: 'sqlite', path: sqlitePath(trimmed.slice('sqlite:'.length), url) };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new StateConfigError(
      'PostgreSQL state stores are not supported yet (that backend is not built); use sqlite:<path> for now',
    );
  }
  throw new StateConfigError(`unsupported state store url scheme '${scheme}:'; expected sqlite:<path>, a file path or :memory:`);
}

function sqlitePath(rest: string, url: string): string {
  // sqlite:///abs/path and sqlite://rel/path follow the usual url spelling; sqlite:path is the short one.
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new StateConfigError(`state store url '${url}' names no database file`);
  return path;
}
