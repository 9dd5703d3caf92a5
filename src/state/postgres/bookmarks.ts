import type { Queryable } from './db.js';

export function bookmarkOps(db: Queryable) {
  return {
    getBookmark: async (key: string): Promise<string | undefined> => {
      const result = await db.query<{ value: string }>('SELECT value FROM bookmarks WHERE key = $1', [key]);
      return result.rows[0]?.value;
    },
    setBookmark: async (key: string, value: string, nowMs: number): Promise<void> => {
      await db.query(
        `INSERT INTO bookmarks (key, value, updated_at_ms) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms`,
        [key, value, nowMs],
      );
    },
  };
}
