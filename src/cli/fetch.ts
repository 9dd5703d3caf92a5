import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATASETS, normalizeDataset, normalizeVendor, type DatasetName, type RowFor, type VendorId } from '../catalog/index.js';
import { TrademlError, UsageError } from '../errors/index.js';
import { writeDatasetRows, type Lake } from '../lake/index.js';
import { alpacaFetchers, avFetchers, finnhubFetchers, fmpFetchers, fredFetchers, polygonFetchers } from '../vendors/index.js';
import type { EndpointFetcher, FetchArgs } from '../vendors/shared/index.js';
import type { Runtime } from './runtime.js';

/** The vendor has no keys in the environment (or .env), so nothing can be fetched from it. */
export class VendorNotConfigured extends TrademlError {}

interface VendorEntry {
  client(runtime: Runtime): unknown;
  fetchers: readonly EndpointFetcher<never>[];
  keys: string;
}

/** Which endpoints `trademl fetch` can call per vendor, and where their client comes from. */
const VENDOR_FETCHERS: Partial<Record<VendorId, VendorEntry>> = {
  alpaca: { client: (r) => r.clients.alpaca, fetchers: alpacaFetchers as readonly EndpointFetcher<never>[], keys: 'ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY' },
  polygon: { client: (r) => r.clients.polygon, fetchers: polygonFetchers as readonly EndpointFetcher<never>[], keys: 'POLYGON_API_KEY (or MASSIVE_API_KEY)' },
  finnhub: { client: (r) => r.clients.finnhub, fetchers: finnhubFetchers as readonly EndpointFetcher<never>[], keys: 'FINNHUB_API_KEY' },
  av: { client: (r) => r.clients.av, fetchers: avFetchers as readonly EndpointFetcher<never>[], keys: 'ALPHAVANTAGE_API_KEY' },
  fmp: { client: (r) => r.clients.fmp, fetchers: fmpFetchers as readonly EndpointFetcher<never>[], keys: 'FMP_API_KEY' },
  fred: { client: (r) => r.clients.fred, fetchers: fredFetchers as readonly EndpointFetcher<never>[], keys: 'FRED_API_KEY' },
};

export function parseVendor(name: string): VendorId {
  const vendor = normalizeVendor(name);
  if (!vendor) throw new UsageError(`vendor: expected one of alpaca, polygon (massive), finnhub, av (alpha_vantage), fmp, fred, got ${JSON.stringify(name)}`);
  return vendor;
}

export function parseDataset(name: string): DatasetName {
  const dataset = normalizeDataset(name);
  if (!dataset) throw new UsageError(`dataset: expected one of ${Object.keys(DATASETS).join(', ')}, got ${JSON.stringify(name)}`);
  return dataset;
}

/**
 * The endpoint to call: the one named by --endpoint, else the first of the vendor's endpoints for
 * the dataset whose required arguments are all given (so `--date` alone picks Polygon's grouped
 * daily and `--symbols` its per-ticker range).
 */
export function selectFetcher(vendor: VendorId, dataset: DatasetName, endpoint: string | undefined, args: FetchArgs): EndpointFetcher<never> {
  const entry = VENDOR_FETCHERS[vendor];
  const candidates = (entry?.fetchers ?? []).filter((f) => f.dataset === dataset);
  if (candidates.length === 0) {
    const served = [...new Set((entry?.fetchers ?? []).map((f) => f.dataset))];
    throw new UsageError(`${vendor} serves no ${dataset} through trademl fetch${served.length ? ` (it serves: ${served.join(', ')})` : ''}`);
  }
  if (endpoint !== undefined) {
    const named = candidates.find((f) => f.endpoint === endpoint);
    if (!named) throw new UsageError(`--endpoint: expected one of ${candidates.map((f) => f.endpoint).join(', ')} for ${vendor} ${dataset}, got ${JSON.stringify(endpoint)}`);
    return named;
  }
  const given = (key: keyof FetchArgs): boolean => args[key] !== undefined || (key === 'start' && args.date !== undefined);
  return candidates.find((f) => f.needs.every(given)) ?? (candidates[0] as EndpointFetcher<never>);
}

export async function fetchRows(runtime: Runtime, vendor: VendorId, fetcher: EndpointFetcher<never>, args: FetchArgs): Promise<RowFor<DatasetName>[]> {
  const entry = VENDOR_FETCHERS[vendor] as VendorEntry;
  const client = entry.client(runtime);
  if (client === undefined) throw new VendorNotConfigured(`${vendor} is not configured: set ${entry.keys} (environment or .env)`, { vendor });
  return (fetcher as EndpointFetcher<unknown>).fetch(client, args);
}

/** Commits fetched rows: raw datasets one part per session, reference datasets one part. */
export async function writeRows(lake: Lake, vendor: VendorId, dataset: DatasetName, rows: RowFor<DatasetName>[]): Promise<{ parts: number; deduped: number }> {
  const { parts, deduped } = await writeDatasetRows(lake, vendor, dataset, rows);
  return { parts, deduped };
}

/** The .env of the working directory, when there is one. */
export function localDotenv(): { dotenvPath?: string } {
  const file = path.resolve('.env');
  return existsSync(file) ? { dotenvPath: file } : {};
}
