import type { VendorId } from '../../catalog/index.js';
import { sqlIdent, sqlText } from './layout.js';

export type { JobState } from './watermark.js';

let counter = 0;

/** A temp-table name unique within this process (the lake's DuckDB session is shared). */
export function tempName(what: string): string {
  counter += 1;
  return `__curator_${what}_${counter}`;
}

/** `CASE source_name WHEN 'alpaca' THEN 0 … ELSE n END`: the vendor's rank in a precedence list. */
export function precedenceCase(precedence: readonly VendorId[], column = 'source_name'): string {
  if (precedence.length === 0) return '0';
  const whens = precedence.map((vendor, i) => `WHEN ${sqlText(vendor)} THEN ${i}`).join(' ');
  return `CASE ${column} ${whens} ELSE ${precedence.length} END`;
}

/**
 * The sessions a run re-curates from the watermark: every input date after it, plus the last
 * `lookback` input dates at or before it (vendors correct recent bars).
 */
export function dirtyDates(dates: readonly (string | undefined)[], watermark: string | null, lookback: number): string[] {
  const distinct = [...new Set(dates.filter((d): d is string => d !== undefined))].sort();
  if (watermark === null) return distinct;
  const upTo = distinct.filter((d) => d <= watermark);
  const back = lookback > 0 ? upTo.slice(-lookback) : [];
  return [...back, ...distinct.filter((d) => d > watermark)];
}

/**
 * A relation of string columns as SQL text (VALUES list), typed VARCHAR even when empty. Values are
 * quoted literals, so nothing a vendor sent can change the statement.
 */
export function stringTable(columns: Record<string, readonly string[]>): string {
  const names = Object.keys(columns);
  const length = names.length === 0 ? 0 : (columns[names[0] as string] as readonly string[]).length;
  const typed = names.map((n, i) => `CAST(col${i} AS VARCHAR) AS ${sqlIdent(n)}`).join(', ');
  if (length === 0) return `SELECT ${names.map((n) => `CAST(NULL AS VARCHAR) AS ${sqlIdent(n)}`).join(', ')} WHERE false`;
  const rows: string[] = new Array<string>(length);
  for (let r = 0; r < length; r += 1) rows[r] = `(${names.map((n) => sqlText((columns[n] as readonly string[])[r] as string)).join(', ')})`;
  return `SELECT ${typed} FROM (VALUES ${rows.join(', ')}) AS v(${names.map((_, i) => `col${i}`).join(', ')})`;
}
