import type { SymbolRow } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';

export interface UniverseMember {
  symbol: string;
  status: 'active' | 'delisted';
  delistedDate: string | null;
  ipoDate: string | null;
  /** Vendors whose reference lists the symbol. */
  sources: string[];
}

/** US common-stock style tickers the bar endpoints accept (class shares with a dot: BRK.B). */
const TRADABLE_SYMBOL = /^[A-Z][A-Z0-9]{0,5}(\.[A-Z]{1,2})?$/;

export function isTradableSymbol(symbol: string): boolean {
  return TRADABLE_SYMBOL.test(symbol);
}

/**
 * The survivorship-free universe: every symbol any vendor's reference lists, active or delisted,
 * with the earliest delisting date and IPO date any source reports.
 */
export function mergeUniverse(rows: readonly SymbolRow[]): UniverseMember[] {
  const bySymbol = new Map<string, UniverseMember>();
  for (const row of rows) {
    if (!isTradableSymbol(row.symbol)) continue;
    const member = bySymbol.get(row.symbol) ?? { symbol: row.symbol, status: 'active', delistedDate: null, ipoDate: null, sources: [] };
    if (row.status === 'delisted' || row.delisted_date !== null) member.status = 'delisted';
    member.delistedDate = minDate(member.delistedDate, row.delisted_date);
    member.ipoDate = minDate(member.ipoDate, row.ipo_date);
    if (!member.sources.includes(row.source_name)) member.sources.push(row.source_name);
    bySymbol.set(row.symbol, member);
  }
  return [...bySymbol.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}

export async function loadUniverse(lake: Lake): Promise<UniverseMember[]> {
  return mergeUniverse(await lake.readReference('symbols'));
}

/** Members that may have traded inside [start, end]: not delisted before the window starts. */
export function membersDuring(universe: readonly UniverseMember[], start: string, end: string): UniverseMember[] {
  return universe.filter((m) => (m.delistedDate === null || m.delistedDate > start) && (m.ipoDate === null || m.ipoDate <= end));
}

function minDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
