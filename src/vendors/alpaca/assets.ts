import type { SymbolRow } from '../../catalog/index.js';
import { buildUrl } from '../../http/index.js';
import { lineage } from '../shared/index.js';
import type { AlpacaContext } from './context.js';
import { assetsSchema } from './schemas.js';

const ENDPOINT = 'alpaca.assets';
/** One unpaginated array of every asset, several MB: give it longer than a data page. */
const ASSETS_TIMEOUT_MS = 120_000;

export interface AlpacaAssetsParams {
  status?: 'active' | 'inactive';
  signal?: AbortSignal;
}

/**
 * `GET /v2/assets?asset_class=us_equity` on the trading host. Inactive assets are retired
 * symbols without a delisting date (the notes' trap 13): status `delisted`, delisted_date null.
 */
export async function fetchAssets(ctx: AlpacaContext, params: AlpacaAssetsParams = {}): Promise<SymbolRow[]> {
  const url = buildUrl(ctx.tradingBaseUrl, '/v2/assets', { status: params.status, asset_class: 'us_equity' });
  const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: assetsSchema, signal: params.signal, timeoutMs: ASSETS_TIMEOUT_MS });
  const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
  return result.body.map((asset) => ({
    symbol: asset.symbol,
    name: asset.name || null,
    exchange: asset.exchange || null,
    asset_type: asset.class || null,
    status: asset.status === 'active' ? 'active' : 'delisted',
    ipo_date: null,
    delisted_date: null,
    ...origin,
  }));
}
