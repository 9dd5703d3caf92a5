import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EquityBarRow, SymbolRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake } from '../lake/index.js';
import { auditEquitiesEod } from './audit.js';

const SESSIONS = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
const clock = new VirtualClock({ start: Date.parse('2026-11-23T12:00:00Z') });
let dir: string;
let lake: Lake;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-'));
  lake = await Lake.open({ root: dir, clock });
});
afterEach(async () => {
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

function bar(symbol: string, date: string): EquityBarRow {
  return { symbol, date, open: 10, high: 11, low: 9, close: 10, volume: 100, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: 'alpaca', source_uri: 'https://x/v2/stocks/bars', ingested_at: '2026-11-23T12:00:00.000Z' };
}
function ref(symbol: string, status: string, delisted: string | null = null, ipo: string | null = null): SymbolRow {
  return { symbol, name: null, exchange: null, asset_type: null, status, ipo_date: ipo, delisted_date: delisted, source_name: 'alpaca', source_uri: 'https://x/v2/assets', ingested_at: '2026-11-23T12:00:00.000Z' };
}

async function write(barsByDate: Record<string, string[]>, symbols: SymbolRow[]): Promise<void> {
  for (const [date, present] of Object.entries(barsByDate)) await lake.writeRawPartition('equities_eod', 'alpaca', date, present.map((s) => bar(s, date)));
  await lake.writeReference('symbols', 'alpaca', symbols);
}

describe('auditEquitiesEod', () => {
  it('grades each session against the symbols listed that session, naming what is missing', async () => {
    // AAA trades throughout; CCC (active) stops after the third session: a real gap.
    await write({ '2026-11-16': ['AAA', 'CCC'], '2026-11-17': ['AAA', 'CCC'], '2026-11-18': ['AAA', 'CCC'], '2026-11-19': ['AAA'], '2026-11-20': ['AAA'] }, [ref('AAA', 'active'), ref('CCC', 'active')]);
    const rows = await auditEquitiesEod({ lake, clock, window: { start: SESSIONS[0] as string, end: SESSIONS[4] as string }, thresholds: { green_min_ratio: 0.98 } });
    expect(rows.map((r) => [r.date, r.status, r.rows, r.expected_rows])).toEqual([
      ['2026-11-16', 'GREEN', 2, 2],
      ['2026-11-17', 'GREEN', 2, 2],
      ['2026-11-18', 'GREEN', 2, 2],
      ['2026-11-19', 'AMBER', 1, 2],
      ['2026-11-20', 'AMBER', 1, 2],
    ]);
    expect(rows[3]?.reason).toBe('1 of 2 listed symbols missing (e.g. CCC)');
    expect(rows[3]?.vendor_rows).toBe('{"alpaca":1}');
  });

  it('does not expect a symbol after its delisting, dated or not, nor before its IPO', async () => {
    // BBB: inactive at the vendor with no date (Alpaca's assets) — expected through its last bar.
    // DDD: delisted on 2026-11-19. EEE: IPO on 2026-11-18.
    await write(
      { '2026-11-16': ['AAA', 'BBB', 'DDD'], '2026-11-17': ['AAA', 'BBB', 'DDD'], '2026-11-18': ['AAA', 'DDD', 'EEE'], '2026-11-19': ['AAA', 'EEE'], '2026-11-20': ['AAA', 'EEE'] },
      [ref('AAA', 'active'), ref('BBB', 'delisted'), ref('DDD', 'delisted', '2026-11-19'), ref('EEE', 'active', null, '2026-11-18')],
    );
    const rows = await auditEquitiesEod({ lake, clock, window: { start: SESSIONS[0] as string, end: SESSIONS[4] as string }, thresholds: { green_min_ratio: 0.98 } });
    expect(rows.map((r) => [r.date, r.status, r.expected_rows])).toEqual([
      ['2026-11-16', 'GREEN', 3],
      ['2026-11-17', 'GREEN', 3],
      ['2026-11-18', 'GREEN', 3],
      ['2026-11-19', 'GREEN', 2],
      ['2026-11-20', 'GREEN', 2],
    ]);
  });

  it('is RED where no vendor has anything for listed symbols', async () => {
    await write({ '2026-11-16': ['AAA'], '2026-11-18': ['AAA'] }, [ref('AAA', 'active')]);
    const rows = await auditEquitiesEod({ lake, clock, window: { start: '2026-11-16', end: '2026-11-18' }, thresholds: { green_min_ratio: 0.98 } });
    expect(rows.map((r) => [r.date, r.status, r.reason])).toEqual([
      ['2026-11-16', 'GREEN', 'complete'],
      ['2026-11-17', 'RED', 'no vendor data for 1 listed symbols'],
      ['2026-11-18', 'GREEN', 'complete'],
    ]);
  });
});
