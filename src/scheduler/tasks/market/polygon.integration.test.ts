import { afterEach, describe, expect, it } from 'vitest';
import { nyInstant } from '../../../calendar/index.js';
import type { TrademlConfig } from '../../../config/index.js';
import { optionContracts, optionUnderlyings } from '../../../sandbox/index.js';
import { asOfGrid, polygonOptionsContractsPlanner } from './contracts.js';
import { startPipeline, withTask, type Pipeline } from './test-support/pipeline.js';

const NOW = nyInstant('2026-06-03', '18:00');

function shortContractsWindow(config: TrademlConfig): TrademlConfig {
  const target = config.backfill.targets.options_contracts;
  if (target === undefined) throw new Error('configs/backfill.yml lost targets.options_contracts');
  return { ...config, backfill: { ...config.backfill, targets: { ...config.backfill.targets, options_contracts: { ...target, lookback_days: 75 } } } };
}

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

describe('polygon_options_contracts in the sandbox', () => {
  it('probes with one unit, then lists every (underlier, as-of) of the grid, matching the market, then owes nothing', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['polygon'], config: shortContractsWindow }));
    const underliers = optionUnderlyings(p.market).slice(0, 2);
    p.runtime.config = withTask(p.runtime.config, { name: 'polygon_options_contracts', enabled: true, underliers });
    const grid = asOfGrid('2026-03-20', '2026-06-03', 30);
    expect(grid).toEqual(['2026-05-07', '2026-04-07']);
    const probe = await p.plan(polygonOptionsContractsPlanner);
    expect(probe).toEqual([`polygon.options.contracts|options_contracts|symbols=${underliers[0]}|${grid[0]}`]);
    await p.drain('polygon');
    const rest = await p.plan(polygonOptionsContractsPlanner);
    expect(rest).toHaveLength(underliers.length * grid.length - 1);
    await p.drain('polygon');
    expect(await polygonOptionsContractsPlanner.plan(p.context())).toEqual([]);
    const rows = await p.runtime.lake.query<{ underlying: string; as_of: string; n: number }>(
      'SELECT underlying, as_of, count(DISTINCT contract)::INTEGER AS n FROM ref_options_contracts GROUP BY ALL ORDER BY ALL',
    );
    expect(rows).toHaveLength(underliers.length * grid.length);
    for (const r of rows) expect(r.n).toBe(optionContracts(p.market, r.underlying, r.as_of).filter((c) => c.listDate <= '2026-06-03').length);
  });

  it('records the capability denied when the key has no options entitlement, after one request, and plans nothing more', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['polygon'], config: shortContractsWindow, plans: { polygon: { optionsEntitled: false } } }));
    p.runtime.config = withTask(p.runtime.config, { name: 'polygon_options_contracts', enabled: true, underliers: optionUnderlyings(p.market).slice(0, 2) });
    expect(await p.plan(polygonOptionsContractsPlanner)).toHaveLength(1);
    const report = await p.drain('polygon');
    expect(report.dead).toBe(1);
    const statuses = await p.runtime.state.listCapabilityStatus();
    expect(statuses.map((s) => [s.vendor, s.endpoint, s.status])).toEqual([['polygon', 'polygon.options.contracts', 'denied']]);
    expect(await polygonOptionsContractsPlanner.plan(p.context())).toEqual([]);
    expect(p.sandbox.stats().polygon.requests).toBe(1);
  });
});
