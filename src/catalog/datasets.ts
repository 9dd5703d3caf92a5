import { col, type Columns, type RowOf } from './columns.js';

/**
 * Where a dataset lives in the lake:
 * - `raw`: `raw/<vendor>/<dataset>/date=YYYY-MM-DD/part-<ulid>.parquet`, append-only, one session a partition.
 * - `reference`: `reference/<dataset>/vendor=<vendor>/part-<ulid>.parquet`, append-only snapshots.
 * - `curated`: rebuilt deterministically by the curator (layout owned by the curator).
 */
export type DatasetKind = 'raw' | 'reference' | 'curated';

export interface DatasetSpec<C extends Columns = Columns> {
  readonly name: string;
  readonly kind: DatasetKind;
  /** Columns that identify a row; readers dedupe on them. */
  readonly key: readonly (keyof C & string)[];
  /** Raw datasets: the column holding the New York session date that names the partition. */
  readonly partitionColumn?: keyof C & string;
  readonly columns: C;
  readonly description: string;
}

/** Lineage carried by every raw and reference row (DESIGN.md "Storage layout"). */
export const LINEAGE = {
  source_name: col.string(),
  /** Request URL with every key redacted. */
  source_uri: col.string(),
  ingested_at: col.timestamp(),
} as const;

function dataset<const C extends Columns>(spec: DatasetSpec<C>): DatasetSpec<C> {
  return spec;
}

const OPTION_QUOTE = {
  underlying: col.string(),
  date: col.date(),
  expiration: col.date(),
  strike: col.double(),
  right: col.string(),
  bid: col.optDouble(),
  ask: col.optDouble(),
  last: col.optDouble(),
  volume: col.optDouble(),
  open_interest: col.optDouble(),
  iv: col.optDouble(),
  delta: col.optDouble(),
  gamma: col.optDouble(),
  theta: col.optDouble(),
  vega: col.optDouble(),
  rho: col.optDouble(),
  quote_quality: col.string(),
  indicative: col.boolean(),
} as const;

export const DATASETS = {
  equities_eod: dataset({
    name: 'equities_eod',
    kind: 'raw',
    key: ['symbol', 'date'],
    partitionColumn: 'date',
    description: 'Unadjusted daily OHLCV per symbol and New York session.',
    columns: {
      symbol: col.string(),
      date: col.date(),
      open: col.double(),
      high: col.double(),
      low: col.double(),
      close: col.double(),
      volume: col.double(),
      vwap: col.optDouble(),
      trades: col.optBigint(),
      feed: col.optString(),
      adjusted: col.boolean(),
      ...LINEAGE,
    },
  }),
  equities_minute: dataset({
    name: 'equities_minute',
    kind: 'raw',
    key: ['symbol', 'ts'],
    partitionColumn: 'date',
    description: 'Unadjusted minute bars; ts is the bar start (UTC), date its New York session.',
    columns: {
      symbol: col.string(),
      ts: col.timestamp(),
      date: col.date(),
      open: col.double(),
      high: col.double(),
      low: col.double(),
      close: col.double(),
      volume: col.double(),
      vwap: col.optDouble(),
      trades: col.optBigint(),
      feed: col.optString(),
      ...LINEAGE,
    },
  }),
  options_chain: dataset({
    name: 'options_chain',
    kind: 'raw',
    key: ['contract', 'as_of'],
    partitionColumn: 'date',
    description: 'Option chain snapshots: one row per contract per capture instant.',
    columns: { contract: col.string(), as_of: col.timestamp(), ...OPTION_QUOTE, ...LINEAGE },
  }),
  options_chain_hist: dataset({
    name: 'options_chain_hist',
    kind: 'raw',
    key: ['contract', 'date'],
    partitionColumn: 'date',
    description: 'End-of-day historical option chains (greeks and IV) per contract and session.',
    columns: { contract: col.string(), as_of: col.optTimestamp(), ...OPTION_QUOTE, ...LINEAGE },
  }),
  options_bars: dataset({
    name: 'options_bars',
    kind: 'raw',
    key: ['contract', 'ts'],
    partitionColumn: 'date',
    description: 'Option contract bars.',
    columns: {
      contract: col.string(),
      ts: col.timestamp(),
      underlying: col.string(),
      date: col.date(),
      open: col.double(),
      high: col.double(),
      low: col.double(),
      close: col.double(),
      volume: col.double(),
      vwap: col.optDouble(),
      trades: col.optBigint(),
      quote_quality: col.string(),
      indicative: col.boolean(),
      ...LINEAGE,
    },
  }),
  options_contracts: dataset({
    name: 'options_contracts',
    kind: 'reference',
    key: ['contract', 'as_of'],
    description: 'Option contract master (including expired contracts).',
    columns: {
      contract: col.string(),
      as_of: col.date(),
      underlying: col.string(),
      expiration: col.date(),
      strike: col.double(),
      right: col.string(),
      style: col.optString(),
      shares_per_contract: col.optDouble(),
      ...LINEAGE,
    },
  }),
  corp_actions: dataset({
    name: 'corp_actions',
    kind: 'reference',
    key: ['symbol', 'action', 'ex_date'],
    description:
      'Corporate actions. split_ratio = new shares per old share (4-for-1 -> 4, 1-for-10 -> 0.1); cash_amount per share in the currency of its own date.',
    columns: {
      symbol: col.string(),
      action: col.string(),
      ex_date: col.date(),
      split_ratio: col.optDouble(),
      cash_amount: col.optDouble(),
      currency: col.optString(),
      record_date: col.optDate(),
      pay_date: col.optDate(),
      declared_date: col.optDate(),
      new_symbol: col.optString(),
      ...LINEAGE,
    },
  }),
  delistings: dataset({
    name: 'delistings',
    kind: 'reference',
    key: ['symbol', 'delisted_date'],
    description: 'Delisted symbols with their delisting date.',
    columns: {
      symbol: col.string(),
      delisted_date: col.date(),
      name: col.optString(),
      exchange: col.optString(),
      ipo_date: col.optDate(),
      ...LINEAGE,
    },
  }),
  symbols: dataset({
    name: 'symbols',
    kind: 'reference',
    key: ['symbol'],
    description: 'Symbol master, active and delisted (survivorship-free).',
    columns: {
      symbol: col.string(),
      name: col.optString(),
      exchange: col.optString(),
      asset_type: col.optString(),
      status: col.string(),
      ipo_date: col.optDate(),
      delisted_date: col.optDate(),
      ...LINEAGE,
    },
  }),
  fundamentals: dataset({
    name: 'fundamentals',
    kind: 'reference',
    key: ['symbol', 'statement', 'period_end', 'fiscal_period', 'metric'],
    description: 'Financial statements in long format (one metric per row).',
    columns: {
      symbol: col.string(),
      statement: col.string(),
      period_end: col.date(),
      fiscal_year: col.bigint(),
      fiscal_period: col.string(),
      currency: col.optString(),
      filing_date: col.optDate(),
      accepted_at: col.optTimestamp(),
      metric: col.string(),
      value: col.optDouble(),
      ...LINEAGE,
    },
  }),
  treasuries: dataset({
    name: 'treasuries',
    kind: 'raw',
    key: ['tenor', 'date', 'realtime_start'],
    partitionColumn: 'date',
    description: 'Treasury constant-maturity yields per tenor with ALFRED vintages.',
    columns: {
      series_id: col.string(),
      tenor: col.string(),
      date: col.date(),
      yield_pct: col.optDouble(),
      realtime_start: col.date(),
      realtime_end: col.date(),
      ...LINEAGE,
    },
  }),
  macro_series: dataset({
    name: 'macro_series',
    kind: 'raw',
    key: ['series_id', 'date', 'realtime_start'],
    partitionColumn: 'date',
    description: "Macro series observations with vintages; FRED's '.' is null.",
    columns: {
      series_id: col.string(),
      date: col.date(),
      value: col.optDouble(),
      realtime_start: col.date(),
      realtime_end: col.date(),
      ...LINEAGE,
    },
  }),
} as const;

