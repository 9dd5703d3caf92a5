import type { SymbolRow } from '../../catalog/index.js';
import { NotFound } from '../../http/index.js';
import { lineage } from '../shared/index.js';
import { AV_HEADERS, payloadBroken, queryUrl, requireSymbol, sameSymbol, type AvContext } from './context.js';
import { overviewSchema } from './schemas.js';

export interface AvOverviewOptions {
  signal?: AbortSignal;
}

const MISSING = new Set(['', 'none', 'null', '-']);

/**
 * `OVERVIEW&symbol=S`, one request, as one symbols row. No endpoint id of its own: counted
 * against `av.listing_status` (the symbols endpoint; every call spends the same 25-a-day budget).
 * `exchange` and `asset_type` are AV's words (`NYSE`, `Common Stock`: LISTING_STATUS says
 * `Stock`); OVERVIEW has no IPO or delisting date, and AV keeps overviews of listed companies, so
 * the row is `active` with null dates. `{}` is a NotFound naming the symbol (§2: no overview, e.g.
 * an ETF); a payload without `Symbol`, or for another symbol, is Malformed.
 */
export async function fetchOverview(ctx: AvContext, symbol: string, options: AvOverviewOptions = {}): Promise<SymbolRow> {
  const endpoint = 'av.listing_status';
  const ticker = requireSymbol(symbol, endpoint);
  const url = queryUrl(ctx, 'OVERVIEW', { symbol: ticker });
  const result = await ctx.http.getJson(url, { endpoint, headers: AV_HEADERS, schema: overviewSchema, signal: options.signal });
  const body = result.body;
  if (/^\s*\{\s*\}\s*$/.test(result.redactedText)) {
    throw new NotFound(`no overview of ${ticker} (Alpha Vantage answered an empty object)`, { vendor: 'av', endpoint, status: result.status, url: result.redactedUrl, symbol: ticker });
  }
  const echoed = text(body.Symbol);
  if (echoed === null) throw payloadBroken(ctx, result, endpoint, 'overview without a Symbol');
  if (!sameSymbol(echoed, ticker)) throw payloadBroken(ctx, result, endpoint, `payload is for ${JSON.stringify(echoed)}, not ${ticker}`);
  return {
    symbol: ticker,
    name: text(body.Name),
    exchange: text(body.Exchange),
    asset_type: text(body.AssetType),
    status: 'active',
    ipo_date: null,
    delisted_date: null,
    ...lineage('av', result.redactedUrl, ctx.clock),
  };
}

function text(value: string | null | undefined): string | null {
  return value === null || value === undefined || MISSING.has(value.toLowerCase()) ? null : value;
}
