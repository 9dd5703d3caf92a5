import type { CorpActionRow } from '../../catalog/index.js';
import { buildUrl } from '../../http/index.js';
import { lineage, optionalDate, requireDate, requireOrderedRange } from '../shared/index.js';
import { requireSymbol, type FinnhubContext } from './context.js';
import { dividendsSchema } from './schemas.js';

/**
 * `GET /stock/dividend?symbol=S&from=D&to=D` (vendors/finnhub.md §3.6). Premium: a free key gets
 * 403 "You don't have access…", classified EntitlementDenied(capability), so the router stops
 * asking. No endpoint id of its own: counted against `finnhub.splits`, the other premium
 * corporate-action call. `date` is the ex date; `cash_amount` is `amount`, the per-share cash in the
 * share terms of its own date (`adjustedAmount` is split-adjusted to today and not kept: AAPL
 * 2019-02-08 is 0.73, not 0.77). Exact duplicates are dropped.
 */
export async function fetchDividends(ctx: FinnhubContext, symbol: string, from: string, to: string, signal?: AbortSignal): Promise<CorpActionRow[]> {
  const endpoint = 'finnhub.splits';
  requireSymbol(symbol, endpoint);
  requireDate(from, 'from', 'finnhub', endpoint);
  requireDate(to, 'to', 'finnhub', endpoint);
  requireOrderedRange(from, to, 'finnhub', endpoint);
  const url = buildUrl(ctx.baseUrl, '/stock/dividend', { symbol, from, to });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: dividendsSchema, signal });
  const origin = lineage('finnhub', result.redactedUrl, ctx.clock);
  const rows = new Map<string, CorpActionRow>();
  for (const d of result.body) {
    const row: CorpActionRow = {
      symbol: d.symbol,
      action: 'dividend',
      ex_date: d.date,
      split_ratio: null,
      cash_amount: d.amount,
      currency: d.currency ? d.currency.toUpperCase() : null,
      record_date: optionalDate(d.recordDate),
      pay_date: optionalDate(d.payDate),
      declared_date: optionalDate(d.declarationDate),
      new_symbol: null,
      ...origin,
    };
    const key = `${row.symbol}|${row.ex_date}|${row.cash_amount}|${row.pay_date}`;
    if (!rows.has(key)) rows.set(key, row);
  }
  return [...rows.values()];
}
