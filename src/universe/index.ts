import { delistingAsSymbol, type DelistingRow, type SymbolRow } from '../catalog/index.js';
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
 * US listing venues as the vendors spell them (AV/FMP/Alpaca names, Polygon/Finnhub MICs). FMP's
 * delisted list is global (XETRA, LSE, OTC `PNK` rows): a delisting on another venue must not
 * remove a US ticker of the same spelling.
 */
const US_EXCHANGE = /^(NYSE|NASDAQ|AMEX|ARCA|BATS|CBOE|IEX|XNYS|XNAS|XASE|ARCX|BATS|XCBO|BZX|NMS|NGM|NCM)/i;

/**
 * A source still listing a symbol as active this long after a delisting date proves that delisting
 * belongs to an earlier company that used the same ticker (tickers are reused; vendors' delisting
 * dates also lag each other by days, hence the grace).
 */
const REUSE_GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

export { delistingAsSymbol };

/**
 * Whether a row may add a symbol to the universe. FMP's stock list is global and carries no
 * exchange: it only corroborates symbols another source lists. A row naming a non-US venue is
 * ignored.
 */
function createsMember(row: SymbolRow): boolean {
  if (row.exchange === null || row.exchange === '') return row.source_name !== 'fmp';
  return US_EXCHANGE.test(row.exchange);
}

/**
 * The survivorship-free universe: every symbol any vendor's reference lists, active or delisted,
 * with the delisting date of its latest listing (the earliest date any source reports for that
 * event) and the earliest IPO date any source reports. A delisting that a later listing of the
 * same ticker supersedes (an IPO after it, or a source still listing it active well after it) is
 * an earlier company's and does not end the member.
 */
export function mergeUniverse(rows: readonly SymbolRow[]): UniverseMember[] {
  const bySymbol = new Map<string, SymbolRow[]>();
  for (const row of rows) {
    if (!isTradableSymbol(row.symbol)) continue;
    const list = bySymbol.get(row.symbol);
    if (list) list.push(row);
    else bySymbol.set(row.symbol, [row]);
  }
  const members: UniverseMember[] = [];
  for (const [symbol, list] of bySymbol) {
    const listing = list.filter(createsMember);
    if (listing.length === 0) continue;
    const sources: string[] = [];
    for (const row of list) {
      if (!createsMember(row) && row.exchange !== null && row.exchange !== '') continue;
      if (!sources.includes(row.source_name)) sources.push(row.source_name);
    }
    members.push({ symbol, ...listingState(listing), ipoDate: minDate(listing.map((r) => r.ipo_date)), sources });
  }
  return members.sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}

function listingState(rows: readonly SymbolRow[]): Pick<UniverseMember, 'status' | 'delistedDate'> {
  const active = rows.filter((r) => r.status !== 'delisted' && r.delisted_date === null);
  const superseded = (date: string): boolean =>
    active.some((r) => (r.ipo_date !== null && r.ipo_date > date) || ingestedMs(r) > Date.parse(`${date}T00:00:00Z`) + REUSE_GRACE_DAYS * DAY_MS);
  const dates = rows.flatMap((r) => (r.delisted_date === null ? [] : [r.delisted_date])).filter((d) => !superseded(d));
  if (dates.length > 0) {
    const latest = dates.reduce((a, b) => (a > b ? a : b));
    const graceStart = new Date(Date.parse(`${latest}T00:00:00Z`) - REUSE_GRACE_DAYS * DAY_MS).toISOString().slice(0, 10);
    return { status: 'delisted', delistedDate: minDate(dates.filter((d) => d >= graceStart)) };
  }
  const datelessDelisting = rows.some((r) => r.status === 'delisted' && r.delisted_date === null);
  return { status: datelessDelisting && active.length === 0 ? 'delisted' : 'active', delistedDate: null };
}

function ingestedMs(row: SymbolRow): number {
  const value: unknown = row.ingested_at;
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}

/**
 * Every reference source merged: `symbols` (Polygon tickers active and delisted, Alpaca assets,
 * AV LISTING_STATUS, Finnhub symbols, FMP lists) and the `delistings` dataset (AV, FMP, Polygon),
 * whose dates end a member.
 */
export async function loadUniverse(lake: Lake): Promise<UniverseMember[]> {
  const [symbols, delistings] = await Promise.all([lake.readReference('symbols'), lake.readReference('delistings')]);
  return mergeUniverse([...symbols, ...delistings.map(delistingAsSymbol)]);
}

/** Members that may have traded inside [start, end]: not delisted before the window starts. */
export function membersDuring(universe: readonly UniverseMember[], start: string, end: string): UniverseMember[] {
  return universe.filter((m) => (m.delistedDate === null || m.delistedDate > start) && (m.ipoDate === null || m.ipoDate <= end));
}

function minDate(values: readonly (string | null)[]): string | null {
  let min: string | null = null;
  for (const value of values) if (value !== null && (min === null || value < min)) min = value;
  return min;
}
export { liquidityRanking, topSymbolsByDollarVolume, LIQUIDITY_SESSIONS, type LiquidityRank } from './liquidity.js';
