import { delistingAsSymbol, type RowFor, type SymbolRow } from '../../catalog/index.js';
import { lineage, optionalDate } from '../shared/index.js';
import { FMP_SYMBOL_RE, getRouted, keepRequestedSymbol, requireSymbol, type FmpContext, type FmpRoute } from './context.js';
import { profileSchema, stockListSchema, type ProfileRow } from './schemas.js';

export type DelistingRow = RowFor<'delistings'>;

/** ~36k rows, 2–3 MB on stable: give it longer than a per-symbol call. */
const STOCK_LIST_TIMEOUT_MS = 120_000;

/**
 * `GET /stable/stock-list` (legacy `/api/v3/stock/list`): FMP's directory of listed symbols, so
 * every row is `active` (delisted ones come from delisted-companies). Stable rows carry only
 * symbol and company name; legacy rows also the exchange code and a type. The list is global
 * (`.HK`, `.DE`, OTC): filtering to US exchanges is the universe's job, not the connector's.
 */
export async function fetchStockList(ctx: FmpContext, signal?: AbortSignal): Promise<SymbolRow[]> {
  const endpoint = 'fmp.stock_list';
  const target = { params: {}, schema: stockListSchema };
  const { route, result } = await getRouted(ctx, {
    endpoint,
    stable: { ...target, path: '/stock-list' },
    legacy: { ...target, path: '/stock/list' },
    signal,
    timeoutMs: STOCK_LIST_TIMEOUT_MS,
  });
  const origin = lineage('fmp', result.redactedUrl, ctx.clock);
  const seen = new Set<string>();
  const rows: SymbolRow[] = [];
  for (const item of result.body) {
    if (!FMP_SYMBOL_RE.test(item.symbol)) {
      ctx.onSkip({ endpoint, value: JSON.stringify(item.symbol), reason: 'symbol fails the sanity check' });
      continue;
    }
    if (seen.has(item.symbol)) continue;
    seen.add(item.symbol);
    rows.push({
      symbol: item.symbol,
      name: text(item.companyName) ?? text(item.name),
      exchange: route === 'legacy' ? text(item.exchangeShortName) : null,
      asset_type: text(item.type),
      status: 'active',
      ipo_date: null,
      delisted_date: null,
      ...origin,
    });
  }
  return rows;
}

/**
 * `GET /stable/profile?symbol=` (legacy `/api/v3/profile/{SYM}`): name, exchange code, IPO date.
 * `[]` → null. `isActivelyTrading: false` is read as delisted (FMP has no other status field).
 * Price, market cap and volume are today's snapshot, not point-in-time, and are not kept.
 */
export async function fetchCompanyProfile(ctx: FmpContext, symbol: string, signal?: AbortSignal): Promise<SymbolRow | null> {
  const endpoint = 'fmp.profile';
  const wanted = requireSymbol(symbol, endpoint);
  const { route, result } = await getRouted(ctx, {
    endpoint,
    stable: { path: '/profile', params: { symbol: wanted }, schema: profileSchema },
    legacy: { path: `/profile/${encodeURIComponent(wanted)}`, params: {}, schema: profileSchema },
    signal,
  });
  const [item] = keepRequestedSymbol(ctx, endpoint, wanted, result.body);
  if (item === undefined) return null;
  return {
    symbol: wanted,
    name: text(item.companyName),
    exchange: exchangeCode(item, route),
    asset_type: assetType(item),
    status: item.isActivelyTrading === false ? 'delisted' : 'active',
    ipo_date: optionalDate(item.ipoDate),
    delisted_date: null,
    ...lineage('fmp', result.redactedUrl, ctx.clock),
  };
}

/** Stable `exchange` is the code (`NASDAQ`); legacy put the full name there and the code in `exchangeShortName`. */
function exchangeCode(item: ProfileRow, route: FmpRoute): string | null {
  return route === 'legacy' ? (text(item.exchangeShortName) ?? text(item.exchange)) : text(item.exchange);
}

function assetType(item: ProfileRow): string | null {
  if (item.isEtf === true) return 'etf';
  if (item.isFund === true) return 'fund';
  if (item.isAdr === true) return 'adr';
  return item.isEtf === false ? 'stock' : null;
}

/** Symbols-table view of delistings (status `delisted`), for a survivorship-free symbol master. */
export function delistingsAsSymbols(rows: readonly DelistingRow[]): SymbolRow[] {
  return rows.map(delistingAsSymbol);
}

export function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}
