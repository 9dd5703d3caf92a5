import type Database from 'better-sqlite3';

export function bookmarkOps(db: Database.Database) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM bookmarks WHERE key = ?');
  const upsert = db.prepare<[string, string, number]>(
    `INSERT INTO bookmarks (key, value, updated_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms`,
  );
  return {
    getBookmark: (key: string): string | undefined => get.get(key)?.value,
    setBookmark: (key: string, value: string, nowMs: number): void => {
      upsert.run(key, value, nowMs);
    },
  };
}
