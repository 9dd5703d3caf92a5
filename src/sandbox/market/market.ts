import { sessionDatesBetween } from '../../calendar/index.js';
import { dividendDates, planActions, splitDates } from './actions.js';
import { adjustedClosesOf } from './adjust.js';
import { walkPrices } from './prices.js';
import { createRng } from './random.js';
import type { DatedBar, Market, MarketOptions, SandboxBar, SandboxDividend, SandboxSplit, SandboxSymbol, SymbolBar } from './types.js';
import { createUniverse } from './universe.js';

interface SymbolSeries {
  info: SandboxSymbol;
  firstIndex: number;
  bars: SandboxBar[];
  dated: DatedBar[];
  splits: SandboxSplit[];
  dividends: SandboxDividend[];
}

const byExDate = (a: { exDate: string; symbol: string }, b: { exDate: string; symbol: string }): number =>
  a.exDate === b.exDate ? (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) : a.exDate < b.exDate ? -1 : 1;

/** A seeded, fully deterministic simulated US equity market over [start, end]. */
export function createMarket(options: MarketOptions): Market {
  const { seed, start, end } = options;
  const count = options.symbols ?? 300;
  if (!Number.isInteger(seed)) throw new RangeError(`market seed must be an integer, got ${String(seed)}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`market symbols must be a positive integer, got ${String(count)}`);
  if (!(start <= end)) throw new RangeError(`market start ${start} is after end ${end}`);

  const sessions = sessionDatesBetween(start, end);
  const members = createUniverse(seed, count, sessions);
  const plans = planActions(seed, members, sessions.length);
  const dateRng = createRng(seed, 'action-dates');
  const series = new Map<string, SymbolSeries>();

  for (const { info, listing } of members) {
    const plan = plans.get(info.symbol);
    if (!plan) throw new Error(`no plan for ${info.symbol}`);
    const { bars, dividendCash } = walkPrices(seed, info.symbol, plan, listing.firstIndex, listing.endIndex);
    const dated = bars.map((bar, i) => ({ date: sessions[listing.firstIndex + i] as string, bar }));
    const splits: SandboxSplit[] = [];
    const dividends: SandboxDividend[] = [];
    for (const event of plan.events) {
      const exDate = sessions[event.index] as string;
      if (event.kind === 'split') {
        const { newShares, oldShares } = event;
        splits.push({ symbol: info.symbol, exDate, newShares, oldShares, ...splitDates(dateRng, exDate, newShares < oldShares) });
      } else {
        dividends.push({ symbol: info.symbol, exDate, cash: dividendCash.get(event.index) as number, ...dividendDates(dateRng, exDate) });
      }
    }
    series.set(info.symbol, { info, firstIndex: listing.firstIndex, bars, dated, splits, dividends });
  }
  return marketView(seed, start, end, sessions, series);
}

function marketView(seed: number, start: string, end: string, sessions: string[], series: Map<string, SymbolSeries>): Market {
  const sessionIndex = new Map(sessions.map((d, i) => [d, i]));
  const ordered = [...series.values()];
  const splits = ordered.flatMap((s) => s.splits).sort(byExDate);
  const dividends = ordered.flatMap((s) => s.dividends).sort(byExDate);
  const barAt = (s: SymbolSeries, date: string): SandboxBar | undefined => {
    const i = sessionIndex.get(date);
    return i === undefined ? undefined : s.bars[i - s.firstIndex];
  };
  return {
    seed,
    start,
    end,
    symbols: ordered.map((s) => s.info),
    sessions,
    splits,
    dividends,
    symbol: (ticker) => series.get(ticker)?.info,
    bar: (symbol, date) => {
      const s = series.get(symbol);
      return s ? barAt(s, date) : undefined;
    },
    barsOn: (date) => {
      const out: SymbolBar[] = [];
      for (const s of ordered) {
        const bar = barAt(s, date);
        if (bar) out.push({ symbol: s.info.symbol, bar });
      }
      return out;
    },
    barsOf: (symbol) => series.get(symbol)?.dated ?? [],
    splitsOf: (symbol) => series.get(symbol)?.splits ?? [],
    dividendsOf: (symbol) => series.get(symbol)?.dividends ?? [],
    adjustedCloses: (symbol) => {
      const s = series.get(symbol);
      return s ? adjustedClosesOf(s.dated, s.splits, s.dividends) : [];
    },
  };
}
