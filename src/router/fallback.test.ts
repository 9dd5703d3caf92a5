import { describe, expect, it } from 'vitest';
import { activeVendors, planDatasets, vendorActivePredicate, type ActiveVendorsInput, type DatasetCapability } from './index.js';

const NOW = Date.UTC(2026, 10, 23, 22);
const cap = (vendor: DatasetCapability['vendor'], endpoint: DatasetCapability['endpoint'], dataset: DatasetCapability['dataset'], role: 'primary' | 'alternate', weight: number): DatasetCapability => ({
  dataset,
  vendor,
  endpoint,
  role,
  weight,
  unique: false,
  symbolsPerRequest: 'all',
  rowsPerPage: null,
  historyDays: null,
  historyStart: null,
  availableAfterCloseMinutes: 0,
  entitlement: 'free',
});
const CAPS: DatasetCapability[] = [
  cap('alpaca', 'alpaca.assets', 'symbols', 'primary', 3),
  cap('polygon', 'polygon.reference.tickers', 'symbols', 'alternate', 2),
  cap('finnhub', 'finnhub.symbols', 'symbols', 'alternate', 1),
  cap('alpaca', 'alpaca.bars', 'equities_eod', 'primary', 3),
  cap('polygon', 'polygon.aggs.grouped_daily', 'equities_eod', 'alternate', 4),
  cap('polygon', 'polygon.aggs.day', 'equities_eod', 'alternate', 2),
];
const live = (overrides: Partial<ActiveVendorsInput> = {}): ActiveVendorsInput => ({
  dataset: 'symbols',
  nowMs: NOW,
  capabilities: CAPS,
  keepAlternates: false,
  configured: new Set(['alpaca', 'polygon', 'finnhub'] as const),
  denied: [],
  frozen: [],
  budgets: {},
  ...overrides,
});
const statuses = (plan: ReturnType<typeof activeVendors>): string[] => plan.capabilities.map((c) => `${c.vendor}:${c.status}`);

describe('activeVendors', () => {
  it('the primary runs; alternates wait on standby unless the dataset keeps them for cross-verification', () => {
    const plan = activeVendors(live());
    expect(statuses(plan)).toEqual(['alpaca:active', 'polygon:standby', 'finnhub:standby']);
    expect(plan.capabilities[0]?.reason).toBe('primary');
    expect(plan.capabilities[1]?.reason).toBe('standby: alpaca serves symbols');

    const eod = activeVendors(live({ dataset: 'equities_eod', keepAlternates: true }));
    expect(eod.active).toEqual(['alpaca', 'polygon']);
    expect(eod.capabilities.map((c) => [c.endpoint, c.reason])).toEqual([
      ['alpaca.bars', 'primary'],
      ['polygon.aggs.grouped_daily', 'cross-verification alternate'],
      ['polygon.aggs.day', 'cross-verification alternate'],
    ]);
  });

  it('falls back to the next vendor while every better one is excluded, saying why, and returns when it recovers', () => {
    const frozen = [{ vendor: 'alpaca' as const, untilMs: NOW + 600_000, reason: 'circuit open after 5 consecutive network errors' }];
    const during = activeVendors(live({ frozen }));
    expect(statuses(during)).toEqual(['alpaca:excluded', 'polygon:active', 'finnhub:standby']);
    expect(during.capabilities[0]?.reason).toMatch(/^frozen until .*circuit open/);
    expect(during.capabilities[1]?.reason).toMatch(/^fallback: alpaca frozen until/);
    // Budget spent on the fallback too: the third vendor takes over.
    const both = activeVendors(live({ frozen, budgets: { polygon: { spent: 7000, budget: 7000 } } }));
    expect(both.active).toEqual(['finnhub']);
    expect(both.capabilities[1]?.reason).toBe('daily budget spent (7000/7000)');
    // The freeze ends: work returns to the primary.
    expect(activeVendors(live({ frozen, nowMs: NOW + 600_000 })).active).toEqual(['alpaca']);
  });

  it('excludes unkeyed and denied vendors, and for backfill a vendor whose share is spent', () => {
    const plan = activeVendors(
      live({
        configured: new Set(['polygon', 'finnhub'] as const),
        denied: [{ vendor: 'polygon', endpoint: 'polygon.reference.tickers', reason: 'NOT_AUTHORIZED', untilMs: null }],
      }),
    );
    expect(plan.capabilities.map((c) => c.reason)).toEqual(['not configured (no key)', 'entitlement denied: NOT_AUTHORIZED', expect.stringMatching(/^fallback: alpaca not configured.*; polygon entitlement denied/)]);
    const budgets = { alpaca: { spent: 80, budget: 100, backfillBudget: 80 } };
    expect(activeVendors(live({ budgets, origin: 'backfill' })).active).toEqual(['polygon']);
    expect(activeVendors(live({ budgets, origin: 'forward' })).active).toEqual(['alpaca']);
  });

  it('a budget-0 vendor is excluded from the start and its dataset moves to the next vendor', () => {
    const plan = activeVendors(live({ dataset: 'equities_eod', keepAlternates: false, budgets: { alpaca: { spent: 0, budget: 0 } } }));
    expect(plan.active).toEqual(['polygon']);
    expect(plan.capabilities.find((c) => c.vendor === 'alpaca')?.reason).toBe('daily budget spent (0/0)');
  });
});

describe('vendorActivePredicate', () => {
  it('answers per task from the plans, and allows what the plans do not know', () => {
    const plans = planDatasets({ ...live(), frozen: [{ vendor: 'polygon', untilMs: NOW + 1, reason: 'rate limited by vendor (HTTP 429)' }] });
    const active = vendorActivePredicate(plans);
    expect(active({ vendor: 'alpaca', dataset: 'equities_eod' })).toBe(true);
    expect(active({ vendor: 'polygon', dataset: 'equities_eod', endpoint: 'polygon.aggs.grouped_daily' })).toBe(false);
    expect(active({ vendor: 'polygon', dataset: 'symbols' })).toBe(false);
    expect(active({ vendor: 'finnhub', dataset: 'symbols' })).toBe(false);
    expect(active({ vendor: 'fred', dataset: 'treasuries' })).toBe(true);
    // equities_eod keeps its alternates by default (CROSS_VERIFIED_DATASETS).
    expect(vendorActivePredicate(planDatasets(live()))({ vendor: 'polygon', dataset: 'equities_eod' })).toBe(true);
  });
});

describe('ranking ties', () => {
  it('between equal weights, the vendor with more requests left today ranks first', () => {
    const caps = [cap('av', 'av.listing_status', 'symbols', 'alternate', 2), cap('polygon', 'polygon.reference.tickers', 'symbols', 'alternate', 2)];
    const budgets = { av: { spent: 3, budget: 25 }, polygon: { spent: 10, budget: 7000 } };
    const plan = activeVendors(live({ capabilities: caps, configured: new Set(['av', 'polygon'] as const), budgets }));
    expect(plan.capabilities.map((c) => `${c.vendor}:${c.status}`)).toEqual(['polygon:active', 'av:standby']);
  });
});
