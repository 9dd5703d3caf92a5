import { describe, expect, it } from 'vitest';
import type { SymbolRow } from '../catalog/index.js';
import { isTradableSymbol, membersDuring, mergeUniverse } from './index.js';

function row(symbol: string, source: string, status: string, delisted: string | null = null): SymbolRow {
  return { symbol, name: null, exchange: null, asset_type: null, status, ipo_date: null, delisted_date: delisted, source_name: source, source_uri: 'x', ingested_at: '2024-01-01T00:00:00.000Z' };
}

describe('universe', () => {
  it('merges vendors, keeps delisted symbols with the earliest delisting date', () => {
    const members = mergeUniverse([row('AAA', 'alpaca', 'active'), row('BBB', 'alpaca', 'active'), row('BBB', 'polygon', 'delisted', '2024-05-01'), row('AAA', 'polygon', 'active')]);
    expect(members).toEqual([
      { symbol: 'AAA', status: 'active', delistedDate: null, ipoDate: null, sources: ['alpaca', 'polygon'] },
      { symbol: 'BBB', status: 'delisted', delistedDate: '2024-05-01', ipoDate: null, sources: ['alpaca', 'polygon'] },
    ]);
    expect(membersDuring(members, '2024-06-01', '2024-12-31').map((m) => m.symbol)).toEqual(['AAA']);
  });

  it('accepts class shares with a dot and rejects what bar endpoints refuse', () => {
    expect(['BRK.B', 'AAPL', 'A'].every(isTradableSymbol)).toBe(true);
    expect(['BRK-B', 'brk.b', '../x', 'BRK/B', 'KIMpL', ''].some(isTradableSymbol)).toBe(false);
  });
});
