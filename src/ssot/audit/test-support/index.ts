import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CoverageEntry, DatasetName, EndpointId, RowFor, VendorId } from '../../../catalog/index.js';
import { nyInstant } from '../../../calendar/index.js';
import { VirtualClock } from '../../../clock/index.js';
import { Lake } from '../../../lake/index.js';

export const clock = new VirtualClock({ start: Date.parse('2026-12-01T12:00:00Z') });
export const INGESTED = '2026-12-01T12:00:00.000Z';
export const THRESHOLDS = { green_min_ratio: 0.98, rows_low_ratio: 0.9, rows_high_ratio: 1.2, allow_halfdays: true };

/** A temp-dir lake, closed and removed by the returned cleanup. */
export async function tempLake(): Promise<{ lake: Lake; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-audit-'));
  const lake = await Lake.open({ root: dir, clock });
  return { lake, cleanup: async () => { await lake.close(); await rm(dir, { recursive: true, force: true }); } };
}

const lineage = (vendor: VendorId) => ({ source_name: vendor, source_uri: `https://${vendor}.example/x`, ingested_at: INGESTED });

/** `count` regular minute bars from the open of `date`, `stepSeconds` apart. */
export function minuteBars(symbol: string, date: string, count: number, stepSeconds = 60, vendor: VendorId = 'alpaca'): RowFor<'equities_minute'>[] {
  const open = nyInstant(date, '09:30');
  return Array.from({ length: count }, (_, i) => ({
    symbol, ts: new Date(open + i * stepSeconds * 1000).toISOString(), date, open: 1, high: 1, low: 1, close: 1, volume: 10, vwap: null, trades: null, feed: 'iex', ...lineage(vendor),
  }));
}

const QUOTE = { bid: null, ask: null, last: null, volume: null, open_interest: null, iv: null, delta: null, gamma: null, theta: null, vega: null, rho: null, quote_quality: 'indicative', indicative: true };

export function chainRows(underlying: string, date: string, contracts: number, asOf: string, vendor: VendorId = 'alpaca'): RowFor<'options_chain'>[] {
  return Array.from({ length: contracts }, (_, i) => ({
    contract: `${underlying}261218C${String(100 + i).padStart(5, '0')}000`, as_of: asOf, underlying, date, expiration: '2026-12-18', strike: 100 + i, right: 'C', ...QUOTE, ...lineage(vendor),
  }));
}

export function chainHistRows(underlying: string, date: string, contracts: number): RowFor<'options_chain_hist'>[] {
  return chainRows(underlying, date, contracts, `${date}T21:00:00.000Z`, 'av').map((r) => ({ ...r, as_of: null }));
}

export function optionBars(underlying: string, date: string, contracts: number): RowFor<'options_bars'>[] {
  return Array.from({ length: contracts }, (_, i) => ({
    contract: `${underlying}261218C${String(100 + i).padStart(5, '0')}000`, ts: `${date}T15:00:00.000Z`, underlying, date, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: null, trades: null, quote_quality: 'indicative', indicative: true, ...lineage('alpaca'),
  }));
}

export function treasuryRow(series: string, date: string, yieldPct: number | null): RowFor<'treasuries'> {
  return { series_id: series, tenor: series.replace('DGS', ''), date, yield_pct: yieldPct, realtime_start: date, realtime_end: '2999-12-31', ...lineage('fred') };
}

export function macroRow(series: string, date: string): RowFor<'macro_series'> {
  return { series_id: series, date, value: 1, realtime_start: date, realtime_end: '2999-12-31', ...lineage('fred') };
}

export function coverage(dataset: DatasetName, vendor: VendorId, endpoint: EndpointId, scope: string, start: string, end: string, rows = 0): CoverageEntry {
  return { dataset, vendor, endpoint, scope, start, end, rows, recorded_at: INGESTED };
}
