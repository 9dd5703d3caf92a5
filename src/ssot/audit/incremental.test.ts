import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EquityBarRow, LedgerRow } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import { auditEquitiesEod } from './eod.js';
import { auditDataset } from './run.js';
import { readLedger, readLedgerDetail, writeLedger } from './store.js';
import { clock, coverage, INGESTED, minuteBars, tempLake, THRESHOLDS } from './test-support/index.js';

let lake: Lake;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ lake, cleanup } = await tempLake()));
afterEach(async () => cleanup());

const WINDOW = { start: '2026-11-16', end: '2026-11-20' };
const SESSIONS = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];

function bars(date: string, symbols: string[]): EquityBarRow[] {
  return symbols.map((symbol) => ({ symbol, date, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: 'alpaca', source_uri: 'https://x', ingested_at: INGESTED }));
}

const eod = () => auditDataset({ lake, clock, window: WINDOW, thresholds: THRESHOLDS, spec: { dataset: 'equities_eod' } });
const pick = (rows: LedgerRow[]) => rows.filter((r) => r.status !== 'NO_SESSION').map((r) => [r.date, r.status, r.rows, r.expected_rows]);

describe('incremental audit, equities_eod', () => {
  it('re-reads nothing when no part changed, and only the new partition when one is added', async () => {
    for (const date of SESSIONS.slice(0, 4)) await lake.writeRawPartition('equities_eod', 'alpaca', date, bars(date, ['AAA', 'BBB']));
    const first = await eod();
    expect(first.stats).toMatchObject({ full: true, filesRead: 4 });
    expect(first.ledger.map((r) => r.status)).toEqual(['GREEN', 'GREEN', 'GREEN', 'GREEN', 'RED']);

    const again = await eod();
    expect(again.stats).toEqual({ full: false, filesRead: 0, regraded: [] });
    expect(pick(again.ledger)).toEqual(pick(first.ledger));

    await lake.writeRawPartition('equities_eod', 'alpaca', '2026-11-20', bars('2026-11-20', ['AAA']));
    const third = await eod();
    expect(third.stats.regraded).toEqual(['2026-11-20']);
    expect(third.stats.filesRead).toBe(2); // the new part, read once for the listing and once for the session
    expect(pick(third.ledger)).toEqual([
      ['2026-11-16', 'GREEN', 2, 2], ['2026-11-17', 'GREEN', 2, 2], ['2026-11-18', 'GREEN', 2, 2], ['2026-11-19', 'GREEN', 2, 2], ['2026-11-20', 'AMBER', 1, 2],
    ]);
    expect((await readLedgerDetail(lake, 'equities_eod')).map((d) => [d.date, d.scope, d.status])).toEqual([['2026-11-20', 'BBB', 'RED']]);
  });

  it('re-grades the sessions a backfilled older bar moves a listing over, matching a full audit', async () => {
    for (const date of SESSIONS.slice(2)) await lake.writeRawPartition('equities_eod', 'alpaca', date, bars(date, ['AAA', 'BBB']));
    for (const date of SESSIONS.slice(0, 2)) await lake.writeRawPartition('equities_eod', 'alpaca', date, bars(date, ['AAA']));
    await eod();
    // BBB's first bar moves from the 18th back to the 16th: the 17th now expects it too.
    await lake.writeRawPartition('equities_eod', 'polygon', '2026-11-16', bars('2026-11-16', ['BBB']));
    const incremental = await eod();
    expect(incremental.stats.regraded).toEqual(['2026-11-16', '2026-11-17']);
    const full = await auditEquitiesEod({ lake, clock, window: WINDOW, thresholds: THRESHOLDS });
    expect(pick(incremental.ledger)).toEqual(full.map((r) => [r.date, r.status, r.rows, r.expected_rows]));
    expect(pick(incremental.ledger)[1]).toEqual(['2026-11-17', 'AMBER', 1, 2]);
  });

  it('adds NO_SESSION rows for the window\'s non-session days and keeps other datasets\' ledger rows', async () => {
    await writeLedger(lake, [{ dataset: 'treasuries', date: '2026-11-16', status: 'GREEN', rows: 11, expected_rows: 11, ratio: 1, vendor_rows: '{"fred":11}', reason: 'complete', audited_at: INGESTED }]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2026-11-27', bars('2026-11-27', ['AAA']));
    const result = await auditDataset({ lake, clock, window: { start: '2026-11-26', end: '2026-11-29' }, thresholds: THRESHOLDS, spec: { dataset: 'equities_eod' } });
    expect(result.ledger.map((r) => [r.date, r.status])).toEqual([['2026-11-26', 'NO_SESSION'], ['2026-11-27', 'GREEN'], ['2026-11-28', 'NO_SESSION'], ['2026-11-29', 'NO_SESSION']]);
    expect(result.ledger[0]?.reason).toBe('not an NYSE session');
    expect((await readLedger(lake, 'treasuries')).map((r) => r.status)).toEqual(['GREEN']);
    expect((await readLedger(lake, 'equities_eod')).length).toBe(4);
  });
});

describe('incremental audit, scope datasets', () => {
  const spec = { dataset: 'equities_minute' as const, symbols: ['AAA'] };
  const window = { start: '2026-11-16', end: '2026-11-18' };

  it('re-grades only the partition with a new part, and a partition whose coverage changed', async () => {
    for (const date of ['2026-11-16', '2026-11-17']) await lake.writeRawPartition('equities_minute', 'alpaca', date, minuteBars('AAA', date, 390));
    const first = await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec, coverage: [] });
    expect(first.stats).toEqual({ full: true, filesRead: 2, regraded: SESSIONS.slice(0, 3) });
    expect(first.ledger.map((r) => r.status)).toEqual(['GREEN', 'GREEN', 'RED']);

    const again = await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec, coverage: [] });
    expect(again.stats).toEqual({ full: false, filesRead: 0, regraded: [] });

    await lake.writeRawPartition('equities_minute', 'alpaca', '2026-11-17', minuteBars('AAA', '2026-11-17', 100).map((b) => ({ ...b, ts: new Date(Date.parse(b.ts) + 15_000).toISOString() })));
    const grown = await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec, coverage: [] });
    expect(grown.stats).toEqual({ full: false, filesRead: 2, regraded: ['2026-11-17'] });
    expect(grown.ledger.map((r) => r.status)).toEqual(['GREEN', 'AMBER', 'RED']);

    // A fetch of the 18th that came back empty (an illiquid day): only the 18th is re-graded, now GREEN.
    const fetched = [coverage('equities_minute', 'alpaca', 'alpaca.minute', 'AAA', '2026-11-18', '2026-11-18', 0)];
    const covered = await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec, coverage: fetched });
    expect(covered.stats).toEqual({ full: false, filesRead: 0, regraded: ['2026-11-18'] });
    expect(covered.ledger.map((r) => [r.status, r.reason])).toEqual([
      ['GREEN', 'complete'], ['AMBER', '1 of 1 symbols not GREEN (0 RED, 1 AMBER): AAA: 490 minutes for 390 expected (above 1.2: duplicates)'], ['GREEN', 'complete'],
    ]);
  });

  it('re-grades everything when the inputs change (a new symbol list)', async () => {
    await lake.writeRawPartition('equities_minute', 'alpaca', '2026-11-16', minuteBars('AAA', '2026-11-16', 390));
    await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec, coverage: [] });
    const wider = await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec: { ...spec, symbols: ['AAA', 'BBB'] }, coverage: [] });
    expect(wider.stats.full).toBe(true);
    expect(wider.ledger.map((r) => r.status)).toEqual(['AMBER', 'RED', 'RED']);
  });
});

describe('coverage from the lake', () => {
  it('reads the lake\'s coverage record when the caller passes none', async () => {
    await lake.recordCoverage([coverage('options_bars', 'alpaca', 'alpaca.options.bars', 'SPY', '2026-11-16', '2026-11-16', 0)]);
    const result = await auditDataset({ lake, clock, window: { start: '2026-11-16', end: '2026-11-17' }, thresholds: THRESHOLDS, spec: { dataset: 'options_bars', underliers: ['SPY'] } });
    expect(result.ledger.map((r) => [r.date, r.status, r.reason])).toEqual([['2026-11-16', 'GREEN', 'complete'], ['2026-11-17', 'RED', 'no rows for 1 underliers']]);
  });
});
