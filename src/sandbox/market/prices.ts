import { createRng } from './random.js';
import type { PlannedEvent, SymbolPlan } from './actions.js';
import type { SandboxBar } from './types.js';

export interface WalkResult {
  bars: SandboxBar[];
  /** Cash per share of each dividend event, keyed by its session index. */
  dividendCash: Map<number, number>;
}

const cents = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const MIN_PRICE = 0.5;

/**
 * Raw daily bars of one symbol over sessions [firstIndex, endIndex): a mean-reverting geometric
 * random walk. On an ex-date the reference price is the previous close moved by the event (divided
 * by the split ratio, or less the dividend) and the bar opens exactly there, so a split or dividend
 * shows as a clean jump in raw prices; volume is scaled by every split's ratio.
 */
export function walkPrices(seed: number, symbol: string, plan: SymbolPlan, firstIndex: number, endIndex: number): WalkResult {
  const rng = createRng(seed, `prices:${symbol}`);
  const events = new Map<number, PlannedEvent>(plan.events.map((e) => [e.index, e]));
  const sigma = rng.uniform(0.008, 0.028);
  const baseVolume = rng.logUniform(150_000, 40_000_000);
  const tradeSize = rng.uniform(60, 260);
  let anchor = Math.log(plan.startPrice);
  let prevClose = cents(plan.startPrice);
  let shareBasis = 1;
  const bars: SandboxBar[] = [];
  const dividendCash = new Map<number, number>();

  for (let index = firstIndex; index < endIndex; index++) {
    let reference = prevClose;
    const event = events.get(index);
    if (event?.kind === 'split') {
      reference = (prevClose * event.oldShares) / event.newShares;
      anchor += Math.log(event.oldShares / event.newShares);
      shareBasis *= event.newShares / event.oldShares;
    } else if (event?.kind === 'dividend') {
      const cash = Math.max(0.01, cents(prevClose * event.yieldPct));
      dividendCash.set(index, cash);
      reference = prevClose - cash;
    }
    const drift = 0.02 * (anchor - Math.log(reference));
    const open = Math.max(MIN_PRICE, cents(event ? reference : reference * Math.exp(0.3 * sigma * rng.normal())));
    const close = Math.max(MIN_PRICE, cents(reference * Math.exp(drift + sigma * rng.normal())));
    const high = Math.max(open, close, cents(Math.max(open, close) * (1 + 0.6 * sigma * Math.abs(rng.normal()))));
    const low = Math.min(open, close, Math.max(0.01, cents(Math.min(open, close) * (1 - 0.6 * sigma * Math.abs(rng.normal())))));
    const volume = Math.max(100, Math.round(baseVolume * shareBasis * Math.exp(0.35 * rng.normal())));
    const vwap = Math.min(high, Math.max(low, round4(low + (high - low) * rng.uniform(0.3, 0.7))));
    const trades = Math.max(1, Math.round(volume / (tradeSize * rng.uniform(0.8, 1.25))));
    bars.push({ open, high, low, close, volume, vwap, trades });
    prevClose = close;
  }
  return { bars, dividendCash };
}
