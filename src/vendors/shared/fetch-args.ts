import type { DatasetName, EndpointId, RowFor } from '../../catalog/index.js';

/** The arguments of `trademl fetch <vendor> <dataset> …` (DESIGN.md CLI contract), already validated. */
export interface FetchArgs {
  symbols?: string[];
  /** One session / as-of date. */
  date?: string;
  start?: string;
  end?: string;
  /** FRED series ids. */
  series?: string[];
  /** income | balance | cashflow */
  statement?: string;
  period?: 'annual' | 'quarter';
  signal?: AbortSignal;
}

/**
 * One endpoint's fetch: canonical rows of its dataset. Each vendor module exports a table of these
 * so the CLI (and smoke) can call any endpoint the same way. It throws a BadRequest naming the
 * missing argument when the endpoint needs one (e.g. `--symbols`).
 */
export interface EndpointFetcher<C, D extends DatasetName = DatasetName> {
  endpoint: EndpointId;
  dataset: D;
  /** Arguments this endpoint needs, for `--help` and error messages. */
  needs: readonly (keyof FetchArgs)[];
  fetch(client: C, args: FetchArgs): Promise<RowFor<D>[]>;
}
