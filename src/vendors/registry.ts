import type { DatasetName, EndpointId, VendorId } from '../catalog/index.js';
import { alpacaFetchers, type AlpacaClient } from './alpaca/index.js';
import { avFetchers, type AvClient } from './av/index.js';
import { finnhubFetchers, type FinnhubClient } from './finnhub/index.js';
import { fmpFetchers, type FmpClient } from './fmp/index.js';
import { fredFetchers, type FredClient } from './fred/index.js';
import { polygonFetchers, type PolygonClient } from './polygon/index.js';
import type { EndpointFetcher } from './shared/index.js';

/** One client per configured vendor (a vendor without keys has none). */
export interface VendorClients {
  alpaca?: AlpacaClient;
  polygon?: PolygonClient;
  finnhub?: FinnhubClient;
  fred?: FredClient;
  fmp?: FmpClient;
  av?: AvClient;
}

/** Every vendor's endpoint fetchers, in vendor order (the table `trademl fetch` and the scheduler share). */
export const VENDOR_FETCHERS: Readonly<Record<VendorId, readonly EndpointFetcher<never>[]>> = {
  alpaca: alpacaFetchers as readonly EndpointFetcher<never>[],
  polygon: polygonFetchers as readonly EndpointFetcher<never>[],
  finnhub: finnhubFetchers as readonly EndpointFetcher<never>[],
  av: avFetchers as readonly EndpointFetcher<never>[],
  fmp: fmpFetchers as readonly EndpointFetcher<never>[],
  fred: fredFetchers as readonly EndpointFetcher<never>[],
};

/**
 * The fetcher of an endpoint id for a dataset (one endpoint may serve several, e.g. Alpha Vantage
 * LISTING_STATUS: symbols and delistings); without a dataset, the endpoint's first. Undefined for
 * an id no vendor module serves.
 */
export function fetcherFor(endpoint: EndpointId, dataset?: DatasetName): EndpointFetcher<never> | undefined {
  for (const fetchers of Object.values(VENDOR_FETCHERS)) {
    const found = fetchers.find((f) => f.endpoint === endpoint && (dataset === undefined || f.dataset === dataset));
    if (found) return found;
  }
  return undefined;
}
