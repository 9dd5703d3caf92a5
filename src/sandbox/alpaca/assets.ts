import type { SandboxExchange } from '../market/index.js';
import { stableUuid } from '../shared/ids.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { AlpacaContext } from './context.js';

/** Alpaca names venues, not MICs. */
const EXCHANGE_NAME: Record<SandboxExchange, string> = { XNYS: 'NYSE', XNAS: 'NASDAQ', ARCX: 'ARCA' };

/**
 * `GET /v2/assets` (trading host): one bare array of every asset listed by today, delisted ones as
 * `inactive` (with no delisting date, as the vendor does); no pagination.
 */
export function assets(query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  const status = query.get('status');
  const assetClass = query.get('asset_class') ?? 'us_equity';
  const exchange = query.get('exchange');
  if (assetClass !== 'us_equity') return jsonResponse(200, []);
  const rows = ctx.market.symbols
    .filter((s) => s.listDate <= ctx.today)
    .map((s) => {
      const active = s.delistDate === null || s.delistDate > ctx.today;
      return {
        id: stableUuid(`alpaca:asset:${s.symbol}`),
        class: 'us_equity',
        exchange: EXCHANGE_NAME[s.exchange],
        symbol: s.symbol,
        name: s.name,
        status: active ? 'active' : 'inactive',
        tradable: active,
        marginable: active,
        shortable: active,
        easy_to_borrow: active,
        fractionable: active && s.type === 'ETF',
        maintenance_margin_requirement: 30,
        attributes: [] as string[],
      };
    })
    .filter((a) => (status === null || a.status === status) && (exchange === null || a.exchange === exchange));
  return jsonResponse(200, rows);
}
