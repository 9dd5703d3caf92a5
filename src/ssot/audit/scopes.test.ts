import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lake } from '../../lake/index.js';
import { readLedger, readLedgerDetail } from './store.js';
import { auditDataset } from './run.js';
import { macroObservationDates } from './plans.js';
import { chainHistRows, chainRows, clock, coverage, macroRow, minuteBars, optionBars, tempLake, THRESHOLDS, treasuryRow } from './test-support/index.js';

let lake: Lake;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ lake, cleanup } = await tempLake()));
afterEach(async () => cleanup());

// Thanksgiving week 2026: Thursday 26 closed, Friday 27 closes at 13:00 (210 minutes).
const WEEK = { start: '2026-11-23', end: '2026-11-29' };
const statusByDate = (rows: { date: string; status: string }[]) => Object.fromEntries(rows.map((r) => [r.date, r.status]));

describe('auditDataset equities_minute', () => {
  async function writeWeek(): Promise<void> {
    for (const date of ['2026-11-23', '2026-11-24', '2026-11-25']) await lake.writeRawPartition('equities_minute', 'alpaca', date, minuteBars('AAA', date, 390));
    await lake.writeRawPartition('equities_minute', 'alpaca', '2026-11-27', minuteBars('AAA', '2026-11-27', 210));
    await lake.writeRawPartition('equities_minute', 'alpaca', '2026-11-23', minuteBars('BBB', '2026-11-23', 300));
    // 390 minutes plus 200 bars at half-minute offsets: the same session written twice, shifted.
    await lake.writeRawPartition('equities_minute', 'alpaca', '2026-11-24', [...minuteBars('BBB', '2026-11-24', 390), ...minuteBars('BBB', '2026-11-24', 200, 60).map((b) => ({ ...b, ts: new Date(Date.parse(b.ts) + 30_000).toISOString() }))]);
  }

  it('grades minutes per symbol and session: short → AMBER, duplicates → AMBER, fetched-empty → GREEN, absent → RED, half days scaled', async () => {
    await writeWeek();
    const result = await auditDataset({
      lake, clock, window: WEEK, thresholds: THRESHOLDS, spec: { dataset: 'equities_minute', symbols: ['AAA', 'BBB'] },
      coverage: [coverage('equities_minute', 'alpaca', 'alpaca.minute', 'BBB', '2026-11-25', '2026-11-25', 0)],
    });
    expect(statusByDate(result.ledger)).toEqual({
      '2026-11-23': 'AMBER', '2026-11-24': 'AMBER', '2026-11-25': 'GREEN', '2026-11-26': 'NO_SESSION', '2026-11-27': 'AMBER', '2026-11-28': 'NO_SESSION', '2026-11-29': 'NO_SESSION',
    });
    expect(result.details.map((d) => [d.date, d.scope, d.status, d.rows, d.expected_rows, d.reason])).toEqual([
      ['2026-11-23', 'BBB', 'AMBER', 300, 390, '300 of 390 minutes (below 0.9 of expected)'],
      ['2026-11-24', 'BBB', 'AMBER', 590, 390, '590 minutes for 390 expected (above 1.2: duplicates)'],
      ['2026-11-27', 'BBB', 'RED', 0, 210, 'no rows from any vendor'],
    ]);
    const friday = result.ledger.find((r) => r.date === '2026-11-27');
    expect([friday?.rows, friday?.expected_rows, friday?.vendor_rows]).toEqual([1, 2, '{"alpaca":1}']);
    expect(friday?.reason).toBe('1 of 2 symbols not GREEN (1 RED, 0 AMBER): BBB: no rows from any vendor');
    // Written: the rollup in qc/partition_status.parquet, the detail under qc/ledger/dataset=equities_minute/.
    expect((await readLedger(lake, 'equities_minute')).length).toBe(7);
    expect((await readLedgerDetail(lake, 'equities_minute')).map((d) => d.scope)).toEqual(['BBB', 'BBB', 'BBB']);
  });

  it('expects 390 minutes on an early close when half days are not allowed', async () => {
    await lake.writeRawPartition('equities_minute', 'alpaca', '2026-11-27', minuteBars('AAA', '2026-11-27', 210));
    const window = { start: '2026-11-27', end: '2026-11-27' };
    const allowed = await auditDataset({ lake, clock, window, thresholds: THRESHOLDS, spec: { dataset: 'equities_minute', symbols: ['AAA'] } });
    expect(allowed.ledger.map((r) => r.status)).toEqual(['GREEN']);
    const strict = await auditDataset({ lake, clock, window, thresholds: { ...THRESHOLDS, allow_halfdays: false }, spec: { dataset: 'equities_minute', symbols: ['AAA'] } });
    expect(strict.ledger.map((r) => r.status)).toEqual(['AMBER']);
    expect(strict.details[0]?.reason).toBe('210 of 390 minutes (below 0.9 of expected)');
  });
});

