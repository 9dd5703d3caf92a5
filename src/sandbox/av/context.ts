import { isIsoDate } from '../shared/dates.js';
import type { Market, SandboxSymbol } from '../market/index.js';

/** What one function handler may read: the market, the instant, and what the plan unlocks. */
export interface AvContext {
  market: Market;
  /** New York date of the request. */
  today: string;
  /** Latest session whose close is at or before `now`: later bars do not exist yet. */
  lastCompleted: string;
  /** `outputsize=full` on TIME_SERIES_DAILY (premium on free keys). */
  outputsizeFull: boolean;
  /** HISTORICAL_OPTIONS (free in 2024–25, premium-gated for some keys in 2026). */
  historicalOptions: boolean;
}

/** A symbol the vendor knows today: in the market and already listed (AV keeps delisted history). */
export function knownSymbol(ctx: AvContext, text: string | null): SandboxSymbol | undefined {
  if (!text) return undefined;
  const info = ctx.market.symbol(text.toUpperCase());
  return info !== undefined && info.listDate <= ctx.today ? info : undefined;
}

/** `datatype`: absent or `json` → json, `csv` → csv, anything else → undefined (an invalid call). */
export function datatypeOf(query: URLSearchParams): 'json' | 'csv' | undefined {
  const value = query.get('datatype');
  if (value === null || value === 'json') return 'json';
  return value === 'csv' ? 'csv' : undefined;
}

/** A real `YYYY-MM-DD` date after `floor` (the vendor's documented earliest), or undefined. */
export function dateAfter(text: string, floor: string): string | undefined {
  return isIsoDate(text) && text > floor ? text : undefined;
}
