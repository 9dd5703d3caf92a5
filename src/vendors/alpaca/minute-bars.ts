import type { RowFor } from '../../catalog/index.js';
import { nyDate } from '../../calendar/index.js';
import type { HttpResult } from '../../http/index.js';
import { lineage } from '../shared/index.js';
import { STOCK_BARS_PATH, stockBarsBasics, type StockFeed } from './bars.js';
import { tokenPages, type AlpacaContext } from './context.js';
import { barsPageSchema, type BarsPage } from './schemas.js';
import { barInstantWithin, nyDayWindow, type InstantWindow } from './window.js';

const ENDPOINT = 'alpaca.minute';

export interface AlpacaMinuteBarsParams {
  symbols: string[];
  /**
   * Inclusive bounds: an RFC-3339 instant, or a `YYYY-MM-DD` that stands for the whole New York
   * day (start → 00:00 New York, end → 23:59:59 New York; see nyDayWindow).
   */
  start: string;
  end: string;
  feed: StockFeed;
  /** Bars per page across all symbols. @default 10000 (intraday pages often hold ~200 anyway) */
  limit?: number;
  signal?: AbortSignal;
}

export interface AlpacaMinuteBarsPage {
  rows: RowFor<'equities_minute'>[];
  /** 1-based page number within this request chain. */
  page: number;
  redactedUrl: string;
  /** The window actually sent, as UTC instants. */
  window: InstantWindow;
}

/**
 * `GET /v2/stocks/bars?timeframe=1Min`, every page, raw prices, feed always sent. Each row keeps
 * the bar's start instant `ts` (the original kept only the date and collapsed distinct bars, study
 * B8) and `date` = the New York date of `ts`: a 20:30 ET after-hours bar (00:30Z next day) stays
 * on its own New York date. A bar outside the requested window makes the page Malformed.
 */
export async function* streamMinuteBars(ctx: AlpacaContext, params: AlpacaMinuteBarsParams): AsyncGenerator<AlpacaMinuteBarsPage> {
  const { symbols, limit, feed } = stockBarsBasics(params, ENDPOINT);
  const window = nyDayWindow(params.start, params.end, ENDPOINT);
  const query = { symbols, timeframe: '1Min', start: window.start, end: window.end, limit, adjustment: 'raw', feed, sort: 'asc' };
  for await (const { result, page } of tokenPages(ctx, { endpoint: ENDPOINT, path: STOCK_BARS_PATH, query, schema: barsPageSchema, signal: params.signal })) {
    yield { rows: minuteRows(ctx, result, feed, window), page, redactedUrl: result.redactedUrl, window };
  }
}

function minuteRows(ctx: AlpacaContext, result: HttpResult<BarsPage>, feed: StockFeed, window: InstantWindow): RowFor<'equities_minute'>[] {
  const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
  const rows: RowFor<'equities_minute'>[] = [];
  for (const [symbol, bars] of Object.entries(result.body.bars ?? {})) {
    for (const bar of bars ?? []) {
      const at = barInstantWithin(result, ENDPOINT, symbol, bar.t, window);
      rows.push({
        symbol,
        ts: new Date(at).toISOString(),
        date: nyDate(at),
        open: bar.o,
        high: bar.h,
        low: bar.l,
        close: bar.c,
        volume: bar.v,
        vwap: bar.vw ?? null,
        trades: bar.n ?? null,
        feed,
        ...origin,
      });
    }
  }
  return rows;
}
