import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_SEEN_COLUMNS, DUCKDB_TYPE, LEDGER_DETAIL_COLUMNS, type EquityBarRow, type SymbolRow } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import { auditDataset } from './run.js';
import { packedRowsSql } from './sql.js';
import { readLedgerDetail, writeLedgerDetail } from './store.js';
import { clock, INGESTED, tempLake, THRESHOLDS } from './test-support/index.js';
import type { DetailRow } from './types.js';

let lake: Lake;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ lake, cleanup } = await tempLake()));
afterEach(async () => cleanup());

const schemaOf = async (view: string) =>
  (await lake.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${view})`)).map((c) => [c.column_name, c.column_type]);
const declared = (columns: Record<string, { kind: keyof typeof DUCKDB_TYPE }>) => Object.entries(columns).map(([name, spec]) => [name, DUCKDB_TYPE[spec.kind]]);

function detail(date: string, scope: string, status: DetailRow['status'], reason: string, rows = 0, vendors = ''): DetailRow {
  return { dataset: 'equities_minute', scope, date, status, rows, expected_rows: 390, reason, vendors };
}

describe('packedRowsSql', () => {
  it('gives back the rows with their types, nulls, quotes and empty strings', async () => {
    const columns = [
      { name: 'name', type: 'VARCHAR' as const },
      { name: 'day', type: 'DATE' as const, nullable: true },
      { name: 'n', type: 'BIGINT' as const },
      { name: 'x', type: 'DOUBLE' as const },
    ];
    const rows = await lake.query(packedRowsSql(columns, [["O'Neil", '2026-11-20', '3', '0.5'], ['', null, '-4', '1e3']]));
    expect(rows).toEqual([{ name: "O'Neil", day: '2026-11-20', n: 3, x: 0.5 }, { name: '', day: null, n: -4, x: 1000 }]);
    const empty = await lake.query(`SELECT typeof(day) AS t FROM (${packedRowsSql(columns, [])})`);
    expect(empty).toEqual([]);
  });
});

describe('writeLedgerDetail', () => {
  it('writes rows sorted by date then scope, with the declared columns, however they arrive', async () => {
    const rows = [
      detail('2026-11-24', 'BBB', 'AMBER', '590 minutes for 390 expected (above 1.2: duplicates)', 590, 'alpaca'),
      detail('2026-11-23', 'CCC', 'RED', 'no rows from any vendor'),
      detail('2026-11-23', 'AAA', 'RED', 'no rows from any vendor'),
      detail('2026-11-23', 'BBB', 'AMBER', "300 of 390 minutes (below 0.9 of 'expected')", 300, 'alpaca,polygon'),
    ];
    await writeLedgerDetail(lake, 'equities_minute', rows);
    expect((await readLedgerDetail(lake, 'equities_minute')).map((r) => [r.date, r.scope, r.status, r.rows, r.reason, r.vendors])).toEqual([
      ['2026-11-23', 'AAA', 'RED', 0, 'no rows from any vendor', ''],
      ['2026-11-23', 'BBB', 'AMBER', 300, "300 of 390 minutes (below 0.9 of 'expected')", 'alpaca,polygon'],
      ['2026-11-23', 'CCC', 'RED', 0, 'no rows from any vendor', ''],
      ['2026-11-24', 'BBB', 'AMBER', 590, '590 minutes for 390 expected (above 1.2: duplicates)', 'alpaca'],
    ]);
    expect(await schemaOf('ledger')).toEqual(declared(LEDGER_DETAIL_COLUMNS));
    await writeLedgerDetail(lake, 'equities_minute', []);
    expect(await readLedgerDetail(lake, 'equities_minute')).toEqual([]);
  });
});

describe('audit_seen', () => {
  it('stores each symbol\'s listing with the declared columns, an open end as null', async () => {
    const bar = (symbol: string, date: string): EquityBarRow => ({ symbol, date, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: 'alpaca', source_uri: 'https://x', ingested_at: INGESTED });
    const ref = (symbol: string, status: string): SymbolRow => ({ symbol, name: null, exchange: null, asset_type: null, status, ipo_date: null, delisted_date: null, source_name: 'alpaca', source_uri: 'https://x', ingested_at: INGESTED });
    await lake.writeRawPartition('equities_eod', 'alpaca', '2026-11-16', [bar('AAA', '2026-11-16'), bar('BBB', '2026-11-16')]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2026-11-17', [bar('AAA', '2026-11-17')]);
    await lake.writeReference('symbols', 'alpaca', [ref('AAA', 'active'), ref('BBB', 'delisted')]);
    await auditDataset({ lake, clock, window: { start: '2026-11-16', end: '2026-11-17' }, thresholds: THRESHOLDS, spec: { dataset: 'equities_eod' } });
    expect(await lake.query('SELECT * FROM audit_seen ORDER BY symbol')).toEqual([
      { symbol: 'AAA', first_date: '2026-11-16', last_date: '2026-11-17', start_date: '2026-11-16', end_date: null },
      { symbol: 'BBB', first_date: '2026-11-16', last_date: '2026-11-16', start_date: '2026-11-16', end_date: '2026-11-17' },
    ]);
    expect(await schemaOf('audit_seen')).toEqual(declared(AUDIT_SEEN_COLUMNS));
  });
});
