import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { EXCHANGE, intParam, isActive, listedSymbols, type FmpContext } from './context.js';
import { lastBarOn } from './prices.js';
import { CONSTRUCTED_MESSAGES, premiumQuery } from './responses.js';

/** `GET /stable/stock-list`: every symbol listed by today, `{symbol, companyName}` only. */
export function stockList(ctx: FmpContext): EmulatorResponse {
  return jsonResponse(200, listedSymbols(ctx).map((s) => ({ symbol: s.symbol, companyName: s.name })));
}

/** `GET /stable/actively-trading-list`: symbols still trading today, `{symbol, name}`. */
export function activelyTradingList(ctx: FmpContext): EmulatorResponse {
  return jsonResponse(200, listedSymbols(ctx).filter((s) => isActive(s, ctx.today)).map((s) => ({ symbol: s.symbol, name: s.name })));
}

/** `GET /stable/financial-statement-symbol-list`: companies with at least one statement filed by now. */
export function financialStatementSymbolList(ctx: FmpContext): EmulatorResponse {
  const rows = listedSymbols(ctx)
    .filter((s) => ctx.fundamentals.reportsOf(s.symbol).some((r) => r.acceptedMs <= ctx.now))
    .map((s) => ({ symbol: s.symbol, companyName: s.name, tradingCurrency: 'USD', reportingCurrency: 'USD' }));
  return jsonResponse(200, rows);
}

/**
 * `GET /stable/delisted-companies?page=&limit=`: delistings up to today, newest first, `page`
 * 0-based with `limit` rows (default 100); pages past the plan's last are a premium-parameter 402.
 */
export function delistedCompanies(query: URLSearchParams, ctx: FmpContext): EmulatorResponse {
  const page = intParam(query, 'page', 0);
  if (typeof page !== 'number') return page;
  const limit = intParam(query, 'limit', 100);
  if (typeof limit !== 'number') return limit;
  const maxPage = ctx.plan.delistedMaxPage;
  if (maxPage !== null && page > maxPage) return premiumQuery(ctx.plan, CONSTRUCTED_MESSAGES.premiumRange('page', maxPage));
  const rows = ctx.market.symbols
    .filter((s): s is typeof s & { delistDate: string } => s.delistDate !== null && s.delistDate <= ctx.today)
    .sort((a, b) => (a.delistDate === b.delistDate ? (a.symbol < b.symbol ? -1 : 1) : a.delistDate < b.delistDate ? 1 : -1))
    .slice(page * limit, page * limit + limit)
    .map((s) => ({ symbol: s.symbol, companyName: s.name, exchange: EXCHANGE[s.exchange].short, ipoDate: s.listDate, delistedDate: s.delistDate }));
  return jsonResponse(200, rows);
}

/** Legacy `GET /api/v3/stock/list`: `{symbol, name, price, exchange, exchangeShortName, type}`. */
export function legacyStockList(ctx: FmpContext): EmulatorResponse {
  const rows = listedSymbols(ctx).flatMap((s) => {
    const last = lastBarOn(ctx, s.symbol);
    if (!last) return [];
    const venue = EXCHANGE[s.exchange];
    return [{ symbol: s.symbol, name: s.name, price: last.bar.close, exchange: venue.full, exchangeShortName: venue.short, type: s.type === 'ETF' ? 'etf' : 'stock' }];
  });
  return jsonResponse(200, rows);
}