describe('auditDataset options', () => {
  it('options_chain: an underlier needs one snapshot a session', async () => {
    await lake.writeRawPartition('options_chain', 'alpaca', '2026-11-23', chainRows('SPY', '2026-11-23', 3, '2026-11-23T20:00:00.000Z'));
    await lake.writeRawPartition('options_chain', 'finnhub', '2026-11-24', chainRows('SPY', '2026-11-24', 3, '2026-11-24T20:00:00.000Z', 'finnhub'));
    await lake.writeRawPartition('options_chain', 'alpaca', '2026-11-24', chainRows('QQQ', '2026-11-24', 3, '2026-11-24T20:00:00.000Z'));
    const result = await auditDataset({ lake, clock, window: { start: '2026-11-23', end: '2026-11-24' }, thresholds: THRESHOLDS, spec: { dataset: 'options_chain', underliers: ['SPY', 'QQQ'] } });
    expect(result.ledger.map((r) => [r.date, r.status, r.rows, r.expected_rows, r.vendor_rows])).toEqual([
      ['2026-11-23', 'AMBER', 1, 2, '{"alpaca":1}'],
      ['2026-11-24', 'GREEN', 2, 2, '{"alpaca":1,"finnhub":1}'],
    ]);
    expect(result.details.map((d) => [d.date, d.scope, d.status])).toEqual([['2026-11-23', 'QQQ', 'RED']]);
  });

  it('options_chain_hist: fewer than expect_contracts_min contracts is AMBER', async () => {
    await lake.writeRawPartition('options_chain_hist', 'av', '2026-11-23', [...chainHistRows('SPY', '2026-11-23', 60), ...chainHistRows('QQQ', '2026-11-23', 10)]);
    const result = await auditDataset({ lake, clock, window: { start: '2026-11-23', end: '2026-11-23' }, thresholds: THRESHOLDS, spec: { dataset: 'options_chain_hist', underliers: ['SPY', 'QQQ'], expectContractsMin: 50 } });
    expect(result.ledger.map((r) => r.status)).toEqual(['AMBER']);
    expect(result.details.map((d) => [d.scope, d.status, d.reason, d.vendors])).toEqual([['QQQ', 'AMBER', '10 contracts, fewer than 50', 'av']]);
  });

  it('options_bars: sessions before every vendor\'s history floor are UNAVAILABLE, not RED', async () => {
    await lake.writeRawPartition('options_bars', 'alpaca', '2024-02-02', optionBars('SPY', '2024-02-02', 2));
    const result = await auditDataset({
      lake, clock, window: { start: '2024-01-29', end: '2024-02-02' }, thresholds: THRESHOLDS, spec: { dataset: 'options_bars', underliers: ['SPY'] },
      reach: [{ vendor: 'alpaca', from: '2024-02-01' }],
    });
    expect(result.ledger.map((r) => [r.date, r.status])).toEqual([
      ['2024-01-29', 'UNAVAILABLE'], ['2024-01-30', 'UNAVAILABLE'], ['2024-01-31', 'UNAVAILABLE'], ['2024-02-01', 'RED'], ['2024-02-02', 'GREEN'],
    ]);
    expect(result.ledger[0]?.reason).toBe('no entitled vendor reaches any of 1 underliers');
  });
});

describe('auditDataset treasuries and macro_series', () => {
  const TENORS = ['DGS1MO', 'DGS3MO', 'DGS6MO', 'DGS1', 'DGS2', 'DGS3', 'DGS5', 'DGS7', 'DGS10', 'DGS20', 'DGS30'];

  it('counts FRED\'s null-yield rows on a bond-market holiday as present', async () => {
    await lake.writeRawPartition('treasuries', 'fred', '2026-11-10', TENORS.map((s) => treasuryRow(s, '2026-11-10', 4.1)));
    // Veterans Day: NYSE open, bond market closed; FRED publishes '.' for every tenor.
    await lake.writeRawPartition('treasuries', 'fred', '2026-11-11', TENORS.map((s) => treasuryRow(s, '2026-11-11', null)));
    await lake.writeRawPartition('treasuries', 'fred', '2026-11-12', TENORS.slice(0, 10).map((s) => treasuryRow(s, '2026-11-12', 4.2)));
    const result = await auditDataset({ lake, clock, window: { start: '2026-11-10', end: '2026-11-12' }, thresholds: THRESHOLDS, spec: { dataset: 'treasuries', series: TENORS } });
    expect(result.ledger.map((r) => [r.date, r.status, r.rows, r.expected_rows])).toEqual([
      ['2026-11-10', 'GREEN', 11, 11], ['2026-11-11', 'GREEN', 11, 11], ['2026-11-12', 'AMBER', 10, 11],
    ]);
    expect(result.details.map((d) => [d.date, d.scope])).toEqual([['2026-11-12', 'DGS30']]);
  });

  it('expects each series\' observations up to the last period due', () => {
    const window = { start: '2026-01-01', end: '2026-06-30' };
    expect(macroObservationDates({ id: 'CPIAUCSL', frequency: 'monthly' }, window)).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
    expect(macroObservationDates({ id: 'GDP', frequency: 'quarterly' }, window)).toEqual(['2026-01-01']);
    expect(macroObservationDates({ id: 'GDP', frequency: 'quarterly' }, { start: '2025-02-15', end: '2026-06-30' })).toEqual(['2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01']);
  });

  it('grades macro observations per series and period', async () => {
    for (const date of ['2026-01-01', '2026-02-01', '2026-04-01']) await lake.writeRawPartition('macro_series', 'fred', date, [macroRow('CPIAUCSL', date)]);
    await lake.writeRawPartition('macro_series', 'fred', '2026-01-01', [macroRow('GDP', '2026-01-01')]);
    const result = await auditDataset({
      lake, clock, window: { start: '2026-01-01', end: '2026-06-30' }, thresholds: THRESHOLDS,
      spec: { dataset: 'macro_series', series: [{ id: 'CPIAUCSL', frequency: 'monthly' }, { id: 'GDP', frequency: 'quarterly' }] },
    });
    expect(result.ledger.map((r) => [r.date, r.status, r.expected_rows])).toEqual([
      ['2026-01-01', 'GREEN', 2], ['2026-02-01', 'GREEN', 1], ['2026-03-01', 'RED', 1], ['2026-04-01', 'GREEN', 1],
    ]);
  });
});
