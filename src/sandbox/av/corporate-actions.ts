import type { SandboxDividend, SandboxSplit } from '../market/index.js';
import type { EmulatorResponse } from '../shared/http.js';
import { datatypeOf, knownSymbol, type AvContext } from './context.js';
import { avJson, invalidCall } from './messages.js';

/**
 * `SPLITS`: `{symbol, data: [{effective_date, split_factor}]}`, newest first, for splits already
 * effective. `split_factor` is new shares per old share as a 4-decimal string (2-for-1 → "2.0000",
 * 1-for-10 → "0.1000"). A symbol the vendor does not know → `{}`; a known one without splits → `data: []`.
 */
export function splits(query: URLSearchParams, ctx: AvContext): EmulatorResponse {
  const info = knownSymbolFor('SPLITS', query, ctx);
  if (typeof info !== 'string') return info;
  const rows = ctx.market.splitsOf(info).filter((s) => s.exDate <= ctx.today);
  return avJson({ symbol: info, data: newestFirst(rows).map(splitRow) });
}

/**
 * `DIVIDENDS`: `{symbol, data: [{ex_dividend_date, declaration_date, record_date, payment_date, amount}]}`,
 * newest ex-date first, every dividend declared by today (future ex-dates included, as the vendor
 * documents). Raw cash per share as a string. The vendor writes "None" for unknown dates; the
 * simulated market always knows all four, so that text never appears here.
 */
export function dividends(query: URLSearchParams, ctx: AvContext): EmulatorResponse {
  const info = knownSymbolFor('DIVIDENDS', query, ctx);
  if (typeof info !== 'string') return info;
  const rows = ctx.market.dividendsOf(info).filter((d) => d.declaredDate <= ctx.today);
  return avJson({ symbol: info, data: newestFirst(rows).map(dividendRow) });
}

/** The market's ticker, or the response to send instead (bad params → invalid call, unknown → `{}`). */
function knownSymbolFor(fn: string, query: URLSearchParams, ctx: AvContext): string | EmulatorResponse {
  const symbol = query.get('symbol');
  // Only JSON is emulated: the CSV column set of these functions is not documented in the notes.
  if (!symbol || datatypeOf(query) !== 'json') return invalidCall(fn);
  return knownSymbol(ctx, symbol)?.symbol ?? avJson({});
}

function newestFirst<T extends { exDate: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.exDate < b.exDate ? 1 : a.exDate > b.exDate ? -1 : 0));
}

function splitRow(s: SandboxSplit): { effective_date: string; split_factor: string } {
  return { effective_date: s.exDate, split_factor: (s.newShares / s.oldShares).toFixed(4) };
}

function dividendRow(d: SandboxDividend): Record<string, string> {
  return {
    ex_dividend_date: d.exDate,
    declaration_date: d.declaredDate,
    record_date: d.recordDate,
    payment_date: d.payDate,
    amount: cashText(d.cash),
  };
}

/** Cents as the vendor writes them ("1.67", "0.50"); finer amounts keep their digits. */
function cashText(cash: number): string {
  const wholeCents = Math.abs(cash * 100 - Math.round(cash * 100)) < 1e-9;
  return wholeCents ? cash.toFixed(2) : String(cash);
}
