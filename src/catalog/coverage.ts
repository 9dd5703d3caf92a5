import { col, type RowOf } from './columns.js';
import type { DatasetName } from './datasets.js';
import type { EndpointId } from './endpoints.js';
import type { VendorId } from './vendors.js';

/**
 * `manifests/coverage/dataset=<d>/part-<ulid>.parquet`: what each completed unit asked a vendor for
 * and how many rows came back. It is how the audit tells "fetched, and there is nothing" (a symbol
 * with no splits, Finnhub's no_data, an illiquid day without minute bars) from "never fetched":
 * the lake alone cannot, since an empty answer writes no part.
 */
export const COVERAGE_COLUMNS = {
  dataset: col.string(),
  vendor: col.string(),
  endpoint: col.string(),
  /** A symbol, series id or underlier; '*' for whole-market requests (grouped daily, listings). */
  scope: col.string(),
  /** The unit's range, New York dates, inclusive. */
  start: col.date(),
  end: col.date(),
  rows: col.bigint(),
  recorded_at: col.timestamp(),
} as const;

export type CoverageEntry = Omit<RowOf<typeof COVERAGE_COLUMNS>, 'dataset' | 'vendor' | 'endpoint'> & {
  dataset: DatasetName;
  vendor: VendorId;
  endpoint: EndpointId;
};

export const COVERAGE_PREFIX = 'manifests/coverage';
