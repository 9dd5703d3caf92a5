import type { Clock } from '../clock/index.js';
import { LEDGER_COLUMNS, LEDGER_PATH, type LedgerRow } from '../catalog/index.js';
import { sessionDatesBetween } from '../calendar/index.js';
import { sqlFileList, type Lake } from '../lake/index.js';
import { gradeSession, type QcThresholds } from './grade.js';

export interface AuditWindow {
  start: string;
  end: string;
}

interface SessionCounts {
  date: string;
  expected: number;
  present: number;
  vendor_rows: string;
  missing_sample: string[] | null;
}

const MISSING_SAMPLE = 5;

/**
 * Grades every session of the window for equities_eod from what is in the lake — never from what the
 * scheduler believes it wrote. A symbol is expected on a session inside its listing window: from its
 * IPO date (reference) or first bar seen by any vendor, until its delisting date (reference). So a
 * symbol that IPOs or delists inside the window is not a gap before or after it.
 */
export async function auditEquitiesEod(options: { lake: Lake; clock: Clock; window: AuditWindow; thresholds: QcThresholds }): Promise<LedgerRow[]> {
  const { lake, clock, window, thresholds } = options;
  const sessions = sessionDatesBetween(window.start, window.end);
  if (sessions.length === 0) return [];
  const auditedAt = new Date(clock.now()).toISOString();
  const counts = await countSessions(lake, sessions);
  return counts.map((c) => {
    const grade = gradeSession(c.present, c.expected, thresholds, c.missing_sample ?? []);
    return {
      dataset: 'equities_eod',
      date: c.date,
      status: grade.status,
      rows: c.present,
      expected_rows: c.expected,
      ratio: grade.ratio,
      vendor_rows: c.vendor_rows,
      reason: grade.reason,
      audited_at: auditedAt,
    };
  });
}

async function countSessions(lake: Lake, sessions: string[]): Promise<SessionCounts[]> {
  const files = await lake.rawGlob('equities_eod');
  if (files.length === 0) {
    return sessions.map((date) => ({ date, expected: 0, present: 0, vendor_rows: '{}', missing_sample: null }));
  }
  const sql = `
    ${await expectedCtes(lake, files, sessions)},
    present AS (SELECT DISTINCT e.date, e.symbol, b.source_name FROM expected e JOIN bars b ON b.date = e.date AND b.symbol = e.symbol),
    per_vendor AS (
      SELECT date, '{' || string_agg('"' || source_name || '":' || n, ',' ORDER BY source_name) || '}' AS vendor_rows
      FROM (SELECT date, source_name, count(*) AS n FROM present GROUP BY ALL) GROUP BY date),
    missing AS (
      SELECT e.date, list(e.symbol ORDER BY e.symbol)[1:${MISSING_SAMPLE}] AS missing_sample
      FROM expected e ANTI JOIN present p ON p.date = e.date AND p.symbol = e.symbol GROUP BY e.date),
    expected_n AS (SELECT date, count(*) AS n FROM expected GROUP BY date),
    present_n AS (SELECT date, count(DISTINCT symbol) AS n FROM present GROUP BY date)
    SELECT strftime(s.date, '%Y-%m-%d') AS date, coalesce(en.n, 0)::BIGINT AS expected, coalesce(pn.n, 0)::BIGINT AS present,
      coalesce(v.vendor_rows, '{}') AS vendor_rows, m.missing_sample
    FROM sessions s LEFT JOIN expected_n en USING (date) LEFT JOIN present_n pn USING (date)
      LEFT JOIN per_vendor v USING (date) LEFT JOIN missing m USING (date)
    ORDER BY s.date`;
  return lake.query<SessionCounts>(sql);
}

/**
 * The CTEs `bars`, `listing`, `sessions` and `expected` (date, symbol). A symbol is expected from its
 * IPO date or first bar, until its delisting date. A symbol some vendor reports as delisted without
 * a date (Alpaca's inactive assets carry none) is expected through its last bar seen: otherwise it
 * would hold every later session below GREEN and send repair after bars that cannot exist. When the
 * lake holds a symbol reference, only symbols it lists are expected, so vendor-only junk tickers
 * (warrants, test issues) cannot hold a session below GREEN; without one, every symbol seen is.
 */
