import type { CorpActionRow, EndpointId, SymbolRow } from '../../catalog/index.js';
import { BadRequest, buildUrl } from '../../http/index.js';
import { lineage, optionalDate, requireDate, requireOrderedRange } from '../shared/index.js';
import { POLYGON_TICKER_RE, pages, type PolygonContext } from './context.js';
import { dividendsPageSchema, splitsPageSchema, tickersPageSchema } from './schemas.js';

export const CORP_ACTIONS_PAGE_LIMIT = 5_000;
export const TICKERS_PAGE_LIMIT = 1_000;

export interface PolygonCorpActionParams {
  ticker?: string;
  /** Inclusive bounds on the ex date (`execution_date` / `ex_dividend_date`). */
  from?: string;
  to?: string;
  signal?: AbortSignal;
}

export interface PolygonTickersParams {
  /** `false` lists delisted tickers (a separate query). */
  active: boolean;
  market?: 'stocks';
  signal?: AbortSignal;
}

const NO_CORP_FIELDS = { split_ratio: null, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };

/**
 * `GET /stocks/v1/splits`, all pages. split_ratio = split_to / split_from (AAPL 2020 1→4 = 4,
 * BRW 2→1 = 0.5); `execution_date` is the ex date; `adjustment_type: stock_dividend` rows become
 * `stock_dividend`. Exact duplicates (same ticker, date and ratio) are dropped; same-ticker rows on
 * different dates (SHOP 2022-06-22 and 06-29, issue #311) are both kept for QC to judge.
 */
export async function fetchSplits(ctx: PolygonContext, params: PolygonCorpActionParams): Promise<CorpActionRow[]> {
  const endpoint = 'polygon.reference.splits';
  const first = buildUrl(ctx.baseUrl, '/stocks/v1/splits', {
    ...filters(params, 'execution_date', endpoint),
    limit: CORP_ACTIONS_PAGE_LIMIT,
  });
  const rows = new Map<string, CorpActionRow>();
  for await (const result of pages(ctx, first, { endpoint, schema: splitsPageSchema, signal: params.signal })) {
    const origin = lineage('polygon', result.redactedUrl, ctx.clock);
    for (const s of result.body.results ?? []) {
      const ratio = s.split_to / s.split_from;
      const action = s.adjustment_type === 'stock_dividend' ? 'stock_dividend' : 'split';
      const key = `${s.ticker}|${action}|${s.execution_date}|${ratio}`;
      if (!rows.has(key)) rows.set(key, { ...NO_CORP_FIELDS, symbol: s.ticker, action, ex_date: s.execution_date, split_ratio: ratio, ...origin });
    }
  }
  return [...rows.values()];
}

/** `GET /stocks/v1/dividends`, all pages; `cash_amount` raw (in the share terms of its own date). */
export async function fetchDividends(ctx: PolygonContext, params: PolygonCorpActionParams): Promise<CorpActionRow[]> {
  const endpoint = 'polygon.reference.dividends';
  const first = buildUrl(ctx.baseUrl, '/stocks/v1/dividends', {
    ...filters(params, 'ex_dividend_date', endpoint),
    limit: CORP_ACTIONS_PAGE_LIMIT,
  });
  const rows = new Map<string, CorpActionRow>();
  for await (const result of pages(ctx, first, { endpoint, schema: dividendsPageSchema, signal: params.signal })) {
    const origin = lineage('polygon', result.redactedUrl, ctx.clock);
    for (const d of result.body.results ?? []) {
      const row: CorpActionRow = {
        ...NO_CORP_FIELDS,
        symbol: d.ticker,
        action: 'dividend',
        ex_date: d.ex_dividend_date,
        cash_amount: d.cash_amount,
        currency: d.currency ? d.currency.toUpperCase() : null,
        record_date: optionalDate(d.record_date),
        pay_date: optionalDate(d.pay_date),
        declared_date: optionalDate(d.declaration_date),
        ...origin,
      };
      const key = `${row.symbol}|${row.ex_date}|${row.cash_amount}|${row.pay_date}`;
      if (!rows.has(key)) rows.set(key, row);
    }
  }
  return [...rows.values()];
}

/**
 * `GET /v3/reference/tickers?market=stocks&active=…&limit=1000`, all pages. Delisted rows get
 * `status: 'delisted'` and the date part of `delisted_utc` (a date label at 00:00Z or 04:00Z, not a
 * bar instant: converting it to New York would move midnight-UTC labels to the previous day).
 * Exact duplicate records (UST, issue #176-style) are dropped; junk tickers are skipped.
 */
export async function fetchTickers(ctx: PolygonContext, params: PolygonTickersParams): Promise<SymbolRow[]> {
  const endpoint = 'polygon.reference.tickers';
  const first = buildUrl(ctx.baseUrl, '/v3/reference/tickers', { market: params.market ?? 'stocks', active: params.active, limit: TICKERS_PAGE_LIMIT });
  const rows = new Map<string, SymbolRow>();
  for await (const result of pages(ctx, first, { endpoint, schema: tickersPageSchema, signal: params.signal })) {
    const origin = lineage('polygon', result.redactedUrl, ctx.clock);
    for (const t of result.body.results ?? []) {
      if (!POLYGON_TICKER_RE.test(t.ticker)) {
        ctx.onSkip({ endpoint, value: JSON.stringify(t.ticker), reason: 'ticker fails the sanity check' });
        continue;
      }
      const active = t.active ?? params.active;
      const row: SymbolRow = {
        symbol: t.ticker,
        name: t.name || null,
        exchange: t.primary_exchange || null,
        asset_type: t.type || null,
        status: active ? 'active' : 'delisted',
        ipo_date: null,
        delisted_date: active ? null : optionalDate(t.delisted_utc),
        ...origin,
      };
      const key = `${row.symbol}|${row.status}|${row.delisted_date}`;
      if (!rows.has(key)) rows.set(key, row);
    }
  }
  return [...rows.values()];
}

function filters(params: PolygonCorpActionParams, dateField: string, endpoint: EndpointId): Record<string, string | undefined> {
  if (params.ticker !== undefined && !POLYGON_TICKER_RE.test(params.ticker)) {
    throw new BadRequest(`invalid ticker ${JSON.stringify(params.ticker)}`, { vendor: 'polygon', endpoint });
  }
  if (params.from !== undefined) requireDate(params.from, 'from', 'polygon', endpoint);
  if (params.to !== undefined) requireDate(params.to, 'to', 'polygon', endpoint);
  if (params.from !== undefined && params.to !== undefined) requireOrderedRange(params.from, params.to, 'polygon', endpoint);
  return { ticker: params.ticker, [`${dateField}.gte`]: params.from, [`${dateField}.lte`]: params.to };
}
