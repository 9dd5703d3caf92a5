import type { DatedBar } from '../market/index.js';
import type { EmulatorResponse } from '../shared/http.js';
import { datatypeOf, knownSymbol, type AvContext } from './context.js';
import { avCsv, avJson, information, invalidCall, PREMIUM_OUTPUTSIZE_TEXT } from './messages.js';

const FUNCTION = 'TIME_SERIES_DAILY';
const COMPACT_SESSIONS = 100;

/**
 * `TIME_SERIES_DAILY`: raw (as-traded) daily bars, newest first, prices as 4-decimal strings.
 * Compact = the latest 100 completed sessions; `full` is refused on plans without it. A delisted or
 * unknown symbol gets "Invalid API call" (the vendor no longer covers it).
 */
export function timeSeriesDaily(query: URLSearchParams, ctx: AvContext): EmulatorResponse {
  const outputsize = query.get('outputsize') ?? 'compact';
  const datatype = datatypeOf(query);
  if ((outputsize !== 'compact' && outputsize !== 'full') || datatype === undefined) return invalidCall(FUNCTION);
  if (outputsize === 'full' && !ctx.outputsizeFull) return information(PREMIUM_OUTPUTSIZE_TEXT);

  const info = knownSymbol(ctx, query.get('symbol'));
  if (info === undefined || (info.delistDate !== null && info.delistDate <= ctx.today)) return invalidCall(FUNCTION);
  const completed = ctx.market.barsOf(info.symbol).filter((b) => b.date <= ctx.lastCompleted);
  if (completed.length === 0) return invalidCall(FUNCTION);
  const bars = (outputsize === 'full' ? completed : completed.slice(-COMPACT_SESSIONS)).reverse();

  if (datatype === 'csv') {
    return avCsv(['timestamp', 'open', 'high', 'low', 'close', 'volume'], bars.map((b) => [b.date, ...wireValues(b)]));
  }
  const series: Record<string, Record<string, string>> = {};
  for (const b of bars) {
    const [open, high, low, close, volume] = wireValues(b);
    series[b.date] = { '1. open': open, '2. high': high, '3. low': low, '4. close': close, '5. volume': volume };
  }
  return avJson({
    'Meta Data': {
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': info.symbol,
      '3. Last Refreshed': (bars[0] as DatedBar).date,
      '4. Output Size': outputsize === 'full' ? 'Full size' : 'Compact',
      '5. Time Zone': 'US/Eastern',
    },
    'Time Series (Daily)': series,
  });
}

function wireValues({ bar }: DatedBar): [string, string, string, string, string] {
  return [bar.open.toFixed(4), bar.high.toFixed(4), bar.low.toFixed(4), bar.close.toFixed(4), String(Math.round(bar.volume))];
}
