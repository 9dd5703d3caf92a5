import { describe, expect, it } from 'vitest';
import { acceptedAtUtc, metricName, snakeCase, statementMetrics } from './metrics.js';

describe('metric names', () => {
  it('turns FMP camelCase into snake_case', () => {
    expect(snakeCase('netIncome')).toBe('net_income');
    expect(snakeCase('epsDiluted')).toBe('eps_diluted');
    expect(snakeCase('weightedAverageShsOutDil')).toBe('weighted_average_shs_out_dil');
    expect(snakeCase('accumulatedOtherComprehensiveIncomeLoss')).toBe('accumulated_other_comprehensive_income_loss');
    expect(snakeCase('EBITDAMargin')).toBe('ebitda_margin');
    expect(snakeCase('revenue')).toBe('revenue');
  });

  it('maps legacy v3 spellings onto the stable metric', () => {
    expect(metricName('epsdiluted')).toBe('eps_diluted');
    expect(metricName('netCashUsedProvidedByFinancingActivities')).toBe('net_cash_provided_by_financing_activities');
    expect(metricName('totalLiabilitiesAndStockholdersEquity')).toBe('total_liabilities_and_total_equity');
    expect(metricName('dividendsPaid')).toBe('dividends_paid');
  });

  it('keeps numeric line items only, first spelling wins, identity fields and legacy ratios excluded', () => {
    const metrics = statementMetrics({ date: '2020-09-26', cik: '0000320193', calendarYear: 2021, revenue: 1, epsdiluted: 3.28, epsDiluted: 9, grossProfitRatio: 0.38, link: 'https://x', isRestated: false, note: null });
    expect([...metrics]).toEqual([
      ['revenue', 1],
      ['eps_diluted', 3.28],
    ]);
  });
});

describe('acceptedAtUtc', () => {
  it('reads FMP acceptance times as New York wall-clock time', () => {
    expect(acceptedAtUtc('2025-10-31 06:01:26')).toBe('2025-10-31T10:01:26.000Z'); // EDT
    expect(acceptedAtUtc('2025-01-31 06:01:26')).toBe('2025-01-31T11:01:26.000Z'); // EST
    expect(acceptedAtUtc('2020-10-29 18:06:25')).toBe('2020-10-29T22:06:25.000Z');
  });

  it('honours an explicit zone and nulls junk', () => {
    expect(acceptedAtUtc('2025-10-31T10:01:26Z')).toBe('2025-10-31T10:01:26.000Z');
    for (const junk of [null, undefined, '', '2025-13-01 06:00:00', '2025-10-31 25:00:00', 'yesterday']) expect(acceptedAtUtc(junk)).toBeNull();
  });
});
