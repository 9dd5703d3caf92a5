import { col, type RowOf } from './columns.js';
import type { DatasetSpec } from './datasets.js';

/**
 * Curated, split- and dividend-adjusted daily bars (DESIGN.md split convention): prices before an
 * ex-date are multiplied by the cumulative price factor, volumes divided by the split-only factor.
 * Adjusted values live in `adj_*` columns; `close` stays the raw close.
 */
export const EQUITIES_OHLCV_ADJ = {
  name: 'equities_ohlcv_adj',
  kind: 'curated',
  key: ['symbol', 'date'],
  description: 'Split- and dividend-adjusted daily bars from the canonical vendor of each session.',
  columns: {
    symbol: col.string(),
    date: col.date(),
    open: col.double(),
    high: col.double(),
    low: col.double(),
    close: col.double(),
    volume: col.double(),
    adj_open: col.double(),
    adj_high: col.double(),
    adj_low: col.double(),
    adj_close: col.double(),
    adj_volume: col.double(),
    /** Cumulative price factor applied to this session (1 for the latest sessions). */
    adj_factor: col.double(),
    /** Cumulative split factor applied to volume (volume is divided by it). */
    split_factor: col.double(),
    /** Vendor the raw bar came from. */
    source_name: col.string(),
  },
} as const satisfies DatasetSpec;

export type AdjustedBarRow = RowOf<(typeof EQUITIES_OHLCV_ADJ)['columns']>;
