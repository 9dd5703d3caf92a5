import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import { gateDependencies, isGreen } from './gate.js';
import { writeLedger } from './store.js';
import { INGESTED, tempLake } from './test-support/index.js';

let lake: Lake;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ lake, cleanup } = await tempLake()));
afterEach(async () => cleanup());

function row(dataset: string, date: string, status: LedgerRow['status'], reason = status === 'GREEN' ? 'complete' : 'gap'): LedgerRow {
  return { dataset, date, status, rows: 1, expected_rows: 1, ratio: status === 'GREEN' ? 1 : 0, vendor_rows: '{}', reason, audited_at: INGESTED };
}

describe('isGreen', () => {
  it('passes a window whose sessions are GREEN (NO_SESSION days do not count)', async () => {
    await writeLedger(lake, [row('equities_eod', '2026-11-25', 'GREEN'), row('equities_eod', '2026-11-26', 'NO_SESSION'), row('equities_eod', '2026-11-27', 'GREEN')]);
    expect(await isGreen(lake, 'equities_eod', { start: '2026-11-25', end: '2026-11-27' }, { green_min_ratio: 0.98 })).toEqual({
      dataset: 'equities_eod', green: true, sessions: 2, green_sessions: 2, failing: [],
    });
  });

  it('fails below green_min_ratio and lists the failing partitions, unaudited sessions as MISSING', async () => {
    await writeLedger(lake, [row('equities_eod', '2026-11-23', 'GREEN'), row('equities_eod', '2026-11-24', 'RED', 'no vendor data for 2 listed symbols'), row('equities_eod', '2026-11-27', 'UNAVAILABLE', 'outside reach')]);
    const result = await isGreen(lake, 'equities_eod', { start: '2026-11-23', end: '2026-11-27' }, { green_min_ratio: 0.5 });
    expect(result).toEqual({
      dataset: 'equities_eod', green: false, sessions: 4, green_sessions: 1,
      failing: [
        { date: '2026-11-24', status: 'RED', reason: 'no vendor data for 2 listed symbols' },
        { date: '2026-11-25', status: 'MISSING', reason: 'not in the ledger (run trademl audit)' },
        { date: '2026-11-27', status: 'UNAVAILABLE', reason: 'outside reach' },
      ],
    });
  });

  it('tolerates a few non-GREEN sessions within green_min_ratio', async () => {
    await writeLedger(lake, [row('equities_eod', '2026-11-23', 'GREEN'), row('equities_eod', '2026-11-24', 'AMBER'), row('equities_eod', '2026-11-25', 'GREEN'), row('equities_eod', '2026-11-27', 'GREEN')]);
    const result = await isGreen(lake, 'equities_eod', { start: '2026-11-23', end: '2026-11-27' }, { green_min_ratio: 0.75 });
    expect([result.green, result.sessions, result.green_sessions, result.failing.length]).toEqual([true, 4, 3, 1]);
  });

  it('judges corp_actions on its latest audit, whatever the window', async () => {
    await writeLedger(lake, [row('corp_actions', '2026-11-20', 'RED'), row('corp_actions', '2026-11-27', 'GREEN')]);
    expect((await isGreen(lake, 'corp_actions', { start: '2024-01-02', end: '2024-12-31' }, { green_min_ratio: 0.98 })).green).toBe(true);
  });

  it('names the dependencies of each gated dataset', () => {
    expect(gateDependencies('equities_ohlcv_adj')).toEqual(['equities_eod', 'corp_actions']);
    expect(gateDependencies('equities_minute')).toEqual(['equities_minute']);
    expect(gateDependencies('nonsense')).toEqual([]);
  });
});
