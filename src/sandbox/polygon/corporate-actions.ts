import type { Market, SandboxDividend, SandboxSplit } from '../market/index.js';
import { round6 } from '../shared/dates.js';
import { stableHex } from '../shared/ids.js';
import type { EmulatorResponse } from '../shared/http.js';
import type { PolygonContext } from './context.js';
import { referenceList, v1Order, v3Order, type Fields } from './reference.js';

/** Announced by today and inside the plan's history window (Basic: corporate actions limited to 2 years). */
function visibleSplits(ctx: PolygonContext): SandboxSplit[] {
  return ctx.market.splits.filter((s) => s.declaredDate <= ctx.today && s.exDate >= ctx.historyFloor);
}

function visibleDividends(ctx: PolygonContext): SandboxDividend[] {
  return ctx.market.dividends.filter((d) => d.declaredDate <= ctx.today && d.exDate >= ctx.historyFloor);
}

const splitId = (s: SandboxSplit): string => `E${stableHex(`polygon:split:${s.symbol}:${s.exDate}`)}`;
const dividendId = (d: SandboxDividend): string => `E${stableHex(`polygon:dividend:${d.symbol}:${d.exDate}`)}`;

const SPLIT_FIELDS: Fields<SandboxSplit> = {
  ticker: { kind: 'string', get: (s) => s.symbol, ranges: true, anyOf: true },
  execution_date: { kind: 'string', get: (s) => s.exDate, ranges: true },
  reverse_split: { kind: 'boolean', get: (s) => s.newShares < s.oldShares },
  adjustment_type: { kind: 'string', get: (s) => adjustmentType(s), anyOf: true },
  id: { kind: 'string', get: splitId },
};

function adjustmentType(s: SandboxSplit): string {
  return s.newShares > s.oldShares ? 'forward_split' : 'reverse_split';
}

/** `GET /v3/reference/splits` (deprecated, still served): default limit 10, newest first. */
export function splitsV3(query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  return referenceList(
    {
      path: '/v3/reference/splits',
      fields: SPLIT_FIELDS,
      defaultLimit: 10,
      maxLimit: 1000,
      order: v3Order(['execution_date', 'ticker'], 'execution_date', 'desc', 'id'),
      rows: visibleSplits(ctx),
      render: (s) => ({ id: splitId(s), execution_date: s.exDate, split_from: s.oldShares, split_to: s.newShares, ticker: s.symbol }),
    },
    query,
    ctx,
  );
}

/** `GET /stocks/v1/splits`: `adjustment_type` and the cumulative `historical_adjustment_factor`. */
export function splitsV1(query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  const known = ctx.market.splits.filter((s) => s.declaredDate <= ctx.today);
  return referenceList(
    {
      path: '/stocks/v1/splits',
      fields: SPLIT_FIELDS,
      defaultLimit: 100,
      maxLimit: 5000,
      order: v1Order(['execution_date', 'ticker'], 'execution_date.desc', 'id'),
      rows: visibleSplits(ctx),
      render: (s) => ({
        adjustment_type: adjustmentType(s),
        execution_date: s.exDate,
        historical_adjustment_factor: round6(cumulativeSplitFactor(known, s.symbol, s.exDate, true)),
        id: splitId(s),
        split_from: s.oldShares,
        split_to: s.newShares,
        ticker: s.symbol,
      }),
    },
    query,
    ctx,
  );
}

/** Product of split_from/split_to over the ticker's splits on or after (or strictly after) `date`. */
function cumulativeSplitFactor(splits: readonly SandboxSplit[], symbol: string, date: string, inclusive: boolean): number {
  let factor = 1;
  for (const s of splits) if (s.symbol === symbol && (inclusive ? s.exDate >= date : s.exDate > date)) factor *= s.oldShares / s.newShares;
  return factor;
}

const DIVIDEND_FIELDS: Fields<SandboxDividend> = {
  ticker: { kind: 'string', get: (d) => d.symbol, ranges: true, anyOf: true },
  ex_dividend_date: { kind: 'string', get: (d) => d.exDate, ranges: true },
  record_date: { kind: 'string', get: (d) => d.recordDate, ranges: true },
  declaration_date: { kind: 'string', get: (d) => d.declaredDate, ranges: true },
  pay_date: { kind: 'string', get: (d) => d.payDate, ranges: true },
  cash_amount: { kind: 'number', get: (d) => d.cash, ranges: true },
  frequency: { kind: 'number', get: () => 4, ranges: true },
  dividend_type: { kind: 'string', get: () => 'CD' },
  distribution_type: { kind: 'string', get: () => 'recurring', anyOf: true },
  currency: { kind: 'string', get: () => 'USD' },
  id: { kind: 'string', get: dividendId },
};

/** `GET /v3/reference/dividends` (deprecated, still served): default limit 10, newest ex-date first; raw cash. */
export function dividendsV3(query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  return referenceList(
    {
      path: '/v3/reference/dividends',
      fields: DIVIDEND_FIELDS,
      defaultLimit: 10,
      maxLimit: 1000,
      order: v3Order(['ex_dividend_date', 'pay_date', 'declaration_date', 'record_date', 'cash_amount', 'ticker'], 'ex_dividend_date', 'desc', 'id'),
      rows: visibleDividends(ctx),
      render: (d) => ({
        cash_amount: d.cash,
        currency: 'USD',
        declaration_date: d.declaredDate,
        dividend_type: 'CD',
        ex_dividend_date: d.exDate,
        frequency: 4,
        id: dividendId(d),
        pay_date: d.payDate,
        record_date: d.recordDate,
        ticker: d.symbol,
      }),
    },
    query,
    ctx,
  );
}

/** `GET /stocks/v1/dividends`: raw `cash_amount` plus split-adjusted cash and the cumulative dividend factor. */
export function dividendsV1(query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  const knownSplits = ctx.market.splits.filter((s) => s.declaredDate <= ctx.today);
  const knownDividends = ctx.market.dividends.filter((d) => d.declaredDate <= ctx.today);
  return referenceList(
    {
      path: '/stocks/v1/dividends',
      fields: DIVIDEND_FIELDS,
      defaultLimit: 100,
      maxLimit: 5000,
      order: v1Order(['ticker', 'ex_dividend_date', 'pay_date', 'declaration_date', 'record_date', 'cash_amount'], 'ticker.asc', 'id'),
      rows: visibleDividends(ctx),
      render: (d) => ({
        cash_amount: d.cash,
        currency: 'USD',
        declaration_date: d.declaredDate,
        distribution_type: 'recurring',
        ex_dividend_date: d.exDate,
        frequency: 4,
        historical_adjustment_factor: cumulativeDividendFactor(ctx.market, knownDividends, d),
        id: dividendId(d),
        pay_date: d.payDate,
        record_date: d.recordDate,
        split_adjusted_cash_amount: round6(d.cash * cumulativeSplitFactor(knownSplits, d.symbol, d.exDate, false)),
        ticker: d.symbol,
      }),
    },
    query,
    ctx,
  );
}

/** Product of (1 − cash / previous close) over the ticker's dividends on or after this one's ex-date. */
function cumulativeDividendFactor(market: Market, dividends: readonly SandboxDividend[], d: SandboxDividend): number {
  const bars = market.barsOf(d.symbol);
  let factor = 1;
  for (const other of dividends) {
    if (other.symbol !== d.symbol || other.exDate < d.exDate) continue;
    const i = bars.findIndex((b) => b.date === other.exDate);
    const prev = i > 0 ? bars[i - 1] : undefined;
    if (prev) factor *= 1 - other.cash / prev.bar.close;
  }
  return round6(factor);
}
