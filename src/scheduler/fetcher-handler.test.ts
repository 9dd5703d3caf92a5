import { describe, expect, it } from 'vitest';
import type { RowFor } from '../catalog/index.js';
import type { QueueUnit } from '../state/index.js';
import { coverageOf, fetchArgsOf } from './fetcher-handler.js';
import { fetchUnit } from './tasks/fetch-unit.js';

function queued(input: ReturnType<typeof fetchUnit>): QueueUnit {
  return { ...input, id: 1, status: 'leased', attempts: 1, notBeforeMs: 0, leaseOwner: 'w', leaseExpiresAtMs: 1, lastError: null, deferReason: null, createdAtMs: 0, updatedAtMs: 0 };
}

const NOW = Date.UTC(2024, 4, 2, 22, 0);

describe('fetch units', () => {
  it('name their arguments in the identity, symbol lists order-free', () => {
    const a = fetchUnit({ endpoint: 'alpaca.minute', dataset: 'equities_minute', params: { symbols: ['MSFT', 'AAPL'], start: '2024-05-01', end: '2024-05-01' }, priority: 80, origin: 'backfill' });
    const b = fetchUnit({ endpoint: 'alpaca.minute', dataset: 'equities_minute', params: { symbols: ['AAPL', 'MSFT'], start: '2024-05-01', end: '2024-05-01' }, priority: 80, origin: 'backfill' });
    expect(a.identity).toBe(b.identity);
    expect(a.identity).toMatch(/^alpaca\.minute\|equities_minute\|symbols=2:[0-9a-f]{16}\|2024-05-01\.\.2024-05-01$/);
    expect(a.params).toEqual({ symbols: ['AAPL', 'MSFT'], start: '2024-05-01', end: '2024-05-01' });
    expect(a.vendor).toBe('alpaca');
    const single = fetchUnit({ endpoint: 'alpaca.options.chain', dataset: 'options_chain', params: { symbols: ['SPY'] }, priority: 170, origin: 'forward', tag: 'as-of=2024-05-01' });
    expect(single.identity).toBe('alpaca.options.chain|options_chain|symbols=SPY|as-of=2024-05-01');
  });

  it('refuse params a planner did not write', () => {
    const unit = queued(fetchUnit({ endpoint: 'fred.series', dataset: 'macro_series', params: { series: ['GDP'] }, priority: 50, origin: 'backfill' }));
    expect(fetchArgsOf(unit)).toEqual({ series: ['GDP'] });
    expect(() => fetchArgsOf({ ...unit, params: { series: 'GDP' } })).toThrow(/series/);
    expect(() => fetchArgsOf({ ...unit, params: { start: '2024-5-1' } })).toThrow(/start/);
  });
});

describe('coverage of a completed unit', () => {
  it('counts rows per requested symbol, zero for an empty answer', () => {
    const unit = queued(fetchUnit({ endpoint: 'av.splits', dataset: 'corp_actions', params: { symbols: ['IBM', 'KO'] }, priority: 100, origin: 'backfill' }));
    const rows = [{ symbol: 'IBM' }, { symbol: 'IBM' }] as unknown as RowFor<'corp_actions'>[];
    const entries = coverageOf(unit, 'corp_actions', { symbols: ['IBM', 'KO'] }, rows, NOW);
    expect(entries.map((e) => [e.scope, e.rows, e.start, e.end, e.vendor, e.endpoint])).toEqual([
      ['IBM', 2, '2024-05-02', '2024-05-02', 'av', 'av.splits'],
      ['KO', 0, '2024-05-02', '2024-05-02', 'av', 'av.splits'],
    ]);
  });

  it('uses the unit range, a whole-market scope when no symbols were asked, and series ids for FRED', () => {
    const unit = queued(fetchUnit({ endpoint: 'fred.treasury_curve', dataset: 'treasuries', params: { start: '2024-01-01', end: '2024-03-31' }, priority: 50, origin: 'backfill' }));
    const whole = coverageOf(unit, 'treasuries', { start: '2024-01-01', end: '2024-03-31' }, [{ series_id: 'DGS10' }] as unknown as RowFor<'treasuries'>[], NOW);
    expect(whole.map((e) => [e.scope, e.rows, e.start, e.end])).toEqual([['*', 1, '2024-01-01', '2024-03-31']]);
    const series = coverageOf(unit, 'macro_series', { series: ['GDP', 'UNRATE'], start: '2020-01-01' }, [{ series_id: 'GDP' }] as unknown as RowFor<'macro_series'>[], NOW);
    expect(series.map((e) => [e.scope, e.rows, e.start, e.end])).toEqual([
      ['GDP', 1, '2020-01-01', '2024-05-02'],
      ['UNRATE', 0, '2020-01-01', '2024-05-02'],
    ]);
  });
});
