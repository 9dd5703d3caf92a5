import { afterEach, describe, expect, it } from 'vitest';
import { nyInstant, sessionDatesBetween } from '../../../calendar/index.js';
import type { TrademlConfig } from '../../../config/index.js';
import { minuteBars } from '../../../sandbox/market/index.js';
import { alpacaBarsUnit } from '../../units.js';
import { alpacaMinutePlanner } from './minute.js';
import { startPipeline, withTask, type Pipeline } from './test-support/pipeline.js';

/** Wednesday 2026-06-03, 18:00 New York: that session has closed and settled. */
const NOW = nyInstant('2026-06-03', '18:00');

function shortMinuteWindow(config: TrademlConfig): TrademlConfig {
  const target = config.backfill.targets.equities_minute;
  if (target === undefined) throw new Error('configs/backfill.yml lost targets.equities_minute');
  return { ...config, backfill: { ...config.backfill, targets: { ...config.backfill.targets, equities_minute: { ...target, lookback_days: 3 } } } };
}

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

describe('alpaca_minute in the sandbox', () => {
  it('fetches the top-N by dollar volume for every owed session, matching the market, then owes nothing', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['alpaca'], symbols: 8, config: (c) => withTask(shortMinuteWindow(c), { name: 'alpaca_minute', enabled: true, top_n: 3 }) }));
    const active = p.universe.filter((m) => m.status === 'active').map((m) => m.symbol);
    // No daily bars yet: the ranking cannot be made, so nothing is spent on a guess.
    expect(await alpacaMinutePlanner.plan(p.context())).toEqual([]);
    await p.runtime.state.enqueue([alpacaBarsUnit(active, '2026-04-01', '2026-06-03', 'backfill')], p.clock.now());
    await p.drain('alpaca');

    const sessions = sessionDatesBetween('2026-04-01', '2026-06-03').slice(-20);
    const median = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(s.length / 2);
      return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
    };
    const truth = active
      .map((symbol) => ({ symbol, dv: median(sessions.flatMap((d) => { const b = p.market.bar(symbol, d); return b ? [b.close * b.volume] : []; })) }))
      .sort((a, b) => b.dv - a.dv || (a.symbol < b.symbol ? -1 : 1))
      .slice(0, 3)
      .map((r) => r.symbol)
      .sort();

    const units = await alpacaMinutePlanner.plan(p.context());
    // lookback 3 days from Wed 06-03: sessions 06-01, 06-02, 06-03, one unit each (3 symbols fit one unit).
    expect(units.map((u) => [u.params.start, u.origin])).toEqual([
      ['2026-06-03', 'forward'],
      ['2026-06-02', 'backfill'],
      ['2026-06-01', 'backfill'],
    ]);
    expect(units.every((u) => JSON.stringify(u.params.symbols) === JSON.stringify(truth))).toBe(true);
    // The newest session is asked for only after the next New York midnight (SIP 15-minute rule).
    expect(units[0]?.notBeforeMs).toBe(nyInstant('2026-06-04', '00:00') + 20 * 60_000);
    await p.runtime.state.enqueue(units, p.clock.now());
    expect(await alpacaMinutePlanner.plan(p.context())).toEqual([]); // queued work is not planned twice
    const report = await p.drain('alpaca', 24 * 60 * 60_000);
    expect(report.done).toBe(3);

    const symbol = truth[0] as string;
    const rows = await p.runtime.lake.readRaw('equities_minute', { symbols: [symbol], start: '2026-06-02', end: '2026-06-02' });
    const expected = minuteBars(p.market, symbol, '2026-06-02', { extendedHours: true });
    expect(rows).toHaveLength(expected.length);
    const byTs = new Map(rows.map((r) => [r.ts, r]));
    for (const bar of expected) {
      const row = byTs.get(new Date(bar.ts).toISOString());
      expect([row?.open, row?.high, row?.low, row?.close, row?.volume]).toEqual([bar.open, bar.high, bar.low, bar.close, bar.volume]);
    }
    expect(await alpacaMinutePlanner.plan(p.context())).toEqual([]);
  });
});

