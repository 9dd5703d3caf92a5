import { buildUrl, type HttpResult } from '../../http/index.js';
import { invariantBroken, isIsoDate, lineage, type Lineage } from '../shared/index.js';
import { requireSymbol, type FinnhubContext } from './context.js';
import { snakeCase } from './names.js';
import { metricSchema, type FinnhubMetric } from './schemas.js';

/** One point of a `series` history: `currentRatio` of the fiscal year ending 2019-09-28 = 1.5401. */
export interface FinnhubMetricPoint {
  frequency: 'annual' | 'quarterly';
  /** snake_case of Finnhub's name: `current_ratio`, `sales_per_share`, `net_margin`. */
  metric: string;
  period_end: string;
  value: number;
}

/**
 * A few named metrics of `/stock/metric?metric=all` plus its period series. Every value is today's
 * snapshot (not point-in-time): fine for screening, look-ahead in a backtest.
 */
export interface FinnhubBasicFinancials extends Lineage {
  symbol: string;
  high_52w: number | null;
  low_52w: number | null;
  high_52w_date: string | null;
  low_52w_date: string | null;
  /** `52WeekPriceReturnDaily`, in percent: 101.96 is +101.96 %. */
  price_return_52w_pct: number | null;
  beta: number | null;
  /** `10DayAverageTradingVolume`, sent in millions of shares, here in shares (the vendor's 5 decimals are 10-share steps). */
  avg_volume_10d_shares: number | null;
  series: FinnhubMetricPoint[];
}

/**
 * `GET /stock/metric?symbol=S&metric=all` (free, vendors/finnhub.md §3.8). No endpoint id of its
 * own: counted against `finnhub.symbols`. A named metric that is absent or null is null; one of
 * the wrong type (a date where a number belongs) is schema drift, Malformed.
 */
export async function fetchBasicFinancials(ctx: FinnhubContext, symbol: string, signal?: AbortSignal): Promise<FinnhubBasicFinancials> {
  const endpoint = 'finnhub.symbols';
  requireSymbol(symbol, endpoint);
  const url = buildUrl(ctx.baseUrl, '/stock/metric', { symbol, metric: 'all' });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: metricSchema, signal });
  const read = metricReader(result);
  const volumeMillions = read.number('10DayAverageTradingVolume');
  return {
    symbol,
    high_52w: read.number('52WeekHigh'),
    low_52w: read.number('52WeekLow'),
    high_52w_date: read.date('52WeekHighDate'),
    low_52w_date: read.date('52WeekLowDate'),
    price_return_52w_pct: read.number('52WeekPriceReturnDaily'),
    beta: read.number('beta'),
    avg_volume_10d_shares: volumeMillions === null ? null : Math.round(volumeMillions * 1_000_000),
    series: seriesPoints(result.body),
    ...lineage('finnhub', result.redactedUrl, ctx.clock),
  };
}

function metricReader(result: HttpResult<FinnhubMetric>) {
  const metrics = result.body.metric ?? {};
  const drift = (name: string, expected: string) => invariantBroken(result, 'finnhub', 'finnhub.symbols', `metric.${name} is ${JSON.stringify(metrics[name])}, expected ${expected}`);
  return {
    number(name: string): number | null {
      const value = metrics[name];
      if (value === null || value === undefined) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw drift(name, 'a number or null');
      return value;
    },
    date(name: string): string | null {
      const value = metrics[name];
      if (value === null || value === undefined || value === '') return null;
      if (typeof value !== 'string' || !isIsoDate(value)) throw drift(name, 'a date YYYY-MM-DD or null');
      return value;
    },
  };
}

function seriesPoints(body: FinnhubMetric): FinnhubMetricPoint[] {
  const points: FinnhubMetricPoint[] = [];
  for (const frequency of ['annual', 'quarterly'] as const) {
    for (const [name, history] of Object.entries(body.series?.[frequency] ?? {})) {
      for (const { period, v } of history) {
        if (v !== null && v !== undefined) points.push({ frequency, metric: snakeCase(name), period_end: period, value: v });
      }
    }
  }
  return points;
}
