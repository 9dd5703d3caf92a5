import { afterEach, describe, expect, it } from 'vitest';
import { nyInstant } from '../../../calendar/index.js';
import { optionChain, optionUnderlyings } from '../../../sandbox/index.js';
import { alpacaOptionsChainPlanner } from './chains.js';
import { alpacaOptionsBarsPlanner } from './option-bars.js';
import { startPipeline, withTask, type Pipeline } from './test-support/pipeline.js';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

describe('alpaca_options_chain and alpaca_options_bars in the sandbox', () => {
  it('captures one chain a session for each target underlier over several sessions (AV budget 0), and their bars', async () => {
    const p = (pipeline = await startPipeline({
      nowMs: nyInstant('2026-06-03', '08:00'),
      vendors: ['alpaca'],
      config: (c) => ({ ...c, edge: { ...c.edge, policy: { ...c.edge.policy, daily_api_budget: { ...c.edge.policy.daily_api_budget, av: 0 } } } }),
    }));
    const underliers = optionUnderlyings(p.market).slice(0, 3);
    p.runtime.config = withTask(withTask(p.runtime.config, { name: 'alpaca_options_chain', enabled: true, underliers }), { name: 'alpaca_options_bars', enabled: true, underliers });
    const sessions = ['2026-06-03', '2026-06-04', '2026-06-05', '2026-06-08'];
    for (const session of sessions) {
      p.clock.advanceTo(nyInstant(session, '12:00'));
      expect(await alpacaOptionsChainPlanner.plan(p.context())).toEqual([]); // mid-session: the snapshot is due after the close
      p.clock.advanceTo(nyInstant(session, '17:00'));
      const planned = await p.plan(alpacaOptionsChainPlanner);
      expect(planned).toEqual(underliers.map((u) => `alpaca.options.chain|options_chain|symbols=${u}|as-of=${session}`));
      await p.drain('alpaca');
      expect(await alpacaOptionsChainPlanner.plan(p.context())).toEqual([]);
    }
    const snapshots = await p.runtime.lake.query<{ underlying: string; date: string; snapshots: number; contracts: number }>(
      `SELECT underlying, date, count(DISTINCT as_of)::INTEGER AS snapshots, count(DISTINCT contract)::INTEGER AS contracts FROM raw_options_chain GROUP BY ALL ORDER BY ALL`,
    );
    expect(snapshots.map((s) => [s.underlying, s.date, s.snapshots])).toEqual(underliers.flatMap((u) => sessions.map((d) => [u, d, 1])));
    for (const s of snapshots) expect(s.contracts).toBe(optionChain(p.market, s.underlying, s.date).length);

    // Bars for the last session's contracts, ≤ 100 a unit, then nothing more is owed for it.
    const last = sessions[sessions.length - 1] as string;
    const bars = (await alpacaOptionsBarsPlanner.plan(p.context())).filter((u) => u.params.start === last);
    const contracts = snapshots.filter((s) => s.date === last).reduce((n, s) => n + s.contracts, 0);
    expect(bars.length).toBe(underliers.reduce((n, u) => n + Math.ceil(optionChain(p.market, u, last).length / 100), 0));
    expect(bars.reduce((n, u) => n + (u.params.symbols as string[]).length, 0)).toBe(contracts);
    await p.runtime.state.enqueue(bars, p.clock.now());
    await p.drain('alpaca');
    const written = await p.runtime.lake.query<{ n: number }>(`SELECT count(DISTINCT contract)::INTEGER AS n FROM raw_options_bars WHERE date = DATE '${last}'`);
    expect(written[0]?.n).toBeGreaterThan(0);
    expect((await alpacaOptionsBarsPlanner.plan(p.context())).filter((u) => u.params.start === last)).toEqual([]);
  });
});
