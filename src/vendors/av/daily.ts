import type { EquityBarRow } from '../../catalog/index.js';
import { nyDate, nyTime } from '../../calendar/index.js';
import { lineage } from '../shared/index.js';
import { AV_HEADERS, queryUrl, requireSymbol, type AvContext } from './context.js';
import { timeSeriesDailySchema } from './schemas.js';

export type AvOutputSize = 'compact' | 'full';

export interface AvDailyOptions {
  /**
   * `compact` (default): the latest 100 sessions, the only size a free key gets. `full` (20+ years)
   * is premium: a free key is refused with EntitlementDenied ("outputsize=full … premium feature").
   */
  outputsize?: AvOutputSize;
  signal?: AbortSignal;
}

/** AV's own end-of-day settles after the close; before this New York time today's row may still move. */
const FINAL_AFTER_NY = '18:00';
const CLOSE_NY = '16:00';

/**
 * `TIME_SERIES_DAILY&symbol=S&outputsize=compact`: raw (as-traded) daily bars, newest first in the
 * payload, returned oldest first. One request per call. A row for a session still in progress
 * (`Last Refreshed` carries an intraday time, or the row is today's before 18:00 New York) is
 * dropped and reported as a `skipped` notice: raw/ only holds final bars.
 */
export async function fetchTimeSeriesDaily(ctx: AvContext, symbol: string, options: AvDailyOptions = {}): Promise<EquityBarRow[]> {
  const endpoint = 'av.time_series_daily';
  const ticker = requireSymbol(symbol, endpoint);
  const url = queryUrl(ctx, 'TIME_SERIES_DAILY', { symbol: ticker, outputsize: options.outputsize ?? 'compact' });
  const result = await ctx.http.getJson(url, { endpoint, headers: AV_HEADERS, schema: timeSeriesDailySchema, signal: options.signal });
  const origin = lineage('av', result.redactedUrl, ctx.clock);
  const lastRefreshed = result.body['Meta Data']['3. Last Refreshed'];
  const rows: EquityBarRow[] = [];
  for (const [date, bar] of Object.entries(result.body['Time Series (Daily)'])) {
    const why = inProgressReason(date, lastRefreshed, ctx.clock.now());
    if (why !== undefined) {
      ctx.onNotice({ endpoint, kind: 'skipped', value: JSON.stringify(`${ticker} ${date}`), reason: why });
      continue;
    }
    rows.push({
      symbol: ticker,
      date,
      open: bar['1. open'],
      high: bar['2. high'],
      low: bar['3. low'],
      close: bar['4. close'],
      volume: bar['5. volume'],
      vwap: null,
      trades: null,
      feed: null,
      adjusted: false,
      ...origin,
    });
  }
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Why a row may not be final yet (vendors/alphavantage.md §3.1), or undefined when it is. */
function inProgressReason(date: string, lastRefreshed: string, nowMs: number): string | undefined {
  const refreshedDate = lastRefreshed.slice(0, 10);
  const refreshedTime = lastRefreshed.slice(11, 16);
  if (date === refreshedDate && refreshedTime !== '' && refreshedTime < CLOSE_NY) {
    return `session in progress (Last Refreshed ${lastRefreshed})`;
  }
  const today = nyDate(nowMs);
  if (date > today) return `dated after today (${today} New York)`;
  if (date === today && nyTime(nowMs) < FINAL_AFTER_NY) return `today's session is not final before ${FINAL_AFTER_NY} New York`;
  return undefined;
}
