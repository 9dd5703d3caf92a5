import type { RowFor } from '../../catalog/index.js';
import { nyDate } from '../../calendar/index.js';
import { BadRequest, type HttpResult } from '../../http/index.js';
import { invariantBroken, lineage } from '../shared/index.js';
import { MAX_BARS_LIMIT } from './bars.js';
import { tokenPages, type AlpacaContext } from './context.js';
import { normalizeOptionSymbols, parseOccSymbol } from './occ.js';
import { optionBarsPageSchema, type BarsPage } from './schemas.js';
import { barInstantWithin, nyDayWindow, type InstantWindow } from './window.js';

const ENDPOINT = 'alpaca.options.bars';
/** Documented cap on `symbols` per options request; longer lists become several request chains. */
export const MAX_OPTION_SYMBOLS = 100;
/** The options feeds: `indicative` (free: trades delayed 15 min, quotes modified) or `opra` (paid). */
export type OptionFeed = 'indicative' | 'opra';
export const DEFAULT_OPTION_FEED: OptionFeed = 'indicative';

// The stock-bars grammar (vendors/alpaca.md §4.1): 1-59 Min/T, 1-23 Hour/H, 1 Day/D, 1 Week/W, 1,2,3,4,6,12 Month/M.
const TIMEFRAME_RE = /^(?:(?:[1-9]|[1-5]\d)(?:Min|T)|(?:[1-9]|1\d|2[0-3])(?:Hour|H)|1(?:Day|D)|1(?:Week|W)|(?:[1-4]|6|12)(?:Month|M))$/;

export interface AlpacaOptionBarsParams {
  /** OCC symbols (`AAPL240419P00140000`, an `O:` prefix is stripped); any number, sent ≤ 100 a request. */
  symbols: string[];
  /** Inclusive; a `YYYY-MM-DD` stands for the whole New York day (see nyDayWindow). */
  start: string;
  end: string;
  /** @default '1Day' */
  timeframe?: string;
  /**
   * The feed the account's options data comes from; it labels the rows. The bars endpoint takes no
   * `feed` parameter: Alpaca serves `opra` only to OPRA subscribers and `indicative` to everyone
   * else (every free key), so the caller states which plan the key has. @default 'indicative'
   */
  feed?: OptionFeed;
  /** Bars per page across the chain's symbols. @default 10000 */
  limit?: number;
  signal?: AbortSignal;
}

export interface AlpacaOptionBarsPage {
  rows: RowFor<'options_bars'>[];
  /** 1-based request chain (one per ≤ 100 symbols) and page within it. */
  chain: number;
  page: number;
  redactedUrl: string;
}

/**
 * `GET /v1beta1/options/bars`, every page of every ≤ 100-symbol chain. Rows keep the bar start
 * `ts`, its New York `date`, the contract without prefix and the underlying read from the OCC
 * symbol; `quote_quality` is the feed and `indicative` is true on the indicative feed.
 */
export async function* streamOptionBars(ctx: AlpacaContext, params: AlpacaOptionBarsParams): AsyncGenerator<AlpacaOptionBarsPage> {
  const { chunks, base, window, feed } = optionBarsRequest(params);
  for (const [index, chunk] of chunks.entries()) {
    const query = { symbols: chunk.join(','), ...base };
    for await (const { result, page } of tokenPages(ctx, { endpoint: ENDPOINT, path: '/v1beta1/options/bars', query, schema: optionBarsPageSchema, signal: params.signal })) {
      yield { rows: optionBarRows(ctx, result, window, feed), chain: index + 1, page, redactedUrl: result.redactedUrl };
    }
  }
}

function optionBarsRequest(params: AlpacaOptionBarsParams) {
  const symbols = normalizeOptionSymbols(params.symbols, ENDPOINT);
  const timeframe = params.timeframe ?? '1Day';
  if (!TIMEFRAME_RE.test(timeframe)) throw bad(`timeframe must be like 1Min, 1Hour, 1Day, 1Week or 1Month, got ${JSON.stringify(timeframe)}`);
  const feed = params.feed ?? DEFAULT_OPTION_FEED;
  if (feed !== 'indicative' && feed !== 'opra') throw bad(`feed must be "indicative" or "opra", got ${JSON.stringify(feed)}`);
  const limit = params.limit ?? MAX_BARS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT) throw bad(`limit must be an integer 1..${MAX_BARS_LIMIT}, got ${String(limit)}`);
  const window = nyDayWindow(params.start, params.end, ENDPOINT);
  const chunks: string[][] = [];
  for (let i = 0; i < symbols.length; i += MAX_OPTION_SYMBOLS) chunks.push(symbols.slice(i, i + MAX_OPTION_SYMBOLS));
  // Fixed order after `symbols`, so every page of a chain sends byte-identical parameters.
  return { chunks, window, feed, base: { timeframe, start: window.start, end: window.end, limit, sort: 'asc' } };
}

function optionBarRows(ctx: AlpacaContext, result: HttpResult<BarsPage>, window: InstantWindow, feed: OptionFeed): RowFor<'options_bars'>[] {
  const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
  const rows: RowFor<'options_bars'>[] = [];
  for (const [symbol, bars] of Object.entries(result.body.bars ?? {})) {
    const contract = parseOccSymbol(symbol);
    if (contract === undefined) throw invariantBroken(result, 'alpaca', ENDPOINT, `bars keyed by ${JSON.stringify(symbol)}, which is not an OCC option symbol`);
    for (const bar of bars ?? []) {
      const at = barInstantWithin(result, ENDPOINT, symbol, bar.t, window);
      rows.push({
        contract: contract.contract,
        ts: new Date(at).toISOString(),
        underlying: contract.underlying,
        date: nyDate(at),
        open: bar.o,
        high: bar.h,
        low: bar.l,
        close: bar.c,
        volume: bar.v,
        vwap: bar.vw ?? null,
        trades: bar.n ?? null,
        quote_quality: feed,
        indicative: feed === 'indicative',
        ...origin,
      });
    }
  }
  return rows;
}

function bad(detail: string): BadRequest {
  return new BadRequest(detail, { vendor: 'alpaca', endpoint: ENDPOINT });
}
