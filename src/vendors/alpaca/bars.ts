import type { EquityBarRow } from '../../catalog/index.js';
import { nyDate } from '../../calendar/index.js';
import { BadRequest, buildUrl, type HttpResult } from '../../http/index.js';
import { instantMs, invariantBroken, isIsoDate, lineage } from '../shared/index.js';
import type { AlpacaContext } from './context.js';
import { TokenTracker } from './context.js';
import { barsPageSchema, type BarsPage } from './schemas.js';
import { normalizeAlpacaSymbols } from './symbols.js';

const ENDPOINT = 'alpaca.bars';
export const MAX_BARS_LIMIT = 10_000;

export interface AlpacaBarsParams {
  symbols: string[];
  /** `YYYY-MM-DD` or an RFC-3339 instant; inclusive. */
  start: string;
  end: string;
  /** Always sent: the documented default `sip` fails for recent windows on the free plan. */
  feed: 'sip' | 'iex';
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
  const tokens = new TokenTracker();
  let pageToken: string | undefined;
  for (let page = 1; ; page += 1) {
    const url = buildUrl(ctx.dataBaseUrl, '/v2/stocks/bars', { ...query, page_token: pageToken });
    const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: barsPageSchema, signal: params.signal });
    yield { rows: barRows(ctx, result, params.feed), page, redactedUrl: result.redactedUrl };
    pageToken = tokens.next(result.body.next_page_token, (token) =>
      invariantBroken(result, 'alpaca', ENDPOINT, `next_page_token repeated after ${page} page(s) (${token.length}-char token): the vendor is looping`),
    );
    if (pageToken === undefined) return;
  }
}

function barsQuery(params: AlpacaBarsParams): Record<string, string | number> {
  if (params.feed !== 'sip' && params.feed !== 'iex') throw bad(`feed must be "sip" or "iex", got ${JSON.stringify(params.feed)}`);
  const symbols = normalizeAlpacaSymbols(params.symbols, ENDPOINT);
  if (symbols.length === 0) throw bad('no symbols given');
  const limit = params.limit ?? MAX_BARS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT) throw bad(`limit must be an integer 1..${MAX_BARS_LIMIT}, got ${String(limit)}`);
  requireBound(params.start, 'start');
  requireBound(params.end, 'end');
  if (isIsoDate(params.start) && isIsoDate(params.end) && params.start > params.end) throw bad(`start ${params.start} is after end ${params.end}`);
  // Fixed order, so every page of a chain sends byte-identical parameters besides page_token.
  return { symbols: symbols.join(','), timeframe: '1Day', start: params.start, end: params.end, limit, adjustment: 'raw', feed: params.feed, sort: 'asc' };
}

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function requireBound(value: string, name: string): void {
  if (!isIsoDate(value) && !(RFC3339_RE.test(value) && instantMs(value) !== undefined)) {
    throw bad(`${name} must be YYYY-MM-DD or an RFC-3339 instant, got ${JSON.stringify(value)}`);
  }
}

function bad(detail: string): BadRequest {
  return new BadRequest(detail, { vendor: 'alpaca', endpoint: ENDPOINT });
}

function barRows(ctx: AlpacaContext, result: HttpResult<BarsPage>, feed: 'sip' | 'iex'): EquityBarRow[] {
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
