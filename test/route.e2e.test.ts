import { afterAll, describe, expect, it } from 'vitest';
import type { RoutePlan } from '../src/router/index.js';
import { backends } from './support/backends.js';
import { lastJson, removeDir, runCli, tempDir } from './support/cli.js';

const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all([...dirs.map(removeDir), ...cleanups.map((c) => c())]);
});

describe.each(backends())('trademl route [$title]', (backend) => {
  it.skipIf(backend.skipReason !== undefined)('prints the plan with every score part, ranking only keyed vendors and naming why the rest are out', async () => {
    const dataDir = await tempDir('route');
    dirs.push(dataDir);
    const storage = await backend.provision();
    cleanups.push(() => storage.dispose());
    const result = await runCli(['route', 'equities_eod', '--date', '2026-11-20', '--universe', '500', '--json', '--data-dir', dataDir], {
      env: { ALPACA_API_KEY_ID: 'PKROUTE', ALPACA_API_SECRET_KEY: 'route-secret', POLYGON_API_KEY: 'routekey', ...storage.env },
    });
    expect(result.code, result.stderr).toBe(0);
    const plan = lastJson<RoutePlan>(result.stdout);
    expect(plan.plan.map((p) => [p.rank, p.endpoint, p.requestsPerPartition])).toEqual([
      [1, 'alpaca.bars', 1],
      [2, 'polygon.aggs.grouped_daily', 1],
      [3, 'polygon.aggs.day', 500],
    ]);
    expect(Object.keys(plan.plan[0]?.parts ?? {}).sort()).toEqual(['budget_headroom', 'coverage_gap', 'duplication_risk', 'is_unique', 'recency_need']);
    expect(plan.excluded.find((e) => e.vendor === 'finnhub')?.reason).toBe('not configured (no key)');
    expect(result.stdout).not.toContain('route-secret');
  });
});
