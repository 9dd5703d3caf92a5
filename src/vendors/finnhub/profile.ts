import type { SymbolRow } from '../../catalog/index.js';
import { NotFound, buildUrl } from '../../http/index.js';
import { invariantBroken, lineage, optionalDate } from '../shared/index.js';
import { requireSymbol, type FinnhubContext } from './context.js';
import { profileSchema } from './schemas.js';

/**
 * `GET /stock/profile2?symbol=S` (free, vendors/finnhub.md §3.3) as one symbols row. No endpoint
 * id of its own: counted against `finnhub.symbols`. `exchange` is Finnhub's text
 * (`NASDAQ/NMS (GLOBAL MARKET)`, not the MIC `/stock/symbol` gives), `ipo_date` its `ipo`; the
 * profile has no security type (asset_type null) and Finnhub covers listed symbols only (status
 * `active`). `{}` — symbol not covered — is a NotFound naming the symbol (§4); a profile of
 * another ticker than the one asked for is Malformed.
 */
export async function fetchProfile(ctx: FinnhubContext, symbol: string, signal?: AbortSignal): Promise<SymbolRow> {
  const endpoint = 'finnhub.symbols';
  requireSymbol(symbol, endpoint);
  const url = buildUrl(ctx.baseUrl, '/stock/profile2', { symbol });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: profileSchema, signal });
  const profile = result.body;
  if (!profile.ticker && !profile.name) {
    throw new NotFound(`no profile for ${symbol} (Finnhub answered an empty object: not covered)`, { vendor: 'finnhub', endpoint, status: result.status, url: result.redactedUrl, symbol });
  }
  if (profile.ticker && profile.ticker.toUpperCase() !== symbol.toUpperCase()) {
    throw invariantBroken(result, 'finnhub', endpoint, `asked for the profile of ${symbol}, got ${JSON.stringify(profile.ticker)}`);
  }
  return {
    symbol,
    name: profile.name || null,
    exchange: profile.exchange || null,
    asset_type: null,
    status: 'active',
    ipo_date: optionalDate(profile.ipo),
    delisted_date: null,
    ...lineage('finnhub', result.redactedUrl, ctx.clock),
  };
}