export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
/** The datasets written as dated raw partitions (the rest are reference snapshots). */
export const RAW_DATASETS = DATASET_NAMES.filter((name) => DATASETS[name].kind === 'raw');

export type RowFor<D extends DatasetName> = RowOf<(typeof DATASETS)[D]['columns']>;
export type EquityBarRow = RowFor<'equities_eod'>;
export type CorpActionRow = RowFor<'corp_actions'>;
export type SymbolRow = RowFor<'symbols'>;
export type DelistingRow = RowFor<'delistings'>;

export function isDatasetName(value: string): value is DatasetName {
  return Object.hasOwn(DATASETS, value);
}

/** The spec's older dataset keys, mapped to canonical names (DESIGN.md "Names"). */
export const DATASET_ALIASES: Record<string, DatasetName> = {
  symbols_bulk: 'symbols',
  statements: 'fundamentals',
  series: 'macro_series',
  options_chains: 'options_chain',
  macro_treasury: 'treasuries',
  equities_eod_fn: 'equities_eod',
};

export function normalizeDataset(name: string): DatasetName | undefined {
  const trimmed = name.trim();
  if (isDatasetName(trimmed)) return trimmed;
  return DATASET_ALIASES[trimmed];
}

/** Corporate action kinds the curator understands; others are stored but do not adjust prices. */
export const CORP_ACTION_KINDS = ['split', 'dividend', 'spinoff', 'merger', 'symbol_change', 'stock_dividend', 'delisting'] as const;
export type CorpActionKind = (typeof CORP_ACTION_KINDS)[number];

/** A delisting as a `symbols` row (status delisted), so one merge handles every reference source. */
export function delistingAsSymbol(row: DelistingRow): SymbolRow {
  return {
    symbol: row.symbol,
    name: row.name,
    exchange: row.exchange,
    asset_type: null,
    status: 'delisted',
    ipo_date: row.ipo_date,
    delisted_date: row.delisted_date,
    source_name: row.source_name,
    source_uri: row.source_uri,
    ingested_at: row.ingested_at,
  };
}
