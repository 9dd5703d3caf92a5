import type { DatasetName, PartitionStatus, VendorId } from '../../catalog/index.js';
import type { QcThresholds } from '../grade.js';

export interface AuditWindow {
  start: string;
  end: string;
}

/** backfill.yml `qc_thresholds`; the row bounds default to 0.90 / 1.20 and half days to allowed. */
export interface AuditThresholds extends QcThresholds {
  rows_low_ratio?: number;
  rows_high_ratio?: number;
  allow_halfdays?: boolean;
}

/**
 * What one entitled vendor can serve of a dataset: dates from `from` to `to` (inclusive, either
 * open), and only `scopes` (symbols, underliers, series) when given — e.g. FMP's free sample symbols
 * or Polygon's rolling two years. A partition no reach covers is UNAVAILABLE, not RED.
 */
export interface VendorReach {
  vendor: VendorId;
  from?: string;
  to?: string;
  scopes?: readonly string[];
}

export type MacroFrequency = 'monthly' | 'quarterly';

export interface MacroSeriesInput {
  id: string;
  frequency: MacroFrequency;
  /** Days after the end of an observation period before its value is due (default 45 monthly, 60 quarterly). */
  publicationLagDays?: number;
}

/** What each dataset's audit expects; window and lists come from the caller. */
export type AuditSpec =
  | { dataset: 'equities_eod' }
  | { dataset: 'equities_minute'; symbols: readonly string[] }
  | { dataset: 'options_chain'; underliers: readonly string[] }
  | { dataset: 'options_chain_hist'; underliers: readonly string[]; expectContractsMin: number }
  | { dataset: 'options_bars'; underliers: readonly string[] }
  | { dataset: 'treasuries'; series: readonly string[] }
  | { dataset: 'macro_series'; series: readonly MacroSeriesInput[] }
  | { dataset: 'fundamentals'; symbols: readonly string[]; statements?: readonly string[] }
  | { dataset: 'corp_actions'; symbols: readonly string[]; earliest: string }
  | { dataset: 'delistings'; earliest: string }
  | { dataset: 'symbols' };

export type AuditedDataset = AuditSpec['dataset'];

/**
 * `qc/ledger/dataset=<d>/ledger.parquet`: every (scope, period) of a dataset that is not GREEN,
 * on the periods that are not wholly RED or UNAVAILABLE (those say everything in their rollup row).
 * A GREEN scope is implied by its absence: 10k symbols × 500 sessions of GREEN rows would cost more
 * to write than the audit itself.
 */
export interface DetailRow {
  dataset: DatasetName;
  /** Symbol, underlier, series id, tenor series, or '*' for whole-market periods. */
  scope: string;
  /** The session, or the first day of the period (macro observation, fiscal year, delisting year). */
  date: string;
  status: PartitionStatus;
  rows: number;
  expected_rows: number;
  reason: string;
  /** Vendors with rows for this scope and period, comma-separated. */
  vendors: string;
}

export interface AuditStats {
  /** Periods graded from the lake in this run (the rest kept their ledger rows). */
  regraded: string[];
  /** Raw part files handed to DuckDB. */
  filesRead: number;
  /** True when the whole window was graded (first audit, new inputs, or a non-incremental dataset). */
  full: boolean;
}
