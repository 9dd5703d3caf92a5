import type { DatasetName } from '../../catalog/index.js';
import { addDays, lastCompletedSession, nyDate } from '../../calendar/index.js';
import { capabilitiesFor, earliestAvailable, targetWindowStart, type TrademlConfig } from '../../config/index.js';
import type { Lake } from '../../lake/index.js';
import { loadUniverse } from '../../universe/index.js';
import { readParquet } from './sql.js';
import type { AuditedDataset, AuditSpec, AuditThresholds, AuditWindow, MacroSeriesInput, VendorReach } from './types.js';

export const AUDITED_DATASETS: readonly AuditedDataset[] = [
  'equities_eod', 'equities_minute', 'options_chain', 'options_chain_hist', 'options_bars', 'treasuries', 'macro_series', 'fundamentals', 'corp_actions', 'delistings', 'symbols',
];

export function isAuditedDataset(name: string): name is AuditedDataset {
  return (AUDITED_DATASETS as readonly string[]).includes(name);
}

const TREASURY_SERIES = ['DGS1MO', 'DGS3MO', 'DGS6MO', 'DGS1', 'DGS2', 'DGS3', 'DGS5', 'DGS7', 'DGS10', 'DGS20', 'DGS30'];
/** FRED frequencies of the shipped macro series; any other series is taken as monthly. */
const QUARTERLY_SERIES: ReadonlySet<string> = new Set(['GDP', 'GDPC1', 'GDPPOT']);
/** Days of snapshots the symbols audit looks back by default (older days never had daily snapshots). */
const SYMBOLS_DAYS = 7;

export interface ResolvedAudit {
  spec: AuditSpec;
  window: AuditWindow;
  reach: VendorReach[];
  thresholds: AuditThresholds;
}

async function distinct(lake: Lake, files: readonly string[], column: string): Promise<string[]> {
  if (files.length === 0) return [];
  const rows = await lake.query<{ v: string }>(`SELECT DISTINCT CAST(${column} AS VARCHAR) AS v FROM ${readParquet(files)} WHERE ${column} IS NOT NULL ORDER BY v`);
  return rows.map((r) => r.v);
}

/**
 * An audit's inputs from the configs and the lake, for the CLI: windows from backfill.yml targets
 * (ending on the last completed session), reach from endpoints.yml history limits, and symbol lists
 * from `symbols` when given, else what the lake holds (top-N liquidity is not known offline, so a
 * symbol never fetched at all cannot be missed this way — pass --symbols to audit a fixed list).
 */
export async function resolveAudit(config: TrademlConfig, lake: Lake, dataset: AuditedDataset, nowMs: number, overrides: { start?: string; end?: string; symbols?: string[] }): Promise<ResolvedAudit> {
  const today = nyDate(nowMs);
  const target = config.backfill.targets[dataset];
  const end = overrides.end ?? lastCompletedSession(nowMs, 30 * 60_000);
  const defaultStart = dataset === 'symbols' ? addDays(end, -SYMBOLS_DAYS + 1) : target ? targetWindowStart(target, today) : addDays(end, -730);
  const window = { start: overrides.start ?? defaultStart, end };
  const reach = capabilitiesFor(config.endpoints, dataset as DatasetName)
    .filter((c) => c.entitlement !== 'premium')
    .map((c): VendorReach => {
      const from = earliestAvailable(c, today);
      return from === undefined ? { vendor: c.vendor } : { vendor: c.vendor, from };
    });
  const q = config.backfill.qc_thresholds;
  const thresholds: AuditThresholds = { green_min_ratio: q.green_min_ratio, rows_low_ratio: q.rows_low_ratio, rows_high_ratio: q.rows_high_ratio, allow_halfdays: q.allow_halfdays };
  const given = overrides.symbols;
  const raw = (column: string) => lake.rawGlob(dataset as DatasetName).then((files) => distinct(lake, files, column));
  const spec = await ((): Promise<AuditSpec> | AuditSpec => {
    switch (dataset) {
      case 'equities_eod': return { dataset };
      case 'equities_minute': return given ? { dataset, symbols: given } : raw('symbol').then((symbols) => ({ dataset, symbols }));
      case 'options_chain': case 'options_bars': return given ? { dataset, underliers: given } : raw('underlying').then((underliers) => ({ dataset, underliers }));
      case 'options_chain_hist': {
        const expectContractsMin = target?.expect_contracts_min ?? 1;
        return given ? { dataset, underliers: given, expectContractsMin } : raw('underlying').then((underliers) => ({ dataset, underliers, expectContractsMin }));
      }
      case 'treasuries': return { dataset, series: given ?? target?.series ?? TREASURY_SERIES };
      case 'macro_series': return { dataset, series: (given ?? target?.series ?? []).map((id): MacroSeriesInput => ({ id, frequency: QUARTERLY_SERIES.has(id) ? 'quarterly' : 'monthly' })) };
      case 'fundamentals': return given ? { dataset, symbols: given, ...(target?.statements ? { statements: target.statements } : {}) }
        : lake.referenceFiles('fundamentals').then((f) => distinct(lake, f, 'symbol')).then((symbols) => ({ dataset, symbols, ...(target?.statements ? { statements: target.statements } : {}) }));
      case 'corp_actions': return given ? { dataset, symbols: given, earliest: target?.earliest ?? window.start }
        : loadUniverse(lake).then((u) => ({ dataset, symbols: u.map((m) => m.symbol), earliest: target?.earliest ?? window.start }));
      case 'delistings': return { dataset, earliest: target?.earliest ?? window.start };
      case 'symbols': return { dataset };
    }
  })();
  return { spec, window, reach, thresholds };
}
