import type { SandboxExchange, SandboxSymbol } from '../market/index.js';
import type { EmulatorResponse } from '../shared/http.js';
import { dateAfter, type AvContext } from './context.js';
import { avCsv, invalidCall } from './messages.js';

const FUNCTION = 'LISTING_STATUS';
export const LISTING_HEADER = ['symbol', 'name', 'exchange', 'assetType', 'ipoDate', 'delistingDate', 'status'] as const;

const EXCHANGE_NAMES: Record<SandboxExchange, string> = { XNYS: 'NYSE', XNAS: 'NASDAQ', ARCX: 'NYSE ARCA' };

/**
 * `LISTING_STATUS`: always CSV, sorted by symbol. `date` travels back in time (documented: any date
 * later than 2010-01-01; a future date is refused here as the vendor cannot know it); `state`
 * chooses active (default) or delisted listings as of that date. Missing dates are the text `null`.
 */
export function listingStatus(query: URLSearchParams, ctx: AvContext): EmulatorResponse {
  const state = query.get('state') ?? 'active';
  const dateText = query.get('date');
  const asOf = dateText === null ? ctx.today : dateAfter(dateText, '2010-01-01');
  if ((state !== 'active' && state !== 'delisted') || asOf === undefined || asOf > ctx.today) return invalidCall(FUNCTION);

  const listed = ctx.market.symbols.filter((s) => s.listDate <= asOf);
  const gone = (s: SandboxSymbol): boolean => s.delistDate !== null && s.delistDate <= asOf;
  const rows = state === 'active' ? listed.filter((s) => !gone(s)).map(activeRow) : listed.filter(gone).map(delistedRow);
  return avCsv(LISTING_HEADER, rows);
}

function activeRow(s: SandboxSymbol): string[] {
  return [s.symbol, s.name, EXCHANGE_NAMES[s.exchange], assetType(s), s.listDate, 'null', 'Active'];
}

function delistedRow(s: SandboxSymbol): string[] {
  return [s.symbol, s.name, EXCHANGE_NAMES[s.exchange], assetType(s), s.listDate, s.delistDate ?? 'null', 'Delisted'];
}

const assetType = (s: SandboxSymbol): string => (s.type === 'ETF' ? 'ETF' : 'Stock');
