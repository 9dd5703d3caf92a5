import type { DatedBar, Market } from '../market/index.js';

export interface AdjustModes {
  split: boolean;
  dividend: boolean;
}

export interface BarFactors {
  /** Multiplies o/h/l/c/vw. */
  price: number;
  /** Multiplies volume (the inverse of the split part of `price`). */
  volume: number;
}

const NONE: BarFactors = { price: 1, volume: 1 };

/**
 * Vendor-side adjustment as of `asOf`: events that have gone ex by then move every earlier bar
 * (splits: prices × old/new, volume × new/old; dividends: prices × (1 − cash / previous close)).
 * Returns one factor pair per bar, aligned with `bars`.
 */
export function barFactors(market: Market, symbol: string, bars: readonly DatedBar[], asOf: string, modes: AdjustModes): BarFactors[] {
  if (!modes.split && !modes.dividend) return bars.map(() => NONE);
  const events: Array<{ exDate: string; price: number; volume: number }> = [];
  if (modes.split) {
    for (const s of market.splitsOf(symbol)) if (s.exDate <= asOf) events.push({ exDate: s.exDate, price: s.oldShares / s.newShares, volume: s.newShares / s.oldShares });
  }
  if (modes.dividend) {
    const all = market.barsOf(symbol);
    for (const d of market.dividendsOf(symbol)) {
      if (d.exDate > asOf) continue;
      const i = all.findIndex((b) => b.date === d.exDate);
      const prev = i > 0 ? all[i - 1] : undefined;
      if (prev) events.push({ exDate: d.exDate, price: 1 - d.cash / prev.bar.close, volume: 1 });
    }
  }
  events.sort((a, b) => (a.exDate < b.exDate ? 1 : -1));
  const out = new Array<BarFactors>(bars.length);
  let price = 1;
  let volume = 1;
  let next = 0;
  for (let i = bars.length - 1; i >= 0; i--) {
    const date = (bars[i] as DatedBar).date;
    while (next < events.length && (events[next] as { exDate: string }).exDate > date) {
      const e = events[next] as { price: number; volume: number };
      price *= e.price;
      volume *= e.volume;
      next++;
    }
    out[i] = { price, volume };
  }
  return out;
}

/** The split part of the adjustment of one bar as of `asOf` (Polygon's `adjusted=true`). */
export function splitFactorAt(market: Market, symbol: string, date: string, asOf: string): BarFactors {
  let price = 1;
  let volume = 1;
  const later = market.splitsOf(symbol).filter((s) => s.exDate > date && s.exDate <= asOf);
  for (let i = later.length - 1; i >= 0; i--) {
    const s = later[i] as (typeof later)[number];
    price *= s.oldShares / s.newShares;
    volume *= s.newShares / s.oldShares;
  }
  return { price, volume };
}
