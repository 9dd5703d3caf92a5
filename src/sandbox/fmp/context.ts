import type { Market, SandboxExchange, SandboxSymbol } from '../market/index.js';
import { isIsoDate } from '../shared/dates.js';
import type { EmulatorResponse } from '../shared/http.js';
import type { Fundamentals } from './fundamentals.js';
import type { FmpPlan } from './plan.js';
import { CONSTRUCTED_MESSAGES, errorMessage, MESSAGES, premiumQuery } from './responses.js';

/** Vendor behaviours the notes report with less than full confidence, switchable per sandbox. */
export interface FmpBehaviour {
  /** `/stable/historical-price-eod/full` prices: split-adjusted as the notes report (§3.3, §5.7), or raw. */
  eodFull: 'split_adjusted' | 'raw';
  /** Flat rows (O=H=L=C = last close, volume 0) after a delisted symbol's last real bar (notes §3.3). */
  delistedFlatFillSessions: number;
}

/** What one request handler may read: the market, its statements, the plan and the instant served at. */
export interface FmpContext {
  market: Market;
  fundamentals: Fundamentals;
  plan: FmpPlan;
  behaviour: FmpBehaviour;
  now: number;
  /** New York date of `now`. */
  today: string;
  /** Latest session whose close is at or before `now`: later bars do not exist yet. */
  lastCompleted: string;
}

/** FMP's short exchange codes (NYSE Arca listings show as AMEX) and full names. */
export const EXCHANGE: Record<SandboxExchange, { short: string; full: string }> = {
  XNAS: { short: 'NASDAQ', full: 'NASDAQ Global Select' },
  XNYS: { short: 'NYSE', full: 'New York Stock Exchange' },
  ARCX: { short: 'AMEX', full: 'New York Stock Exchange Arca' },
};

/** Symbols listed by today (delisted ones included: the directory keeps them). */
export function listedSymbols(ctx: FmpContext): SandboxSymbol[] {
  return ctx.market.symbols.filter((s) => s.listDate <= ctx.today);
}

export function isActive(s: SandboxSymbol, today: string): boolean {
  return s.delistDate === null || s.delistDate > today;
}

/** The refusal for a symbol outside the plan, if it is; `anySymbol` for endpoints exempt from the sample. */
export function symbolRefusal(ctx: FmpContext, symbol: string, anySymbol = false): EmulatorResponse | undefined {
  if (anySymbol || ctx.plan.symbols === 'all' || ctx.plan.symbols.includes(symbol)) return undefined;
  return premiumQuery(ctx.plan, MESSAGES.premiumSymbol);
}

export function missingParameter(name: string): EmulatorResponse {
  return errorMessage(400, CONSTRUCTED_MESSAGES.missingParameter(name));
}

/** A required, non-empty query parameter, or the 400 naming it. */
export function requiredParam(query: URLSearchParams, name: string): string | EmulatorResponse {
  const value = query.get(name);
  return value === null || value.trim() === '' ? missingParameter(name) : value;
}

/** A non-negative integer parameter, its default when absent, or the 400 naming it. */
export function intParam(query: URLSearchParams, name: string, fallback: number): number | EmulatorResponse {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  return /^\d{1,9}$/.test(text) ? Number(text) : missingParameter(name);
}

/** A `YYYY-MM-DD` parameter, its default when absent, or the 400 naming it. */
export function dateParam(query: URLSearchParams, name: string, fallback: string): string | EmulatorResponse {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  return isIsoDate(text) ? text : missingParameter(name);
}

export const round2 = (x: number): number => Math.round(x * 100) / 100 + 0;
export const roundTo = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits + 0;
