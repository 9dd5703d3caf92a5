import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CorpActionRow, DelistingRow, RowFor, SymbolRow } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import { auditDataset } from './run.js';
import { clock, coverage, INGESTED, tempLake, THRESHOLDS } from './test-support/index.js';

let lake: Lake;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ lake, cleanup } = await tempLake()));
afterEach(async () => cleanup());

const origin = (vendor: string, ingested = INGESTED) => ({ source_name: vendor, source_uri: 'https://x', ingested_at: ingested });

describe('auditDataset reference datasets', () => {
  it('corp_actions: per symbol, covered back to earliest; a fetch that found nothing counts', async () => {
    const split: CorpActionRow = { symbol: 'CCC', action: 'split', ex_date: '2020-08-31', split_ratio: 4, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null, ...origin('polygon') };
    await lake.writeReference('corp_actions', 'polygon', [split]);
    const result = await auditDataset({
      lake, clock, window: { start: '2026-11-01', end: '2026-11-27' }, thresholds: THRESHOLDS,
      spec: { dataset: 'corp_actions', symbols: ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'], earliest: '2000-01-01' },
      reach: [{ vendor: 'av', scopes: ['AAA', 'BBB', 'CCC', 'DDD'] }],
      coverage: [
        coverage('corp_actions', 'av', 'av.splits', 'AAA', '2000-01-01', '2015-12-31', 0),
        coverage('corp_actions', 'av', 'av.splits', 'AAA', '2016-01-01', '2026-11-27', 0),
        coverage('corp_actions', 'av', 'av.splits', 'BBB', '2020-01-01', '2026-11-27', 2),
      ],
    });
    expect(result.ledger.map((r) => [r.date, r.status, r.rows, r.expected_rows])).toEqual([['2026-11-27', 'AMBER', 1, 4]]);
    expect(result.details.map((d) => [d.scope, d.status, d.reason])).toEqual([
      ['BBB', 'AMBER', 'fetched only 2020-01-01 .. 2026-11-27; wanted 2000-01-01 .. 2026-11-27'],
      ['CCC', 'AMBER', 'rows present but no fetch recorded; wanted 2000-01-01 .. 2026-11-27'],
      ['DDD', 'RED', 'never fetched (wanted 2000-01-01 .. 2026-11-27)'],
      ['EEE', 'UNAVAILABLE', "outside every entitled vendor's reach"],
    ]);
  });

  it('delistings: per year chunk from earliest', async () => {
    const row: DelistingRow = { symbol: 'OLD', delisted_date: '2026-03-02', name: null, exchange: null, ipo_date: null, ...origin('av') };
    await lake.writeReference('delistings', 'av', [row]);
    const result = await auditDataset({
      lake, clock, window: { start: '2024-01-01', end: '2026-11-27' }, thresholds: THRESHOLDS, spec: { dataset: 'delistings', earliest: '2024-01-01' },
      coverage: [coverage('delistings', 'av', 'av.listing_status', '*', '2024-01-01', '2025-12-31', 0)],
    });
    expect(result.ledger.map((r) => [r.date, r.status, r.rows])).toEqual([['2024-01-01', 'GREEN', 0], ['2025-01-01', 'GREEN', 0], ['2026-01-01', 'AMBER', 1]]);
  });

  it('symbols: a snapshot per session, from rows ingested that day or a recorded fetch', async () => {
    const snapshot: SymbolRow = { symbol: 'AAA', name: null, exchange: null, asset_type: null, status: 'active', ipo_date: null, delisted_date: null, ...origin('alpaca', '2026-11-23T22:00:00.000Z') };
    await lake.writeReference('symbols', 'alpaca', [snapshot]);
    const result = await auditDataset({
      lake, clock, window: { start: '2026-11-23', end: '2026-11-26' }, thresholds: THRESHOLDS, spec: { dataset: 'symbols' },
      coverage: [coverage('symbols', 'alpaca', 'alpaca.assets', '*', '2026-11-24', '2026-11-24', 1)],
    });
    expect(result.ledger.map((r) => [r.date, r.status, r.reason])).toEqual([
      ['2026-11-23', 'GREEN', 'complete'], ['2026-11-24', 'GREEN', 'complete'], ['2026-11-25', 'RED', 'no rows for 1 snapshots'], ['2026-11-26', 'NO_SESSION', 'not an NYSE session'],
    ]);
  });

  it('fundamentals: per symbol and fiscal year due, one row-set per statement; symbols outside the free sample are UNAVAILABLE', async () => {
    const metric = (statement: string, year: number): RowFor<'fundamentals'> => ({ symbol: 'AAA', statement, period_end: `${year}-12-31`, fiscal_year: year, fiscal_period: 'FY', currency: 'USD', filing_date: null, accepted_at: null, metric: 'revenue', value: 1, ...origin('fmp') });
    await lake.writeReference('fundamentals', 'fmp', [metric('income', 2024), metric('balance', 2024), metric('cashflow', 2024), metric('income', 2025), metric('balance', 2025)]);
    const result = await auditDataset({
      lake, clock, window: { start: '2024-01-01', end: '2026-11-27' }, thresholds: THRESHOLDS, spec: { dataset: 'fundamentals', symbols: ['AAA', 'ZZZ'] },
      reach: [{ vendor: 'fmp', scopes: ['AAA'] }], coverage: [],
    });
    expect(result.ledger.map((r) => [r.date, r.status, r.reason])).toEqual([
      ['2024-01-01', 'GREEN', 'complete; 1 unavailable'],
      ['2025-01-01', 'AMBER', '1 of 1 symbols not GREEN (0 RED, 1 AMBER); 1 unavailable: AAA: 2 of 3 statements'],
    ]);
    expect(result.details.map((d) => [d.date, d.scope, d.status])).toEqual([['2024-01-01', 'ZZZ', 'UNAVAILABLE'], ['2025-01-01', 'AAA', 'AMBER'], ['2025-01-01', 'ZZZ', 'UNAVAILABLE']]);
  });
});
