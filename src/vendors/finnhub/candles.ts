import type { EquityBarRow } from '../../catalog/index.js';
import { CALENDAR_END, CALENDAR_START, isSession } from '../../calendar/index.js';
import { buildUrl, type HttpResult } from '../../http/index.js';
import { invariantBroken, lineage, requireDate, requireOrderedRange, type Lineage } from '../shared/index.js';
import { requireSymbol, type FinnhubContext } from './context.js';
import { candlesSchema, type Candles } from './schemas.js';

const ENDPOINT = 'finnhub.candle.daily';
const DAY_S = 86_400;
/** 9999-12-31T00:00Z: beyond it ISO dates stop being YYYY-MM-DD. */
const MAX_T = Date.UTC(9999, 11, 31) / 1000;

type OkCandles = Extract<Candles, { s: 'ok' }>;

/**
 * `GET /stock/candle?symbol=S&resolution=D&from=<start 00:00Z>&to=<end 23:59:59Z>` (premium on
 * free keys: the 403 is an EntitlementDenied of scope capability, never retried).
 *
 * Session date = the UTC calendar date of `t` (vendors/finnhub.md §3.1): Finnhub has stamped daily
 * bars at 09:30 New York (2020), 00:00 New York (the docs sample) and 00:00 UTC (since 2021), and
 * only the UTC date is right under all three; a New York conversion would move today's 00:00 UTC
 * bars to the previous evening. Each date must be an NYSE session or the payload is Malformed.
 * Bars before `start` (the vendor returns the day containing `from`) or after `end` are dropped.
 * `{"s":"no_data"}` is a valid empty answer: []. Daily candles are split-adjusted by the vendor
 * (documented; the `adjusted` parameter stopped working in 2020), so rows say `adjusted: true`.
 */
export async function fetchCandleDaily(ctx: FinnhubContext, symbol: string, start: string, end: string, signal?: AbortSignal): Promise<EquityBarRow[]> {
  requireSymbol(symbol, ENDPOINT);
  requireDate(start, 'start', 'finnhub', ENDPOINT);
  requireDate(end, 'end', 'finnhub', ENDPOINT);
  requireOrderedRange(start, end, 'finnhub', ENDPOINT);
  const from = Date.parse(`${start}T00:00:00Z`) / 1000;
  const to = Date.parse(`${end}T00:00:00Z`) / 1000 + DAY_S - 1;
  const url = buildUrl(ctx.baseUrl, '/stock/candle', { symbol, resolution: 'D', from, to });
  const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: candlesSchema, signal });
  const body = result.body;
  if (body.s === 'no_data') return [];
  const origin = lineage('finnhub', result.redactedUrl, ctx.clock);
  return barsOf({ ...result, body }, symbol, origin).filter((row) => row.date >= start && row.date <= end);
}

function barsOf(result: HttpResult<OkCandles>, symbol: string, origin: Lineage): EquityBarRow[] {
  const { o, h, l, c, v, t } = result.body;
  if (![o, h, l, c, v].every((series) => series.length === t.length)) {
    throw invariantBroken(result, 'finnhub', ENDPOINT, `candle arrays differ in length (t=${t.length}, o=${o.length}, h=${h.length}, l=${l.length}, c=${c.length}, v=${v.length})`);
  }
  return t.map((seconds, i) => {
    if (seconds < 0 || seconds > MAX_T) throw invariantBroken(result, 'finnhub', ENDPOINT, `bar t=${seconds} is not a plausible unix-seconds time`);
    const date = new Date(seconds * 1000).toISOString().slice(0, 10);
    if (date >= CALENDAR_START && date <= CALENDAR_END && !isSession(date)) {
      throw invariantBroken(result, 'finnhub', ENDPOINT, `bar t=${seconds} falls on ${date}, not an NYSE session`);
    }
    return {
      symbol,
      date,
      open: o[i] as number,
      high: h[i] as number,
      low: l[i] as number,
      close: c[i] as number,
      volume: v[i] as number,
      vwap: null,
      trades: null,
      feed: null,
      adjusted: true,
      ...origin,
    };
  });
}
