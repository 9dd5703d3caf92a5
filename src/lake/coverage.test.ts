import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoverageEntry } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake, LakeWriteError } from './index.js';

let dir: string;
let lake: Lake;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-coverage-'));
  lake = await Lake.open({ root: dir, clock: new VirtualClock({ start: Date.UTC(2024, 0, 3) }) });
});

afterEach(async () => {
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

function entry(overrides: Partial<CoverageEntry> = {}): CoverageEntry {
  return {
    dataset: 'corp_actions',
    vendor: 'av',
    endpoint: 'av.splits',
    scope: 'IBM',
    start: '2000-01-01',
    end: '2024-01-02',
    rows: 0,
    recorded_at: '2024-01-03T00:00:00.000Z',
    ...overrides,
  };
}

describe('coverage records', () => {
  it('remembers an empty answer per dataset, apart from other datasets', async () => {
    await lake.recordCoverage([entry(), entry({ scope: 'MSFT', rows: 3 })]);
    await lake.recordCoverage([entry({ dataset: 'equities_minute', vendor: 'alpaca', endpoint: 'alpaca.minute', scope: 'AAPL', start: '2024-01-02', end: '2024-01-02', rows: 390 })]);
    const corp = await lake.readCoverage('corp_actions');
    expect(corp.map((e) => [e.scope, e.rows, e.start, e.end])).toEqual([
      ['IBM', 0, '2000-01-01', '2024-01-02'],
      ['MSFT', 3, '2000-01-01', '2024-01-02'],
    ]);
    expect((await lake.readCoverage('equities_minute')).map((e) => e.scope)).toEqual(['AAPL']);
    expect(await lake.readCoverage('options_chain')).toEqual([]);
    expect(await lake.coverageFiles('corp_actions')).toHaveLength(1);
  });

  it('is queryable as the `coverage` view', async () => {
    await lake.recordCoverage([entry(), entry({ scope: 'MSFT', rows: 3 })]);
    const rows = await lake.query<{ n: number }>('SELECT sum(rows)::INTEGER AS n FROM coverage');
    expect(rows).toEqual([{ n: 3 }]);
  });

  it('refuses an unknown dataset or a bad date and writes nothing', async () => {
    await expect(lake.recordCoverage([entry({ dataset: 'nope' as never })])).rejects.toBeInstanceOf(LakeWriteError);
    await expect(lake.recordCoverage([entry({ start: '2024-13-01' })])).rejects.toThrow();
    expect(await lake.readCoverage('corp_actions')).toEqual([]);
  });
});
