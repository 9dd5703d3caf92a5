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

/** The last bar before an ex-date, as far as the adjustment needs it. */
export interface PriorBar {
  date: string;
  close: number;
}

/**
 * The cumulative factors of one symbol after each effective ex-date: for a session t the factor is
 * the `factor` of the step with the smallest ex_date > t (1 when there is none).
 */
export interface FactorStep {
  symbol: string;
  ex_date: string;
  factor: number;
  split_factor: number;
}

/**
 * The adjustment of one symbol reduced to its events (DESIGN.md split convention). Walking the
 * events in descending ex-date order (ties: action name ascending) from factor 1:
 *   split    m = 1 / split_ratio
 *   dividend m = 1 − cash / close of the last bar before the ex-date
 * factor = factor × m (and split_factor = split_factor × m for splits). The order of these
 * floating-point operations is part of the contract: the sandbox computes its ground truth the same
 * way, and curated prices are compared with it for exact equality. Events after the symbol's last
 * bar are not yet effective; events with no bar before them cannot move any price.
 */
/**
 * The one order events are applied in: ex-date descending, then action, then the amounts, so two
 * events on the same day multiply in the same order however they arrived (floating-point products
 * depend on order).
 */
function byEventOrder(a: AdjustmentEvent, b: AdjustmentEvent): number {
  if (a.ex_date !== b.ex_date) return a.ex_date < b.ex_date ? 1 : -1;
  if (a.action !== b.action) return a.action < b.action ? -1 : 1;
  const amount = (e: AdjustmentEvent): number => e.split_ratio ?? e.cash_amount ?? 0;
  if (amount(a) !== amount(b)) return amount(a) < amount(b) ? -1 : 1;
  return a.source_name < b.source_name ? -1 : a.source_name > b.source_name ? 1 : 0;
}

export function factorSteps(
  symbol: string,
  events: readonly AdjustmentEvent[],
  latest: string | undefined,
  priorBar: (exDate: string) => PriorBar | undefined,
): { steps: FactorStep[]; log: AdjustmentLogEntry[] } {
  const log: AdjustmentLogEntry[] = [];
  const pending = [...events]
    .sort(byEventOrder)
    .filter((event) => {
      if (latest !== undefined && event.ex_date <= latest) return true;
      log.push(skipped(event, 'ex-date after the last bar: not yet effective'));
      return false;
    });
  const steps: FactorStep[] = [];
  let factor = 1;
  let splitFactor = 1;
  let next = 0;
  for (; next < pending.length; next += 1) {
    const event = pending[next] as AdjustmentEvent;
    const before = priorBar(event.ex_date);
    if (before === undefined) break;
    const multiplier = multiplierOf(event, before);
    if (typeof multiplier === 'string') {
      log.push(skipped(event, multiplier));
      continue;
    }
    factor = factor * multiplier;
    if (event.action === 'split') splitFactor = splitFactor * multiplier;
    const last = steps[steps.length - 1];
    if (last?.ex_date === event.ex_date) {
      last.factor = factor;
      last.split_factor = splitFactor;
    } else steps.push({ symbol, ex_date: event.ex_date, factor, split_factor: splitFactor });
    log.push({
      symbol: event.symbol,
      ex_date: event.ex_date,
      action: event.action,
      multiplier,
      base_close: event.action === 'dividend' ? before.close : null,
      base_date: event.action === 'dividend' ? before.date : null,
      source_name: event.source_name,
      note: 'applied',
    });
  }
  for (const event of pending.slice(next)) log.push(skipped(event, 'no bar before the ex-date'));
  return { steps, log };
}

/**
 * Back-adjusts one symbol's bars in memory (the curator does the same in DuckDB from the same
 * `factorSteps`): adj_price = price × factor; adj_volume = volume / split_factor (splits only).
 */
export function adjustSymbol(bars: readonly RawDailyBar[], events: readonly AdjustmentEvent[]): { rows: AdjustedBarRow[]; log: AdjustmentLogEntry[] } {
  const ascending = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const symbol = ascending[0]?.symbol ?? events[0]?.symbol ?? '';
  const priorBar = (exDate: string): PriorBar | undefined => {
    let lo = 0;
    let hi = ascending.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ascending[mid] as RawDailyBar).date < exDate) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? (ascending[lo - 1] as RawDailyBar) : undefined;
  };
  const { steps, log } = factorSteps(symbol, events, ascending[ascending.length - 1]?.date, priorBar);
  // steps are in descending ex-date order; walk the bars newest first alongside them.
  const rows: AdjustedBarRow[] = new Array<AdjustedBarRow>(ascending.length);
  let step = -1;
  for (let i = ascending.length - 1; i >= 0; i -= 1) {
    const bar = ascending[i] as RawDailyBar;
    while (step + 1 < steps.length && (steps[step + 1] as FactorStep).ex_date > bar.date) step += 1;
    const current = steps[step];
    rows[i] = adjustedRow(bar, current?.factor ?? 1, current?.split_factor ?? 1);
  }
  return { rows, log };
}

/** The event's multiplier, or why it cannot be applied. `before` is the last bar before the ex-date. */
function multiplierOf(event: AdjustmentEvent, before: PriorBar): number | string {
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
