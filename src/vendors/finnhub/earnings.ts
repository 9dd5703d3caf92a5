import { buildUrl } from '../../http/index.js';
import { lineage, requireDate, requireOrderedRange, type Lineage } from '../shared/index.js';
import { FINNHUB_SYMBOL_RE, requireSymbol, type FinnhubContext } from './context.js';
import { earningsCalendarSchema } from './schemas.js';

/** One earnings-calendar row: a (fiscal) quarter's report date, estimates and, once reported, actuals. */
export interface FinnhubEarningsRow extends Lineage {
  symbol: string;
  /** Report date `YYYY-MM-DD` (revised over time: never point-in-time knowledge). */
  date: string;
  /** `bmo` before open, `amc` after close, `dmh` during market hours; null when not given. */
  hour: string | null;
  /** Fiscal year and quarter, not calendar: AAPL's report of 2020-01-28 is fiscal 2020 Q1. */
  fiscal_year: number | null;
  fiscal_quarter: number | null;
  /** Non-GAAP, as Finnhub reports them; actuals are null until reported. */
  eps_actual: number | null;
  eps_estimate: number | null;
  revenue_actual: number | null;
  revenue_estimate: number | null;
}

export interface FinnhubEarningsParams {
  from: string;
  to: string;
  /** One symbol, or the whole calendar when omitted. */
  symbol?: string;
  signal?: AbortSignal;
}

/**
 * `GET /calendar/earnings?from=D&to=D[&symbol=S]` (free: about one month of history, §3.7). No
 * endpoint id of its own: counted against `finnhub.symbols`. Wide windows are silently truncated
 * by the vendor: callers ask for ≤ 15 days at a time. Junk symbols are skipped and reported.
 */
export async function fetchEarningsCalendar(ctx: FinnhubContext, params: FinnhubEarningsParams): Promise<FinnhubEarningsRow[]> {
  const endpoint = 'finnhub.symbols';
  requireDate(params.from, 'from', 'finnhub', endpoint);
  requireDate(params.to, 'to', 'finnhub', endpoint);
  requireOrderedRange(params.from, params.to, 'finnhub', endpoint);
  if (params.symbol !== undefined) requireSymbol(params.symbol, endpoint);
  const url = buildUrl(ctx.baseUrl, '/calendar/earnings', { from: params.from, to: params.to, symbol: params.symbol });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: earningsCalendarSchema, signal: params.signal });
  const origin = lineage('finnhub', result.redactedUrl, ctx.clock);
  const rows: FinnhubEarningsRow[] = [];
  for (const e of result.body.earningsCalendar) {
    if (!FINNHUB_SYMBOL_RE.test(e.symbol)) {
      ctx.onSkip({ endpoint, value: JSON.stringify(e.symbol), reason: 'symbol fails the sanity check' });
      continue;
    }
    rows.push({
      symbol: e.symbol,
      date: e.date,
      hour: e.hour ? e.hour.toLowerCase() : null,
      fiscal_year: e.year ?? null,
      fiscal_quarter: e.quarter ?? null,
      eps_actual: e.epsActual ?? null,
      eps_estimate: e.epsEstimate ?? null,
      revenue_actual: e.revenueActual ?? null,
      revenue_estimate: e.revenueEstimate ?? null,
      ...origin,
    });
  }
  return rows;
}
