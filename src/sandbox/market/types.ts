/** Primary listing venue, as an ISO 10383 MIC (Polygon's `primary_exchange` spelling). */
export type SandboxExchange = 'XNYS' | 'XNAS' | 'ARCX';
export type SandboxAssetType = 'CS' | 'ETF';

export interface SandboxSymbol {
  symbol: string;
  name: string;
  exchange: SandboxExchange;
  type: SandboxAssetType;
  /** First session it trades (may precede the market's start). */
  listDate: string;
  /** First date it no longer trades; null while still listed. */
  delistDate: string | null;
}

/** One raw (unadjusted) SIP daily bar. */
export interface SandboxBar {
  open: number;
  high: number;
  low: number;
  close: number;
  /** Shares, integer. */
  volume: number;
  vwap: number;
  trades: number;
}

export interface DatedBar {
  date: string;
  bar: SandboxBar;
}

export interface SymbolBar {
  symbol: string;
  bar: SandboxBar;
}

/** `newShares` for every `oldShares`: 4-for-1 → 4/1, 1-for-10 reverse → 1/10. */
export interface SandboxSplit {
  symbol: string;
  exDate: string;
  newShares: number;
  oldShares: number;
  declaredDate: string;
  /** When a vendor "processed" it: the ex-date plus 0–3 calendar days. */
  processDate: string;
  recordDate: string;
  payableDate: string;
}

export interface SandboxDividend {
  symbol: string;
  exDate: string;
  /** Cash per share in the share terms of its own date (raw), in cents. */
  cash: number;
  declaredDate: string;
  recordDate: string;
  payDate: string;
  processDate: string;
}

/** Ground truth of the curated convention (see `adjustedCloses`). */
export interface AdjustedClose {
  date: string;
  adjClose: number;
  factor: number;
}

export interface MarketOptions {
  seed: number;
  /** Number of symbols; default 300. */
  symbols?: number;
  /** First and last date of the simulated window, `YYYY-MM-DD`, inclusive. */
  start: string;
  end: string;
}

export interface Market {
  readonly seed: number;
  readonly start: string;
  readonly end: string;
  /** Every symbol ever listed in the window, sorted by ticker. */
  readonly symbols: readonly SandboxSymbol[];
  /** NYSE sessions of [start, end], ascending. */
  readonly sessions: readonly string[];
  /** Sorted by (exDate, symbol). */
  readonly splits: readonly SandboxSplit[];
  /** Sorted by (exDate, symbol). */
  readonly dividends: readonly SandboxDividend[];
  symbol(ticker: string): SandboxSymbol | undefined;
  bar(symbol: string, date: string): SandboxBar | undefined;
  /** Every symbol trading that session, by ticker. */
  barsOn(date: string): SymbolBar[];
  /** A symbol's bars, oldest first. */
  barsOf(symbol: string): readonly DatedBar[];
  splitsOf(symbol: string): readonly SandboxSplit[];
  dividendsOf(symbol: string): readonly SandboxDividend[];
  /**
   * Split- and dividend-adjusted closes by the curated convention: per event a multiplier m
   * (split: 1 / (newShares / oldShares); dividend: 1 - cash / close of the session before the
   * ex-date); factor(t) = 1 multiplied by m of every event with exDate > t in descending exDate
   * order; adjClose = close * factor.
   */
  adjustedCloses(symbol: string): AdjustedClose[];
}
