import type { VendorId } from './vendors.js';

/** Endpoint ids used in configs/endpoints.yml, logs, the ledger and `trademl fetch --endpoint`. */
export const ENDPOINT_IDS = [
  'alpaca.bars',
  'alpaca.minute',
  'alpaca.options.bars',
  'alpaca.options.chain',
  'alpaca.corporate_actions',
  'alpaca.assets',
  'polygon.aggs.day',
  'polygon.aggs.grouped_daily',
  'polygon.reference.tickers',
  'polygon.reference.splits',
  'polygon.reference.dividends',
  'polygon.options.contracts',
  'finnhub.candle.daily',
  'finnhub.option_chain',
  'finnhub.symbols',
  'finnhub.splits',
  'av.time_series_daily',
  'av.listing_status',
  'av.splits',
  'av.dividends',
  'av.historical_options',
  'fmp.stock_list',
  'fmp.delisted_companies',
  'fmp.historical_price',
  'fmp.statements',
  'fmp.profile',
  'fred.series',
  'fred.treasury_curve',
  'fred.vintages',
] as const;
export type EndpointId = (typeof ENDPOINT_IDS)[number];

export function isEndpointId(value: string): value is EndpointId {
  return (ENDPOINT_IDS as readonly string[]).includes(value);
}

/** The vendor an endpoint id belongs to: its first dotted segment. */
export function vendorOfEndpoint(endpoint: EndpointId): VendorId {
  return endpoint.slice(0, endpoint.indexOf('.')) as VendorId;
}
