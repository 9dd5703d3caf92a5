import type { AdjustedClose, DatedBar, SandboxDividend, SandboxSplit } from './types.js';

interface PriceEvent {
  exDate: string;
  m: number;
}

/**
 * The curated convention, to the letter (the curator's output is compared for exact equality):
 * split m = 1 / (newShares / oldShares); dividend m = 1 - cash / closePrev (raw close of the
 * session before the ex-date); walking sessions newest to oldest, the running factor is multiplied
 * by an event's m when stepping to a session before its ex-date — i.e. the events with exDate > t
 * are multiplied in descending exDate order, starting from 1.
 */
export function adjustedClosesOf(
  bars: readonly DatedBar[],
  splits: readonly SandboxSplit[],
  dividends: readonly SandboxDividend[],
): AdjustedClose[] {
  const closeByDate = new Map(bars.map((b) => [b.date, b.bar.close]));
  const previousDate = new Map(bars.map((b, i) => [b.date, i > 0 ? (bars[i - 1] as DatedBar).date : undefined]));
  const events: PriceEvent[] = [
    ...splits.map((s) => ({ exDate: s.exDate, m: 1 / (s.newShares / s.oldShares) })),
    ...dividends.map((d) => {
      const prior = previousDate.get(d.exDate);
      const closePrev = prior === undefined ? undefined : closeByDate.get(prior);
      if (closePrev === undefined) throw new Error(`dividend of ${d.symbol} on ${d.exDate} has no previous close`);
      return { exDate: d.exDate, m: 1 - d.cash / closePrev };
    }),
  ].sort((a, b) => (a.exDate < b.exDate ? 1 : a.exDate > b.exDate ? -1 : 0));

  const out: AdjustedClose[] = new Array<AdjustedClose>(bars.length);
  let factor = 1;
  let next = 0;
  for (let i = bars.length - 1; i >= 0; i--) {
    const { date, bar } = bars[i] as DatedBar;
    while (next < events.length && (events[next] as PriceEvent).exDate > date) {
      factor = factor * (events[next] as PriceEvent).m;
      next++;
    }
    out[i] = { date, adjClose: bar.close * factor, factor };
  }
  return out;
}
