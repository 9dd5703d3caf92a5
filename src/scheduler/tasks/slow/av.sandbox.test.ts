import { afterEach, describe, expect, it } from 'vitest';
import { optionUnderlyings } from '../../../sandbox/index.js';
import type { QueueUnit } from '../../../state/index.js';
import { avCorpActionsPlanner, avDelistingsPlanner, avOptionsHistPlanner } from './av.js';
import { fetcherHandler } from '../../fetcher-handler.js';
import { member, sandboxRun, testConfig, type SandboxRun } from './test-support/context.js';

/** Wednesday 2026-06-03, 18:00 New York. */
const NOW = Date.parse('2026-06-03T22:00:00Z');
const MARKET = { symbols: 12, start: '2024-01-02', end: '2026-06-30' };

let run: SandboxRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

function universeOf(r: SandboxRun) {
  return r.market.symbols.map((s) => member(s.symbol, { ipoDate: s.listDate, delistedDate: s.delistDate, status: s.delistDate === null ? 'active' : 'delisted' }));
}

describe('Alpha Vantage planners against the sandbox', () => {
  it('corp actions: plan → run → the full split/dividend history is in the lake → plan again is empty', async () => {
    const config = await testConfig({ corp_actions: { symbols_per_day: 3 } });
    run = await sandboxRun({ nowMs: NOW, vendors: ['av'], market: MARKET, config });
    const r = run;
    const units = await avCorpActionsPlanner.plan(r.ctx(universeOf(r)));
    expect(units).toHaveLength(6);
    const report = await r.run('av', units);
    expect(report.done).toBe(6);
    const picked = [...new Set(units.map((u) => (u.params.symbols as string[])[0] as string))];
    const rows = await r.runtime.lake.readReference('corp_actions', { vendors: ['av'] });
    for (const symbol of picked) {
      const splits = rows.filter((row) => row.symbol === symbol && row.action === 'split').map((row) => [row.ex_date, row.split_ratio]);
      expect(splits.sort()).toEqual(r.market.splitsOf(symbol).map((s) => [s.exDate, s.newShares / s.oldShares]).sort());
      const dividends = rows.filter((row) => row.symbol === symbol && row.action === 'dividend').map((row) => row.ex_date);
      expect(dividends.sort()).toEqual(r.market.dividendsOf(symbol).map((d) => d.exDate).sort());
    }
    expect(await avCorpActionsPlanner.plan(r.ctx(universeOf(r)))).toEqual([]);
    expect(r.sandbox.stats().av.requests).toBe(6);
  });

  it('historical options: rows for the planned session; a premium refusal records the capability denied and stops planning', async () => {
    run = await sandboxRun({ nowMs: NOW, vendors: ['av'], market: MARKET });
    const r = run;
    const underlyings = optionUnderlyings(r.market);
    const universe = universeOf(r).filter((m) => underlyings.includes(m.symbol));
    const units = await avOptionsHistPlanner.plan(r.ctx(universe));
    expect(units).toHaveLength(1);
    expect((await r.run('av', units)).done).toBe(1);
    const date = units[0]?.params.date as string;
    const symbol = (units[0]?.params.symbols as string[])[0] as string;
    const coverage = (await r.runtime.lake.readCoverage('options_chain_hist')).filter((e) => e.scope === symbol && e.start === date);
    expect(coverage).toHaveLength(1);
    const rows = await r.runtime.lake.readRaw('options_chain_hist', { vendors: ['av'], start: date, end: date });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBe(Number(coverage[0]?.rows));
    expect(rows.every((row) => row.underlying === symbol)).toBe(true);
    expect(await avOptionsHistPlanner.plan(r.ctx(universe))).toEqual([]);
  });

  it('historical options on a key without the entitlement: one refused request, then nothing', async () => {
    run = await sandboxRun({ nowMs: NOW, vendors: ['av'], market: MARKET, plans: { av: { historicalOptions: false } } });
    const r = run;
    const units = await avOptionsHistPlanner.plan(r.ctx(universeOf(r)));
    const report = await r.run('av', units);
    expect(report.dead).toBe(1);
    expect((await r.runtime.state.listCapabilityStatus()).map((s) => [s.endpoint, s.status])).toEqual([['av.historical_options', 'denied']]);
    expect(await avOptionsHistPlanner.plan(r.ctx(universeOf(r)))).toEqual([]);
    expect(await avOptionsHistPlanner.plan({ ...r.ctx(universeOf(r)), nowMs: NOW + 86_400_000 })).toEqual([]);
  });

  it('delistings: the generic handler picks the fetcher by dataset and writes the delisted list (with the market dates) and the active list', async () => {
    run = await sandboxRun({ nowMs: NOW, vendors: ['av'], market: MARKET });
    const r = run;
    const units = await avDelistingsPlanner.plan(r.ctx([]));
    expect(units.map((u) => u.dataset)).toEqual(['delistings', 'symbols']);
    for (const input of units) {
      const unit: QueueUnit = { ...input, id: 1, status: 'leased', attempts: 1, notBeforeMs: 0, leaseOwner: 'test', leaseExpiresAtMs: null, lastError: null, deferReason: null, createdAtMs: NOW, updatedAtMs: NOW };
      await fetcherHandler(unit, { lake: r.runtime.lake, clients: r.runtime.clients, nowMs: () => r.clock.now() });
    }
    const delisted = await r.runtime.lake.readReference('delistings', { vendors: ['av'] });
    const truth = r.market.symbols.filter((s) => s.delistDate !== null && s.delistDate <= '2026-06-03');
    expect(delisted.map((d) => d.symbol).sort()).toEqual(truth.map((s) => s.symbol).sort());
    const active = await r.runtime.lake.readReference('symbols', { vendors: ['av'] });
    expect(active.length).toBeGreaterThan(0);
    expect(active.every((s) => s.status === 'active')).toBe(true);
    expect(await avDelistingsPlanner.plan(r.ctx([]))).toEqual([]);
  });
});
