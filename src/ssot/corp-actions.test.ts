import { describe, expect, it } from 'vitest';
import type { CorpActionRow } from '../catalog/index.js';
import { mergeCorporateActions } from './corp-actions.js';

function ca(source: string, action: string, ratio: number | null, cash: number | null, ex = '2024-03-01'): CorpActionRow {
  return {
    symbol: 'XYZ', action, ex_date: ex, split_ratio: ratio, cash_amount: cash, currency: 'USD', record_date: null, pay_date: null,
    declared_date: null, new_symbol: null, source_name: source, source_uri: 'x', ingested_at: '2024-03-02T00:00:00.000Z',
  };
}

describe('mergeCorporateActions', () => {
  it('keeps one event per key from the preferred vendor and counts agreeing sources', () => {
    const merged = mergeCorporateActions([ca('polygon', 'split', 4, null), ca('alpaca', 'split', 4, null), ca('polygon', 'dividend', null, 0.25, '2024-05-01')], ['alpaca', 'polygon']);
    expect(merged).toEqual([
      { symbol: 'XYZ', action: 'split', ex_date: '2024-03-01', split_ratio: 4, cash_amount: null, source_name: 'alpaca', source_count: 2, disagreement: false },
      { symbol: 'XYZ', action: 'dividend', ex_date: '2024-05-01', split_ratio: null, cash_amount: 0.25, source_name: 'polygon', source_count: 1, disagreement: false },
    ]);
  });

  it('flags vendors that disagree and ignores non-price actions', () => {
    const merged = mergeCorporateActions([ca('alpaca', 'split', 4, null), ca('polygon', 'split', 2, null), ca('alpaca', 'symbol_change', null, null)], ['polygon', 'alpaca']);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ source_name: 'polygon', split_ratio: 2, disagreement: true, source_count: 2 });
  });
});
