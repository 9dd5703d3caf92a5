import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.js';
import { loadConfig } from '../config/index.js';
import { Lake } from '../lake/index.js';
import { openStateStore, type StateStore } from '../state/index.js';
import { runSmoke } from './smoke.js';
import { fetchUnit } from './tasks/fetch-unit.js';
import type { TaskPlanner } from './tasks/types.js';
import type { VendorClients } from './handlers.js';
import type { PipelineSettings } from './settings.js';

let dir: string;
let lake: Lake;
let state: StateStore;
const clock = new VirtualClock({ start: Date.UTC(2024, 4, 2, 22) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-smoke-unit-'));
  lake = await Lake.open({ root: join(dir, 'lake'), clock });
  state = await openStateStore(`sqlite:${join(dir, 'state.sqlite')}`);
});
afterEach(async () => {
  await state.close();
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

/** A FRED client whose series answer is always empty: the table it should fill stays empty. */
const emptyFred = { fetchSeries: async () => [] } as unknown as NonNullable<VendorClients['fred']>;

function planner(task: TaskPlanner['task'], units: number): TaskPlanner {
  return {
    task,
    plan: async () =>
      Array.from({ length: units }, (_, i) => fetchUnit({ endpoint: 'fred.series', dataset: 'macro_series', params: { series: [`S${i}`], start: '2024-01-01', end: '2024-04-30' }, priority: 50, origin: 'backfill' })),
  };
}

describe('runSmoke', () => {
  it('fails when a targeted table gets no partition, after trying a few units, and touches nothing for disabled tasks', async () => {
    const config = await loadConfig(join(process.cwd(), 'configs'));
    const settings = { enabledEndpoints: new Set(['fred.series']) } as unknown as PipelineSettings;
    const deps = { clock, lake, state, clients: { fred: emptyFred }, settings, config, owner: 'smoke-test' };
    const report = await runSmoke(deps, [planner('fred_series', 5), planner('finnhub_daily', 1)]);
    expect(report.tasks.map((t) => [t.task, t.outcome])).toEqual([
      ['fred_series', 'empty'],
      ['finnhub_daily', 'skipped'],
    ]);
    expect(report.missing).toEqual(['macro_series']);
    expect(report.ok).toBe(false);
    // Three units tried (each recorded as fetched-and-empty), not all five; ties go to the greatest identity (the newest date).
    expect((await lake.readCoverage('macro_series')).map((c) => c.scope).sort()).toEqual(['S2', 'S3', 'S4']);
  });
});
