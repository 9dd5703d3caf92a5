import { BadRequest } from '../../http/index.js';
import { instantMs, invariantBroken, lineage, type Lineage } from '../shared/index.js';
import { MAX_BARS_LIMIT } from './bars.js';
import { tokenPages, type AlpacaContext } from './context.js';
import { normalizeOptionSymbols, parseOccSymbol } from './occ.js';
import { DEFAULT_OPTION_FEED, MAX_OPTION_SYMBOLS, type OptionFeed } from './option-bars.js';
import { optionTradesPageSchema, type OptionTradesPage } from './schemas.js';
import { nyDayWindow, type InstantWindow } from './window.js';

/**
 * DESIGN.md has no endpoint id (nor dataset) for option trades: requests are counted against
 * `alpaca.options.bars`, the same host, path family and per-key budget.
 */
const ENDPOINT = 'alpaca.options.bars';

/** One option trade, its contract read from the OCC symbol it was keyed by. */
export interface OptionTrade {
  /** OCC symbol without prefix: `SPY240426C00555000`. */
  contract: string;
  underlying: string;
  /** `YYYY-MM-DD` */
  expiration: string;
  strike: number;
  right: 'C' | 'P';
  /** The trade instant exactly as Alpaca sent it (UTC, nanoseconds kept: trades within one millisecond stay ordered). */
  ts: string;
  price: number;
  /** Contracts. */
  size: number;
  /** Alpaca's option exchange code (`M`, `B`, …); null when absent. */
  exchange: string | null;
  /** Condition codes; Alpaca sends one code on option trades (`"I"`), normalised to a list. */
  conditions: string[];
}

export interface ParsedOptionTrades {
  trades: OptionTrade[];
  /** Opaque cursor of the next page; null on the last page. */
  next_page_token: string | null;
}

/**
 * Maps one validated `/v1beta1/options/trades` page to typed trades, contract by contract in the
 * vendor's order. A key that is not an OCC symbol or a trade without a readable instant is a broken
 * payload: `fail` builds the error to throw (the client makes it a Malformed carrying the body).
 */
export function parseOptionTrades(page: OptionTradesPage, fail: (reason: string) => Error): ParsedOptionTrades {
  const trades: OptionTrade[] = [];
  for (const [symbol, list] of Object.entries(page.trades ?? {})) {
    const occ = parseOccSymbol(symbol);
    if (occ === undefined) throw fail(`trades keyed by ${JSON.stringify(symbol)}, which is not an OCC option symbol`);
    for (const trade of list ?? []) {
      if (instantMs(trade.t) === undefined) throw fail(`trade of ${symbol} has an unparseable t ${JSON.stringify(trade.t)}`);
      trades.push({
        contract: occ.contract,
        underlying: occ.underlying,
        expiration: occ.expiration,
        strike: occ.strike,
        right: occ.right,
        ts: trade.t,
        price: trade.p,
        size: trade.s,
        exchange: trade.x || null,
        conditions: conditionsOf(trade.c),
      });
    }
  }
  return { trades, next_page_token: page.next_page_token || null };
}

function conditionsOf(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined || value === '') return [];
  return typeof value === 'string' ? [value] : value.filter((code) => code !== '');
}

export interface AlpacaOptionTradesParams {
  /** OCC symbols (an `O:` prefix is stripped); any number, sent ≤ 100 a request. */
  symbols: string[];
  /** Inclusive; a `YYYY-MM-DD` stands for the whole New York day (see nyDayWindow). */
  start: string;
  end: string;
  /** The account's options feed, which labels the rows (the endpoint takes no `feed`). @default 'indicative' */
  feed?: OptionFeed;
  /** Trades per page across the chain's symbols. @default 10000 */
  limit?: number;
  signal?: AbortSignal;
}

export type OptionTradeRow = OptionTrade & Lineage & { quote_quality: OptionFeed; indicative: boolean };

export interface AlpacaOptionTradesPage {
  rows: OptionTradeRow[];
  /** 1-based request chain (one per ≤ 100 symbols) and page within it. */
  chain: number;
  page: number;
  nextPageToken: string | null;
  redactedUrl: string;
}

/**
 * `GET /v1beta1/options/trades`, every page of every ≤ 100-symbol chain, oldest first. Free keys
 * read the indicative feed (trades delayed 15 minutes): rows say so in `quote_quality`/`indicative`.
 * A trade outside the requested window makes the page Malformed rather than misfiled.
 */
export async function* streamOptionTrades(ctx: AlpacaContext, params: AlpacaOptionTradesParams): AsyncGenerator<AlpacaOptionTradesPage> {
  const { chunks, window, feed, base } = optionTradesRequest(params);
  for (const [index, chunk] of chunks.entries()) {
    const query = { symbols: chunk.join(','), ...base };
    for await (const { result, page } of tokenPages(ctx, { endpoint: ENDPOINT, path: '/v1beta1/options/trades', query, schema: optionTradesPageSchema, signal: params.signal })) {
      const fail = (reason: string): Error => invariantBroken(result, 'alpaca', ENDPOINT, reason);
      const parsed = parseOptionTrades(result.body, fail);
      const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
      const rows = parsed.trades.map((trade) => {
        assertWithin(trade, window, fail);
        return { ...trade, quote_quality: feed, indicative: feed === 'indicative', ...origin };
      });
      yield { rows, chain: index + 1, page, nextPageToken: parsed.next_page_token, redactedUrl: result.redactedUrl };
    }
  }
}

function optionTradesRequest(params: AlpacaOptionTradesParams) {
  const symbols = normalizeOptionSymbols(params.symbols, ENDPOINT);
  const feed = params.feed ?? DEFAULT_OPTION_FEED;
  if (feed !== 'indicative' && feed !== 'opra') throw bad(`feed must be "indicative" or "opra", got ${JSON.stringify(feed)}`);
  const limit = params.limit ?? MAX_BARS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT) throw bad(`limit must be an integer 1..${MAX_BARS_LIMIT}, got ${String(limit)}`);
  const window = nyDayWindow(params.start, params.end, ENDPOINT);
  const chunks: string[][] = [];
  for (let i = 0; i < symbols.length; i += MAX_OPTION_SYMBOLS) chunks.push(symbols.slice(i, i + MAX_OPTION_SYMBOLS));
  // Fixed order after `symbols`, so every page of a chain sends byte-identical parameters.
  return { chunks, window, feed, base: { start: window.start, end: window.end, limit, sort: 'asc' } };
}

function assertWithin(trade: OptionTrade, window: InstantWindow, fail: (reason: string) => Error): void {
  const at = instantMs(trade.ts) ?? Number.NaN;
  if (!(at >= window.startMs && at <= window.endMs)) throw fail(`trade of ${trade.contract} at ${trade.ts} lies outside the requested ${window.start}..${window.end}`);
}

function bad(detail: string): BadRequest {
  return new BadRequest(detail, { vendor: 'alpaca', endpoint: ENDPOINT });
}