async function expectedCtes(lake: Lake, files: string[], sessions: string[]): Promise<string> {
  const symbolFiles = await lake.referenceFiles('symbols');
  const sessionValues = sessions.map((d) => `(DATE '${d}')`).join(',');
  const listing = symbolFiles.length
    ? `SELECT f.symbol, least(f.first_date, coalesce(r.ipo_date, f.first_date)) AS start_date,
         coalesce(r.delisted_date, CASE WHEN r.delisted THEN CAST(f.last_date + INTERVAL 1 DAY AS DATE) END) AS end_date
       FROM first_seen f JOIN (SELECT symbol, min(delisted_date) AS delisted_date, min(ipo_date) AS ipo_date, bool_or(status = 'delisted') AS delisted
         FROM read_parquet(${sqlFileList(symbolFiles)}, union_by_name = true) GROUP BY symbol) r USING (symbol)`
    : `SELECT symbol, first_date AS start_date, NULL::DATE AS end_date FROM first_seen`;
  return `WITH bars AS (SELECT DISTINCT symbol, date, source_name FROM read_parquet(${sqlFileList(files)}, union_by_name = true)),
    first_seen AS (SELECT symbol, min(date) AS first_date, max(date) AS last_date FROM bars GROUP BY symbol),
    listing AS (${listing}),
    sessions AS (SELECT d AS date FROM (VALUES ${sessionValues}) v(d)),
    expected AS (
      SELECT s.date, l.symbol FROM sessions s JOIN listing l
        ON s.date >= l.start_date AND (l.end_date IS NULL OR s.date < l.end_date))`;
}

/** Every expected-but-absent symbol of the given sessions (for repair units). */
export async function missingSymbols(lake: Lake, dates: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const files = await lake.rawGlob('equities_eod');
  if (files.length === 0 || dates.length === 0) return result;
  const rows = await lake.query<{ date: string; symbols: string[] }>(`
    ${await expectedCtes(lake, files, [...dates])}
    SELECT strftime(e.date, '%Y-%m-%d') AS date, list(e.symbol ORDER BY e.symbol) AS symbols
    FROM expected e ANTI JOIN bars b ON b.date = e.date AND b.symbol = e.symbol GROUP BY e.date`);
  for (const row of rows) result.set(row.date, [...row.symbols]);
  return result;
}


/**
 * Replaces the ledger rows of the audited datasets and keeps every other dataset's rows, so an audit
 * of one table never drops another's history (the original overwrote the whole ledger).
 */
export async function writeLedger(lake: Lake, rows: LedgerRow[]): Promise<void> {
  const audited = new Set(rows.map((r) => r.dataset));
  const kept = (await lake.readTable<LedgerRow>(LEDGER_PATH)).filter((r) => !audited.has(r.dataset));
  const all = [...kept, ...rows].sort((a, b) => (a.dataset === b.dataset ? (a.date < b.date ? -1 : 1) : a.dataset < b.dataset ? -1 : 1));
  await lake.writeTable(LEDGER_PATH, LEDGER_COLUMNS, all);
}

export async function readLedger(lake: Lake, dataset?: string): Promise<LedgerRow[]> {
  const rows = await lake.readTable<LedgerRow>(LEDGER_PATH);
  return dataset === undefined ? rows : rows.filter((r) => r.dataset === dataset);
}

export interface LedgerSummary {
  sessions: number;
  green: number;
  amber: number;
  red: number;
  greenRatio: number;
}

export function summarizeLedger(rows: readonly LedgerRow[]): LedgerSummary {
  const count = (status: string): number => rows.filter((r) => r.status === status).length;
  const sessions = rows.filter((r) => r.status !== 'NO_SESSION').length;
  const green = count('GREEN');
  return { sessions, green, amber: count('AMBER'), red: count('RED'), greenRatio: sessions === 0 ? 0 : green / sessions };
}
