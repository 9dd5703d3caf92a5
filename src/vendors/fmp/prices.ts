import type { EquityBarRow } from '../../catalog/index.js';
import { addDays, nyDate } from '../../calendar/index.js';
import type { HttpResult } from '../../http/index.js';
import { invariantBroken, lineage, requireDate, requireOrderedRange, type Lineage } from '../shared/index.js';
import { getRouted, keepRequestedSymbol, requireSymbol, type FmpContext, type RouteTarget } from './context.js';
import { legacyPricesSchema, stablePricesSchema, type PriceRow } from './schemas.js';

const ENDPOINT = 'fmp.historical_price';

/**
 * Which price series (vendors/fmp.md §3.3): `raw` is `non-split-adjusted`, prices as traded — the
 * only basis stored in `equities_eod` (`adjusted: false`). `full` is split-adjusted (not raw,
 * whatever its name suggests) and `dividend-adjusted` is split + dividend adjusted; both come back
 * as `adjusted: true` rows for comparisons and are never written as raw.
 */
export type FmpPriceBasis = 'raw' | 'split_adjusted' | 'dividend_adjusted';

const STABLE_PATHS: Record<FmpPriceBasis, string> = {
  raw: '/historical-price-eod/non-split-adjusted',
  split_adjusted: '/historical-price-eod/full',
  dividend_adjusted: '/historical-price-eod/dividend-adjusted',
};

/** One response holds at most ~5,000 rows; a reply that reaches it has been cut short. */
export const PRICE_ROW_CAP = 5_000;
/** Windows are requested in chunks of at most this many years (~3,800 sessions) to stay under the cap. */
export const PRICE_WINDOW_YEARS = 15;

export interface FmpPriceParams {
  /** Inclusive. Without it FMP answers its default window (about the last five years). */
  from?: string;
  /** Inclusive. @default today (New York) when `from` is given */
  to?: string;
  /** @default 'raw' */
  basis?: FmpPriceBasis;
  signal?: AbortSignal;
}

interface Window {
  from?: string;
  to?: string;
}

interface DatedRow {
  price: PriceRow;
  origin: Lineage;
}

/**
 * Daily bars of one symbol, oldest first, one request per ≤ 15-year window. Only the
 * split-adjusted basis has a legacy twin (`/api/v3/historical-price-full/{SYM}`, same basis);
 * raw and dividend-adjusted series have none, so they never fall back. A row for another symbol is
 * skipped, a row outside the asked window makes the reply Malformed, and a flat-filled tail
 * (volume 0, O=H=L=C = the previous close: FMP pads delisted series) is dropped and reported.
 * `vwap` is left null: FMP's is a synthetic average, not an exchange VWAP.
 */
export async function fetchHistoricalPrice(ctx: FmpContext, symbol: string, params: FmpPriceParams = {}): Promise<EquityBarRow[]> {
  const wanted = requireSymbol(symbol, ENDPOINT);
  const basis = params.basis ?? 'raw';
  const byDate = new Map<string, DatedRow>();
  for (const window of windows(ctx, params)) {
    const { result, prices } = await fetchWindow(ctx, wanted, basis, window, params.signal);
    const origin = lineage('fmp', result.redactedUrl, ctx.clock);
    if (prices.length >= PRICE_ROW_CAP) throw invariantBroken(result, 'fmp', ENDPOINT, `${prices.length} rows reach the per-response cap: the window was cut short`);
    for (const price of keepRequestedSymbol(ctx, ENDPOINT, wanted, prices)) {
      if ((window.from !== undefined && price.date < window.from) || (window.to !== undefined && price.date > window.to)) {
        throw invariantBroken(result, 'fmp', ENDPOINT, `bar dated ${price.date} lies outside ${window.from ?? '…'}..${window.to ?? '…'}`);
      }
      if (!byDate.has(price.date)) byDate.set(price.date, { price, origin });
    }
  }
  const ordered = [...byDate.values()].sort((a, b) => (a.price.date < b.price.date ? -1 : 1));
  return dropFlatFillTail(ctx, wanted, ordered).map(({ price, origin }) => barRow(wanted, price, basis, origin));
}

async function fetchWindow(ctx: FmpContext, symbol: string, basis: FmpPriceBasis, window: Window, signal: AbortSignal | undefined): Promise<{ result: HttpResult<unknown>; prices: PriceRow[] }> {
  const stable: RouteTarget<PriceRow[]> = { path: STABLE_PATHS[basis], params: { symbol, from: window.from, to: window.to }, schema: stablePricesSchema };
  const legacy = basis === 'split_adjusted' ? { path: `/historical-price-full/${encodeURIComponent(symbol)}`, params: { from: window.from, to: window.to }, schema: legacyPricesSchema } : undefined;
  const routed = await getRouted(ctx, { endpoint: ENDPOINT, stable, legacy, signal });
  if (routed.route === 'stable') return { result: routed.result, prices: routed.result.body };
  const body = routed.result.body;
  return { result: routed.result, prices: (body.historical ?? []).map((row) => ({ ...row, symbol: body.symbol })) };
}

/** The request windows: ≤ 15-year chunks of [from, to], or one open window for the vendor default. */
function windows(ctx: FmpContext, params: FmpPriceParams): Window[] {
  if (params.to !== undefined) requireDate(params.to, 'to', 'fmp', ENDPOINT);
  if (params.from === undefined) return [params.to === undefined ? {} : { to: params.to }];
  const from = requireDate(params.from, 'from', 'fmp', ENDPOINT);
  const to = params.to ?? nyDate(ctx.clock.now());
  requireOrderedRange(from, to, 'fmp', ENDPOINT);
  const chunks: Window[] = [];
  for (let start = from; start <= to; ) {
    const last = addDays(yearsLater(start, PRICE_WINDOW_YEARS), -1);
    const end = last < to ? last : to;
    chunks.push({ from: start, to: end });
    start = addDays(end, 1);
  }
  return chunks;
}

function yearsLater(date: string, years: number): string {
  const monthDay = date.slice(4) === '-02-29' ? '-02-28' : date.slice(4);
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${monthDay}`;
}

function dropFlatFillTail(ctx: FmpContext, symbol: string, rows: DatedRow[]): DatedRow[] {
  let end = rows.length;
  while (end >= 2 && isFlatFill(rows[end - 1]?.price, rows[end - 2]?.price)) end -= 1;
  for (const dropped of rows.slice(end)) {
    ctx.onSkip({ endpoint: ENDPOINT, value: JSON.stringify(`${symbol} ${dropped.price.date}`), reason: 'flat-filled bar after the last trade (volume 0, O=H=L=C)' });
  }
  return rows.slice(0, end);
}

function isFlatFill(row: PriceRow | undefined, previous: PriceRow | undefined): boolean {
  if (row === undefined || previous === undefined) return false;
  return row.volume === 0 && row.open === row.close && row.high === row.close && row.low === row.close && row.close === previous.close;
}

function barRow(symbol: string, price: PriceRow, basis: FmpPriceBasis, origin: Lineage): EquityBarRow {
  return {
    symbol,
    date: price.date,
    open: price.open,
    high: price.high,
    low: price.low,
    close: price.close,
    volume: price.volume,
    vwap: null,
    trades: null,
    feed: null,
    adjusted: basis !== 'raw',
    ...origin,
  };
}
