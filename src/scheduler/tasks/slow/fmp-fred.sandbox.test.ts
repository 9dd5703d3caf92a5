import { afterEach, describe, expect, it } from 'vitest';
import { fmpDelistingsPlanner, fmpFundamentalsPlanner, FMP_UNCOVERED_BOOKMARK } from './fmp.js';
import { fredSeriesPlanner, fredTreasuryPlanner } from './fred.js';
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
  return r.market.symbols.filter((s) => s.delistDate === null).map((s) => member(s.symbol, { ipoDate: s.listDate }));
}

describe('FMP planners against the sandbox', () => {
  it('fundamentals: sample symbols get all three statements, the others one refused probe each and never again', async () => {
    const config = await testConfig({ fundamentals: { symbols_per_day: 4 } });
    // Bootstrap to learn the ticker list, then restart with a sample of two of the picked symbols.
    run = await sandboxRun({ nowMs: NOW, vendors: ['fmp'], market: MARKET, config });
    const tickers = universeOf(run).map((m) => m.symbol);
    await run.close();
    const sample = tickers.slice(0, 2);
    run = await sandboxRun({ nowMs: NOW, vendors: ['fmp'], market: MARKET, config, plans: { fmp: { symbols: sample } } });
    const r = run;
    const universe = universeOf(r);

    const probes = await fmpFundamentalsPlanner.plan(r.ctx(universe));
    expect(probes.map((u) => [(u.params.symbols as string[])[0], u.params.statement])).toEqual(tickers.slice(0, 4).map((s) => [s, 'income']));
    const first = await r.run('fmp', probes);
    // The two refused probes are the vendor's answer ("not in this plan"): settled, not dead-lettered.
    expect([first.done, first.dead]).toEqual([4, 0]);

    const rest = await fmpFundamentalsPlanner.plan(r.ctx(universe));
    expect(rest.map((u) => [(u.params.symbols as string[])[0], u.params.statement])).toEqual(sample.flatMap((s) => [[s, 'balance'], [s, 'cashflow']]));
    expect((await r.run('fmp', rest)).done).toBe(4);

    const rows = await r.runtime.lake.readReference('fundamentals', { vendors: ['fmp'] });
    for (const symbol of sample) expect(new Set(rows.filter((row) => row.symbol === symbol).map((row) => row.statement))).toEqual(new Set(['income', 'balance', 'cashflow']));
    expect(rows.every((row) => sample.includes(row.symbol) && row.fiscal_period === 'FY')).toBe(true);
    expect(JSON.parse((await r.runtime.state.getBookmark(FMP_UNCOVERED_BOOKMARK)) ?? '[]')).toEqual(tickers.slice(2, 4));
    expect(await fmpFundamentalsPlanner.plan(r.ctx(universe))).toEqual([]);
    expect(r.sandbox.stats().fmp.requests).toBe(8);
    // Tomorrow the rotation moves to never-fetched symbols; the refused ones are not asked again.
    const tomorrow = await fmpFundamentalsPlanner.plan({ ...r.ctx(universe), nowMs: NOW + 86_400_000 });
    expect(tomorrow.map((u) => (u.params.symbols as string[])[0])).toEqual(tickers.slice(4, 8));
  });

  it('delistings: one request a day, rows in the lake, then nothing until tomorrow', async () => {
    run = await sandboxRun({ nowMs: NOW, vendors: ['fmp'], market: MARKET });
    const r = run;
    const units = await fmpDelistingsPlanner.plan(r.ctx([]));
    expect(units.map((u) => u.identity)).toEqual(['fmp.delisted_companies|delistings|as-of=2026-06-03']);
    expect((await r.run('fmp', units)).done).toBe(1);
    expect((await r.runtime.lake.readCoverage('delistings')).map((e) => [e.vendor, e.scope])).toEqual([['fmp', '*']]);
    expect(await fmpDelistingsPlanner.plan(r.ctx([]))).toEqual([]);
  });
});

describe('FRED planners against the sandbox', () => {
  it('treasuries: forward + chunked backfill land every series in the lake; plan again is empty', async () => {
    const config = await testConfig({ treasuries: { earliest: '2026-04-01', chunk_days: 30 } });
    run = await sandboxRun({ nowMs: NOW, vendors: ['fred'], market: MARKET, config });
    const r = run;
    const units = await fredTreasuryPlanner.plan(r.ctx([], config));
    expect(units.map((u) => u.origin)).toEqual(['forward', 'backfill', 'backfill']);
    expect((await r.run('fred', units)).done).toBe(3);
    const rows = await r.runtime.lake.readRaw('treasuries', { vendors: ['fred'] });
    expect(new Set(rows.map((row) => row.series_id)).size).toBe(11);
    expect(rows.some((row) => row.date === '2026-06-02' && row.series_id === 'DGS10' && row.yield_pct !== null)).toBe(true);
    expect(rows.reduce((min, row) => (row.date < min ? row.date : min), '9999-12-31')).toBe('2026-04-01');
    expect(await fredTreasuryPlanner.plan(r.ctx([], config))).toEqual([]);
  });

  // With `vintages: true` the lake currently refuses ALFRED's open-ended realtime_end 9999-12-31
  // (lake dates stop at 2999; reported to the lead), so this runs the plain fred.series path.
  it('macro series: each series in chunks through fred.series, then only a weekly re-poll', async () => {
    const config = await testConfig({ macro_series: { earliest: '2024-01-01', chunk_days: 365, series: ['UNRATE', 'GDP'], vintages: false } });
    run = await sandboxRun({ nowMs: NOW, vendors: ['fred'], market: MARKET, config });
    const r = run;
    const units = await fredSeriesPlanner.plan(r.ctx([], config));
    expect(units.map((u) => [u.endpoint, (u.params.series as string[])[0], u.origin])).toEqual([
      ['fred.series', 'UNRATE', 'backfill'],
      ['fred.series', 'UNRATE', 'backfill'],
      ['fred.series', 'UNRATE', 'forward'],
      ['fred.series', 'GDP', 'backfill'],
      ['fred.series', 'GDP', 'backfill'],
      ['fred.series', 'GDP', 'forward'],
    ]);
    expect((await r.run('fred', units)).done).toBe(6);
    const rows = await r.runtime.lake.readRaw('macro_series', { vendors: ['fred'] });
    expect(new Set(rows.map((row) => row.series_id))).toEqual(new Set(['UNRATE', 'GDP']));
    expect(rows.filter((row) => row.series_id === 'UNRATE' && row.date >= '2024-01-01' && row.date <= '2026-04-01').length).toBe(28);
    expect(await fredSeriesPlanner.plan(r.ctx([], config))).toEqual([]);
    expect((await fredSeriesPlanner.plan({ ...r.ctx([], config), nowMs: NOW + 7 * 86_400_000 })).map((u) => u.origin)).toEqual(['forward', 'forward']);
  });
});
