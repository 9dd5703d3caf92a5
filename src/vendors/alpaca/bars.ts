import type { EndpointId, EquityBarRow } from '../../catalog/index.js';
import { nyDate } from '../../calendar/index.js';
import { BadRequest, type HttpResult } from '../../http/index.js';
import { instantMs, invariantBroken, isIsoDate, lineage } from '../shared/index.js';
import type { AlpacaContext } from './context.js';
import { tokenPages } from './context.js';
import { barsPageSchema, type BarsPage } from './schemas.js';
import { normalizeAlpacaSymbols } from './symbols.js';
import { isRfc3339Instant } from './window.js';

const ENDPOINT = 'alpaca.bars';
export const MAX_BARS_LIMIT = 10_000;
export const STOCK_BARS_PATH = '/v2/stocks/bars';

/** Always sent: the documented default `sip` fails for recent windows on the free plan. */
export type StockFeed = 'sip' | 'iex';

export interface AlpacaBarsParams {
  symbols: string[];
  /** `YYYY-MM-DD` or an RFC-3339 instant; inclusive. */
  start: string;
  end: string;
  feed: StockFeed;
  /** Bars per page across all symbols. @default 10000 */
  limit?: number;
  signal?: AbortSignal;
}

export interface AlpacaBarsPage {
  rows: EquityBarRow[];
  /** 1-based page number within this request chain. */
  page: number;
  redactedUrl: string;
}

/**
 * `GET /v2/stocks/bars`, every page. The page token is replayed with every other parameter
 * unchanged (the notes' trap 4); a symbol's series may straddle pages, so rows are yielded per
 * page and merging is the caller's business.
 */
export async function* streamDailyBars(ctx: AlpacaContext, params: AlpacaBarsParams): AsyncGenerator<AlpacaBarsPage> {
  const query = barsQuery(params);
  for await (const { result, page } of tokenPages(ctx, { endpoint: ENDPOINT, path: STOCK_BARS_PATH, query, schema: barsPageSchema, signal: params.signal })) {
    yield { rows: barRows(ctx, result, params.feed), page, redactedUrl: result.redactedUrl };
  }
}

/** Symbols, feed and limit, validated the same way for every stock-bars timeframe. */
export function stockBarsBasics(params: Pick<AlpacaBarsParams, 'symbols' | 'feed' | 'limit'>, endpoint: EndpointId): { symbols: string; limit: number; feed: StockFeed } {
  if (params.feed !== 'sip' && params.feed !== 'iex') throw bad(`feed must be "sip" or "iex", got ${JSON.stringify(params.feed)}`, endpoint);
  const symbols = normalizeAlpacaSymbols(params.symbols, endpoint);
  if (symbols.length === 0) throw bad('no symbols given', endpoint);
  const limit = params.limit ?? MAX_BARS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT) throw bad(`limit must be an integer 1..${MAX_BARS_LIMIT}, got ${String(limit)}`, endpoint);
  return { symbols: symbols.join(','), limit, feed: params.feed };
}

function barsQuery(params: AlpacaBarsParams): Record<string, string | number> {
  const { symbols, limit, feed } = stockBarsBasics(params, ENDPOINT);
  requireBound(params.start, 'start');
  requireBound(params.end, 'end');
  if (isIsoDate(params.start) && isIsoDate(params.end) && params.start > params.end) throw bad(`start ${params.start} is after end ${params.end}`, ENDPOINT);
  // Fixed order, so every page of a chain sends byte-identical parameters besides page_token.
  return { symbols, timeframe: '1Day', start: params.start, end: params.end, limit, adjustment: 'raw', feed, sort: 'asc' };
}

function requireBound(value: string, name: string): void {
  if (!isIsoDate(value) && !isRfc3339Instant(value)) {
    throw bad(`${name} must be YYYY-MM-DD or an RFC-3339 instant, got ${JSON.stringify(value)}`, ENDPOINT);
  }
}

function bad(detail: string, endpoint: EndpointId): BadRequest {
  return new BadRequest(detail, { vendor: 'alpaca', endpoint });
}

function barRows(ctx: AlpacaContext, result: HttpResult<BarsPage>, feed: StockFeed): EquityBarRow[] {
  const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
  const rows: EquityBarRow[] = [];
  for (const [symbol, bars] of Object.entries(result.body.bars ?? {})) {
    for (const bar of bars ?? []) {
      const at = instantMs(bar.t);
      if (at === undefined) throw invariantBroken(result, 'alpaca', ENDPOINT, `bar of ${symbol} has an unparseable t ${JSON.stringify(bar.t)}`);
      rows.push({
        symbol,
        // Daily t is 00:00 New York expressed in UTC (04:00Z/05:00Z): the New York date is the session.
        date: nyDate(at),
        open: bar.o,
        high: bar.h,
        low: bar.l,
        close: bar.c,
        volume: bar.v,
        vwap: bar.vw ?? null,
        trades: bar.n ?? null,
        feed,
        adjusted: false,
        ...origin,
      });
    }
  }
  return rows;
}
