import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../catalog/index.js';
import { route, requestsFor, type RouteCapability, type RouteInputs } from './index.js';

const NOW = Date.parse('2026-11-23T12:00:00Z'); // 07:00 New York, Monday
const ALPACA: RouteCapability = {
  vendor: 'alpaca', endpoint: 'alpaca.bars', role: 'primary', unique: false, weight: 3, symbolsPerRequest: 500, rowsPerPage: 10_000,
  historyDays: null, historyStart: '2016-01-01', availableAfterCloseMinutes: 30, entitlement: 'free',
};
const GROUPED: RouteCapability = {
  vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily', role: 'alternate', unique: false, weight: 4, symbolsPerRequest: 'all', rowsPerPage: null,
  historyDays: 730, historyStart: null, availableAfterCloseMinutes: 240, entitlement: 'free',
};
const AGGS: RouteCapability = { ...GROUPED, endpoint: 'polygon.aggs.day', symbolsPerRequest: 1, weight: 2 };
const FINNHUB: RouteCapability = { ...ALPACA, vendor: 'finnhub', endpoint: 'finnhub.candle.daily', role: 'alternate', symbolsPerRequest: 1, entitlement: 'premium' };

function inputs(overrides: Partial<RouteInputs> = {}): RouteInputs {
  return {
    dataset: 'equities_eod', date: '2026-11-20', nowMs: NOW, capabilities: [ALPACA, GROUPED, AGGS, FINNHUB],
    configured: new Set(['alpaca', 'polygon', 'finnhub']), denied: [], frozen: [], budgets: {}, universeSize: 500, ...overrides,
  };
}

function ledger(ratio: number, vendorRows: Record<string, number>): LedgerRow {
  return { dataset: 'equities_eod', date: '2026-11-20', status: ratio >= 0.98 ? 'GREEN' : 'AMBER', rows: Math.round(500 * ratio), expected_rows: 500, ratio, vendor_rows: JSON.stringify(vendorRows), reason: '', audited_at: '2026-11-23T12:00:00.000Z' };
}

describe('route', () => {
  it('ranks only keyed, entitled, spendable vendors and says why the others are out', () => {
    const plan = route(inputs());
    expect(plan.plan.map((p) => p.endpoint)).toEqual(['alpaca.bars', 'polygon.aggs.grouped_daily', 'polygon.aggs.day']);
    expect(plan.excluded).toEqual([{ vendor: 'finnhub', endpoint: 'finnhub.candle.daily', reason: 'premium endpoint: refused on free keys' }]);
  });

  it('computes every score part from live inputs and the spec formula', () => {
    const plan = route(inputs({ ledger: ledger(0.5, { polygon: 250 }), budgets: { alpaca: { spent: 50_000, budget: 200_000 } } }));
    const alpaca = plan.plan.find((p) => p.vendor === 'alpaca');
    expect(alpaca?.parts).toEqual({ is_unique: 0, coverage_gap: 0.5, budget_headroom: 0.75, recency_need: 0.99589, duplication_risk: 0 });
    expect(alpaca?.score).toBe(3 * 0 + 2 * 0.5 + 0.75 + 0.99589 - 0);
    const grouped = plan.plan.find((p) => p.endpoint === 'polygon.aggs.grouped_daily');
    expect(grouped?.parts.duplication_risk).toBe(1);
    expect(plan.plan[0]?.vendor).toBe('alpaca');
  });

  it('prefers the endpoint that covers the partition in fewer requests when scores tie', () => {
    const plan = route(inputs({ capabilities: [AGGS, GROUPED] }));
    expect(plan.plan.map((p) => [p.endpoint, p.requestsPerPartition])).toEqual([
      ['polygon.aggs.grouped_daily', 1],
      ['polygon.aggs.day', 500],
    ]);
  });

  it('moves work to the next vendor when one is frozen, out of budget or denied, and back when it recovers', () => {
    const frozen = route(inputs({ frozen: [{ vendor: 'alpaca', untilMs: NOW + 60_000, reason: 'circuit open after 5 consecutive network errors' }] }));
    expect(frozen.plan[0]?.vendor).toBe('polygon');
    expect(frozen.excluded.find((e) => e.vendor === 'alpaca')?.reason).toMatch(/^frozen until .*circuit open/);
    expect(route(inputs({ nowMs: NOW + 120_000, frozen: [{ vendor: 'alpaca', untilMs: NOW + 60_000, reason: 'x' }] })).plan[0]?.vendor).toBe('alpaca');
    const spent = route(inputs({ budgets: { alpaca: { spent: 200_000, budget: 200_000 } } }));
    expect(spent.excluded.find((e) => e.vendor === 'alpaca')?.reason).toBe('daily budget spent (200000/200000)');
    const denied = route(inputs({ denied: [{ vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily', reason: 'NOT_AUTHORIZED', untilMs: null }] }));
    expect(denied.plan.map((p) => p.endpoint)).not.toContain('polygon.aggs.grouped_daily');
  });

  it('honours history windows and when a session is complete at each vendor', () => {
    const old = route(inputs({ date: '2024-06-03' }));
    expect(old.excluded.map((e) => e.endpoint)).toContain('polygon.aggs.grouped_daily');
    expect(old.plan[0]?.vendor).toBe('alpaca');
    const sameEvening = route(inputs({ date: '2026-11-20', nowMs: Date.parse('2026-11-20T22:00:00Z') }));
    expect(sameEvening.plan.map((p) => p.vendor)).toEqual(['alpaca']);
    expect(sameEvening.excluded.find((e) => e.endpoint === 'polygon.aggs.grouped_daily')?.reason).toMatch(/^not complete at the vendor until 2026-11-21T01:00/);
    expect(route(inputs({ configured: new Set() })).plan).toEqual([]);
  });

  it('costs multi-symbol endpoints by batches and pages', () => {
    expect(requestsFor({ symbolsPerRequest: 500, rowsPerPage: 10_000 }, 5_000)).toBe(10);
    expect(requestsFor({ symbolsPerRequest: 'all', rowsPerPage: null }, 12_000)).toBe(1);
    expect(requestsFor({ symbolsPerRequest: 1, rowsPerPage: null }, 300)).toBe(300);
  });
});
