import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../catalog/index.js';
import { renderHeatmap } from './heatmap.js';

function row(date: string, status: LedgerRow['status']): LedgerRow {
  return { dataset: 'equities_eod', date, status, rows: 1, expected_rows: 1, ratio: 1, vendor_rows: '{}', reason: '', audited_at: '2024-01-01T00:00:00.000Z' };
}

describe('renderHeatmap', () => {
  it('puts each session on its day of the month with its status glyph', () => {
    const text = renderHeatmap([row('2024-01-02', 'GREEN'), row('2024-01-03', 'AMBER'), row('2024-02-01', 'RED')], { title: 'equities_eod', color: false });
    const lines = text.split('\n');
    expect(lines[2]).toBe('2024-01   █▒                            ');
    expect(lines[3]).toBe('2024-02  ░                            ');
    expect(text).toContain('GREEN 1');
    expect(text).toContain('AMBER 1');
    expect(text).toContain('RED 1');
  });

  it('colours cells only when asked', () => {
    expect(renderHeatmap([row('2024-01-02', 'GREEN')], { title: 't', color: true })).toContain('\x1b[32m█');
    expect(renderHeatmap([row('2024-01-02', 'GREEN')], { title: 't', color: false })).not.toContain('\x1b[');
  });
});
