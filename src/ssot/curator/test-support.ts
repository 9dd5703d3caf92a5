import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CorpActionRow, EquityBarRow, VendorId } from '../../catalog/index.js';
import { VirtualClock } from '../../clock/index.js';
import type { CuratorConfig, CuratorJob } from '../../config/index.js';
import { Lake } from '../../lake/index.js';
import type { SandboxDividend, SandboxSplit } from '../../sandbox/index.js';

/** A lake in a fresh temp directory on a virtual clock; `done()` closes and removes it. */
export async function tempLake(): Promise<{ lake: Lake; dir: string; clock: VirtualClock; done: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-curator-'));
  const clock = new VirtualClock({ start: Date.parse('2025-01-02T00:00:00Z') });
  const lake = await Lake.open({ root: dir, clock });
  return {
    lake,
    dir,
    clock,
    done: async () => {
      await lake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function origin(vendor: VendorId, at = '2025-01-01T00:00:00.000Z'): { source_name: VendorId; source_uri: string; ingested_at: string } {
  return { source_name: vendor, source_uri: `https://${vendor}.example/x`, ingested_at: at };
}

export function eodBar(symbol: string, date: string, close: number, vendor: VendorId = 'alpaca', volume = 1000): EquityBarRow {
  return { symbol, date, open: close, high: close, low: close, close, volume, vwap: null, trades: null, feed: null, adjusted: false, ...origin(vendor) };
}

const NONE = { currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };

export function splitRow(s: SandboxSplit, vendor: VendorId = 'alpaca'): CorpActionRow {
  return { symbol: s.symbol, action: 'split', ex_date: s.exDate, split_ratio: s.newShares / s.oldShares, cash_amount: null, ...NONE, ...origin(vendor) };
}

export function dividendRow(d: SandboxDividend, vendor: VendorId = 'alpaca'): CorpActionRow {
  return { symbol: d.symbol, action: 'dividend', ex_date: d.exDate, split_ratio: null, cash_amount: d.cash, ...NONE, currency: 'USD', ...origin(vendor) };
}

export function job(name: string, fields: Partial<CuratorJob> & Pick<CuratorJob, 'input' | 'transform'>): CuratorJob {
  return { name, output: name, enabled: true, vendor_precedence: ['alpaca', 'polygon'], corp_actions_precedence: undefined, ...fields };
}

export function curatorConfig(jobs: CuratorJob[], lookback = 5): CuratorConfig {
  return { watermark: { bookmark_key: 'manifests/curator_watermarks.json', lookback_days: lookback }, jobs: Object.fromEntries(jobs.map((j) => [j.name, j])) };
}
