import type { SymbolRow } from '../../catalog/index.js';
import { BadRequest, buildUrl } from '../../http/index.js';
import { invariantBroken, lineage, optionalDate, requireDate } from '../shared/index.js';
import { POLYGON_TICKER_RE, type PolygonContext } from './context.js';
import { tickerDetailsSchema } from './schemas.js';

/**
 * `GET /v3/reference/tickers/{ticker}[?date=D]`, one request, as one symbols row (counted against
 * `polygon.reference.tickers`). `ipo_date` is `list_date`, which with `delisted_utc` bounds the
 * listing window of a survivorship-free universe; `exchange` is the primary exchange MIC and
 * `asset_type` Polygon's type code (`CS`), as fetchTickers stores them. `active: false` is
 * `delisted` with the date part of `delisted_utc`. A ticker that did not exist on `date` is the
 * vendor's 404, a NotFound; details of another ticker are Malformed.
 */
export async function fetchTickerDetails(ctx: PolygonContext, ticker: string, date?: string, signal?: AbortSignal): Promise<SymbolRow> {
  const endpoint = 'polygon.reference.tickers';
  if (!POLYGON_TICKER_RE.test(ticker)) throw new BadRequest(`invalid ticker ${JSON.stringify(ticker)}`, { vendor: 'polygon', endpoint });
  if (date !== undefined) requireDate(date, 'date', 'polygon', endpoint);
  const url = buildUrl(ctx.baseUrl, `/v3/reference/tickers/${encodeURIComponent(ticker)}`, { date });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: tickerDetailsSchema, signal });
  const details = result.body.results;
  if (details.ticker !== ticker) throw invariantBroken(result, 'polygon', endpoint, `asked for ${ticker}, got the details of ${JSON.stringify(details.ticker)}`);
  const active = details.active !== false;
  return {
    symbol: ticker,
    name: details.name || null,
    exchange: details.primary_exchange || null,
    asset_type: details.type || null,
    status: active ? 'active' : 'delisted',
    ipo_date: optionalDate(details.list_date),
    delisted_date: active ? null : optionalDate(details.delisted_utc),
    ...lineage('polygon', result.redactedUrl, ctx.clock),
  };
}
