import { previousSession } from '../../../calendar/index.js';

/** What one session still owes: the symbols (or contracts) to fetch for it. */
export interface Owed {
  date: string;
  symbols: string[];
}

/**
 * Groups owed sessions (newest first) into runs of consecutive sessions owing exactly the same
 * list, at most `chunkDays` long: one unit can then cover the run with one request chain.
 */
export function runsOf(owed: readonly Owed[], chunkDays: number): Owed[][] {
  const runs: Owed[][] = [];
  for (const entry of owed) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && run.length < chunkDays && previousSession(last.date) === entry.date && last.symbols.join(',') === entry.symbols.join(',')) run.push(entry);
    else runs.push([entry]);
  }
  return runs;
}

/** The first and last date of a run. */
export function runRange(run: readonly Owed[]): { start: string; end: string } {
  const dates = run.map((o) => o.date).sort();
  return { start: dates[0] as string, end: dates[dates.length - 1] as string };
}
