import type { AdjustedBarRow } from '../catalog/index.js';

/** One unadjusted bar of one symbol, as the curator reads it from the canonical raw rows. */
export interface RawDailyBar {
  symbol: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  source_name: string;
}

/** A price-relevant corporate action, already merged across vendors. */
export interface AdjustmentEvent {
  symbol: string;
  action: 'split' | 'dividend';
  ex_date: string;
  /** New shares per old share (4-for-1 → 4, 1-for-10 → 0.1). */
  split_ratio: number | null;
  cash_amount: number | null;
  source_name: string;
}

export interface AdjustmentLogEntry {
  symbol: string;
  ex_date: string;
  action: 'split' | 'dividend';
  /** Multiplier applied to every earlier price; null when the event was not applied. */
  multiplier: number | null;
  /** Close the dividend factor was computed from, and its date. */
  base_close: number | null;
  base_date: string | null;
  source_name: string;
  note: string;
}

/**
 * Back-adjusts one symbol's bars (DESIGN.md split convention). For every session t the price factor
 * is the product of the multipliers of the events whose ex-date is after t, multiplied in
 * descending ex-date order starting from 1:
 *   split    m = 1 / split_ratio
 *   dividend m = 1 − cash / close of the session before the ex-date
 * adj_price = price × factor; adj_volume = volume / split_factor (splits only).
 * The order of floating-point operations is part of the contract: the sandbox computes its ground
 * truth the same way, and curated prices are compared with it for exact equality.
 * Events whose ex-date lies after the last bar are not yet effective and are skipped.
 */
export function adjustSymbol(bars: readonly RawDailyBar[], events: readonly AdjustmentEvent[]): { rows: AdjustedBarRow[]; log: AdjustmentLogEntry[] } {
  const descending = [...bars].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const latest = descending[0]?.date;
  const log: AdjustmentLogEntry[] = [];
  const pending = [...events]
    .sort((a, b) => (a.ex_date !== b.ex_date ? (a.ex_date < b.ex_date ? 1 : -1) : a.action < b.action ? -1 : a.action > b.action ? 1 : 0))
    .filter((event) => {
      if (latest !== undefined && event.ex_date <= latest) return true;
      log.push(skipped(event, 'ex-date after the last bar: not yet effective'));
      return false;
    });
  let factor = 1;
  let splitFactor = 1;
  let next = 0;
  const rows: AdjustedBarRow[] = [];
  for (const bar of descending) {
    while (next < pending.length && (pending[next] as AdjustmentEvent).ex_date > bar.date) {
      const event = pending[next] as AdjustmentEvent;
      next += 1;
      const multiplier = multiplierOf(event, bar);
      if (typeof multiplier === 'string') {
        log.push(skipped(event, multiplier));
        continue;
      }
      factor = factor * multiplier;
      if (event.action === 'split') splitFactor = splitFactor * multiplier;
      log.push({
        symbol: event.symbol,
        ex_date: event.ex_date,
        action: event.action,
        multiplier,
        base_close: event.action === 'dividend' ? bar.close : null,
        base_date: event.action === 'dividend' ? bar.date : null,
        source_name: event.source_name,
        note: 'applied',
      });
    }
    rows.push(adjustedRow(bar, factor, splitFactor));
  }
  for (const event of pending.slice(next)) log.push(skipped(event, 'no bar before the ex-date'));
  rows.reverse();
  return { rows, log };
}

/** The event's multiplier, or why it cannot be applied. `before` is the last bar before the ex-date. */
function multiplierOf(event: AdjustmentEvent, before: RawDailyBar): number | string {
  if (event.action === 'split') {
    const ratio = event.split_ratio;
    if (ratio === null || !(ratio > 0) || !Number.isFinite(ratio)) return `invalid split ratio ${String(ratio)}`;
    return 1 / ratio;
  }
  const cash = event.cash_amount;
  if (cash === null || !(cash > 0) || !Number.isFinite(cash)) return `invalid cash amount ${String(cash)}`;
  if (!(before.close > cash)) return `cash ${cash} not below the prior close ${before.close}`;
  return 1 - cash / before.close;
}

function adjustedRow(bar: RawDailyBar, factor: number, splitFactor: number): AdjustedBarRow {
  return {
    symbol: bar.symbol,
    date: bar.date,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    adj_open: bar.open * factor,
    adj_high: bar.high * factor,
    adj_low: bar.low * factor,
    adj_close: bar.close * factor,
    adj_volume: bar.volume / splitFactor,
    adj_factor: factor,
    split_factor: splitFactor,
    source_name: bar.source_name,
  };
}

function skipped(event: AdjustmentEvent, note: string): AdjustmentLogEntry {
  return { symbol: event.symbol, ex_date: event.ex_date, action: event.action, multiplier: null, base_close: null, base_date: null, source_name: event.source_name, note };
}
