import type { CorpActionRow, EndpointId } from '../../catalog/index.js';
import type { HttpResult } from '../../http/index.js';
import { lineage } from '../shared/index.js';
import { AV_HEADERS, payloadBroken, queryUrl, requireSymbol, sameSymbol, type AvContext } from './context.js';
import { dividendsSchema, splitsSchema } from './schemas.js';

export interface AvSymbolOptions {
  signal?: AbortSignal;
}

const NO_CORP_FIELDS = { split_ratio: null, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };

/**
 * `SPLITS&symbol=S`, one request. `split_factor` is already new shares per old share as a decimal
 * (`"2.0000"` 2-for-1, `"0.5000"` 1-for-2), so split_ratio = the factor; `effective_date` is the
 * ex-date. AV books spin-offs as splits (IBM 2021-11-04 `1.0460` = Kyndryl): they are kept as
 * splits (they adjust prices) and reported as a `flagged` notice when the factor is no small
 * whole-number ratio. `{}` and `data: []` are a valid "no splits".
 */
export async function fetchSplits(ctx: AvContext, symbol: string, options: AvSymbolOptions = {}): Promise<CorpActionRow[]> {
  const endpoint = 'av.splits';
  const ticker = requireSymbol(symbol, endpoint);
  const result = await ctx.http.getJson(queryUrl(ctx, 'SPLITS', { symbol: ticker }), { endpoint, headers: AV_HEADERS, schema: splitsSchema, signal: options.signal });
  assertSymbol(ctx, result, ticker, endpoint);
  const origin = lineage('av', result.redactedUrl, ctx.clock);
  const rows = new Map<string, CorpActionRow>();
  for (const s of result.body.rows) {
    if (!isSmallRatio(s.split_factor)) {
      ctx.onNotice({ endpoint, kind: 'flagged', value: JSON.stringify(`${ticker} ${s.effective_date} ${s.split_factor}`), reason: 'split factor is no small whole-number ratio: probably a spin-off booked as a split' });
    }
    const row: CorpActionRow = { ...NO_CORP_FIELDS, symbol: ticker, action: 'split', ex_date: s.effective_date, split_ratio: s.split_factor, ...origin };
    const key = `${row.ex_date}|${row.split_ratio}`;
    if (!rows.has(key)) rows.set(key, row);
  }
  return [...rows.values()];
}

/**
 * `DIVIDENDS&symbol=S`, one request. The ex-date is `ex_dividend_date` (the original pipeline read
 * `ex_date` and aborted, study B16); `amount` is cash per share as sent (AV does not say whether old
 * amounts are split-adjusted); `"None"` dates are null. Rows without an ex-date or amount, or with
 * a zero amount, are skipped with a notice. Declared future dividends are kept: the curator only
 * applies events on or before the last bar. Currency is not stated by AV and left null.
 */
export async function fetchDividends(ctx: AvContext, symbol: string, options: AvSymbolOptions = {}): Promise<CorpActionRow[]> {
  const endpoint = 'av.dividends';
  const ticker = requireSymbol(symbol, endpoint);
  const result = await ctx.http.getJson(queryUrl(ctx, 'DIVIDENDS', { symbol: ticker }), { endpoint, headers: AV_HEADERS, schema: dividendsSchema, signal: options.signal });
  assertSymbol(ctx, result, ticker, endpoint);
  const origin = lineage('av', result.redactedUrl, ctx.clock);
  const rows = new Map<string, CorpActionRow>();
  for (const d of result.body.rows) {
    const skip = (reason: string): void => ctx.onNotice({ endpoint, kind: 'skipped', value: JSON.stringify(`${ticker} ${d.ex_dividend_date ?? 'None'} ${d.amount ?? 'None'}`), reason });
    if (d.ex_dividend_date === null) {
      skip('dividend without an ex_dividend_date');
      continue;
    }
    if (d.amount === null || !(d.amount > 0)) {
      skip(d.amount === null ? 'dividend without an amount' : 'dividend amount is not positive');
      continue;
    }
    const row: CorpActionRow = {
      ...NO_CORP_FIELDS,
      symbol: ticker,
      action: 'dividend',
      ex_date: d.ex_dividend_date,
      cash_amount: d.amount,
      record_date: d.record_date,
      pay_date: d.payment_date,
      declared_date: d.declaration_date,
      ...origin,
    };
    const key = `${row.ex_date}|${row.cash_amount}|${row.pay_date}`;
    if (!rows.has(key)) rows.set(key, row);
  }
  return [...rows.values()];
}

/** A payload naming another symbol must never be filed under ours. */
function assertSymbol(ctx: AvContext, result: HttpResult<{ symbol: string | undefined }>, ticker: string, endpoint: EndpointId): void {
  const echoed = result.body.symbol;
  if (echoed !== undefined && !sameSymbol(echoed, ticker)) throw payloadBroken(ctx, result, endpoint, `payload is for ${JSON.stringify(echoed)}, not ${ticker}`);
}

/**
 * 2, 0.5, 1.5 (3:2), 0.6667 (2:3), 0.05 (1:20), 0.0333 (1:30): the factor or its inverse is a/b
 * with b ≤ 10, within AV's four-decimal rounding (0.2 %).
 */
export function isSmallRatio(factor: number): boolean {
  for (const value of [factor, 1 / factor]) {
    for (let b = 1; b <= 10; b += 1) {
      const n = Math.round(value * b);
      if (n >= 1 && Math.abs(value * b - n) <= 2e-3 * n) return true;
    }
  }
  return false;
}
