import type { Clock } from '../../clock/index.js';
import type { LedgerRow } from '../../catalog/index.js';
import { sessionDatesBetween } from '../../calendar/index.js';
import type { Lake } from '../../lake/index.js';
import { gradeSession, type QcThresholds } from '../grade.js';
import { eodSessionsSql, vendorRowsJson, type EodDateRow, type MissingLimits, type SeenRow, type SeenSource } from './eod-sql.js';
import type { AuditWindow, DetailRow } from './types.js';

const MISSING_SAMPLE = 5;
/** Joins missing symbols in SQL (chr(31)): no ticker contains it. */
const MISSING_SEPARATOR = '\u001f';

/** Grades sessions from their counts: the rollup row, and one RED detail row per missing symbol on a partial session. */
export function gradeEodSessions(counts: readonly EodDateRow[], thresholds: QcThresholds, auditedAt: string): { ledger: LedgerRow[]; details: DetailRow[] } {
  const ledger: LedgerRow[] = [];
  const details: DetailRow[] = [];
  for (const c of counts) {
    const present = Number(c.present);
    const expected = Number(c.expected);
    const missing = c.missing === '' || c.missing === null ? [] : c.missing.split(MISSING_SEPARATOR);
    const grade = gradeSession(present, expected, thresholds, missing.slice(0, MISSING_SAMPLE));
    ledger.push({ dataset: 'equities_eod', date: c.date, status: grade.status, rows: present, expected_rows: expected, ratio: grade.ratio, vendor_rows: vendorRowsJson(c.vendor_counts.map(Number)), reason: grade.reason, audited_at: auditedAt });
    if (grade.status === 'RED') continue;
    for (const symbol of missing) {
      details.push({ dataset: 'equities_eod', scope: symbol, date: c.date, status: 'RED', rows: 0, expected_rows: 1, reason: 'listed, no bar from any vendor', vendors: '' });
    }
  }
  return { ledger, details };
}

/** Session counts for equities_eod over `files` (plus stored first/last bars when incremental). */
export async function countEodSessions(lake: Lake, files: readonly string[], seen: SeenSource, sessions: readonly string[], limits: MissingLimits): Promise<EodDateRow[]> {
  const symbolFiles = await lake.referenceFiles('symbols');
  return lake.query<EodDateRow>(eodSessionsSql(files, symbolFiles, seen, sessions, limits));
}

/** Session counts plus every symbol's listing (one scan of `files`). */
export async function countEodSessionsWithListing(
  lake: Lake,
  files: readonly string[],
  symbolFiles: readonly string[],
  seen: SeenSource,
  sessions: readonly string[],
): Promise<{ counts: EodDateRow[]; seen: SeenRow[] }> {
  const rows = await lake.query<(EodDateRow & { kind: 'date' }) | (SeenRow & { kind: 'seen' })>(eodSessionsSql(files, symbolFiles, seen, sessions, { red: MISSING_SAMPLE, partial: null }, true));
  const counts: EodDateRow[] = [];
  const listing: SeenRow[] = [];
  for (const row of rows) {
    if (row.kind === 'date') counts.push({ date: row.date, expected: row.expected, present: row.present, vendor_counts: row.vendor_counts, missing: row.missing });
    else listing.push({ symbol: row.symbol, first_date: row.first_date, last_date: row.last_date, start_date: row.start_date, end_date: row.end_date });
  }
  return { counts, seen: listing };
}

/**
 * Grades every session of the window for equities_eod from what is in the lake — never from what the
 * scheduler believes it wrote. A symbol is expected on a session inside its listing window: from its
 * IPO date (reference) or first bar seen by any vendor, until its delisting date (reference). So a
 * symbol that IPOs or delists inside the window is not a gap before or after it. Writes nothing.
 */
export async function auditEquitiesEod(options: { lake: Lake; clock: Clock; window: AuditWindow; thresholds: QcThresholds }): Promise<LedgerRow[]> {
  const { lake, clock, window, thresholds } = options;
  const sessions = sessionDatesBetween(window.start, window.end);
  if (sessions.length === 0) return [];
  const files = await lake.rawGlob('equities_eod');
  const counts = await countEodSessions(lake, files, { kind: 'files-only' }, sessions, { red: MISSING_SAMPLE, partial: MISSING_SAMPLE });
  return gradeEodSessions(counts, thresholds, new Date(clock.now()).toISOString()).ledger;
}

/** Every expected-but-absent symbol of the given sessions (for repair units). */
export async function missingSymbols(lake: Lake, dates: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const files = await lake.rawGlob('equities_eod');
  if (files.length === 0 || dates.length === 0) return result;
  const counts = await countEodSessions(lake, files, { kind: 'files-only' }, [...new Set(dates)].sort(), { red: null, partial: null });
  for (const row of counts) if (row.missing) result.set(row.date, row.missing.split(MISSING_SEPARATOR));
  return result;
}
