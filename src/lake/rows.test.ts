import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { col } from '../catalog/index.js';
import { LakeWriteError } from './errors.js';
import { contentHash, microsToIso, normalizeRows, parseInstantMicros } from './rows.js';

const columns = { symbol: col.string(), date: col.date(), close: col.double(), ingested_at: col.timestamp(), source_uri: col.string() };
const row = (symbol: string, close: number, at = '2024-01-03T00:00:00Z', uri = 'https://a.test/') => ({
  symbol,
  date: '2024-01-02',
  close,
  ingested_at: at,
  source_uri: uri,
});
const hashOf = (rows: object[]): string =>
  contentHash(normalizeRows(columns, rows, { label: 't' }), ['symbol', 'date'], ['ingested_at', 'source_uri']);

describe('parseInstantMicros', () => {
  it('reads Z and offsets, keeps microseconds, refuses instants without an offset', () => {
    expect(parseInstantMicros('1970-01-01T00:00:00Z')).toBe(0);
    expect(parseInstantMicros('2024-01-02T09:30:00-05:00')).toBe(Date.UTC(2024, 0, 2, 14, 30) * 1000);
    expect(parseInstantMicros('2024-01-02T14:30:00.000001Z')).toBe(Date.UTC(2024, 0, 2, 14, 30) * 1000 + 1);
    expect(parseInstantMicros('2024-01-02T14:30:00.123456789+0000')).toBe(Date.UTC(2024, 0, 2, 14, 30) * 1000 + 123456);
    for (const bad of ['2024-01-02T14:30:00', '2024-01-02', '2024-02-30T00:00:00Z', '2024-01-02T24:00:00Z', 'yesterday', '2024-01-02T14:30:00+25:00']) {
      expect(parseInstantMicros(bad), bad).toBeUndefined();
    }
  });

  it('round-trips through microsToIso', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1) * 1000, max: Date.UTC(2200, 0, 1) * 1000 }), (micros) => {
        expect(parseInstantMicros(microsToIso(micros))).toBe(micros);
      }),
    );
  });
});

describe('contentHash', () => {
  it('ignores row order, fetch time and source uri, but not values', () => {
    const base = hashOf([row('A', 1), row('B', 2)]);
    expect(hashOf([row('B', 2, '2025-01-01T00:00:00Z'), row('A', 1, '2025-01-01T00:00:00Z', 'https://b.test/')])).toBe(base);
    expect(hashOf([row('A', 1), row('B', 2.0000001)])).not.toBe(base);
    expect(hashOf([row('A', 1)])).not.toBe(base);
    expect(hashOf([row('A', 1), row('B', 2), row('B', 2)])).not.toBe(base);
  });

  it('keeps the hash existing part names were made with (trademl-rows-v1)', () => {
    // Pinned from the first implementation: a change here would stop re-fetches deduping against parts already in a lake.
    expect(hashOf([row('MSFT', 370.25), row('AAPL', 185.5), row('A"B', 0.1)])).toBe('0c24797e01c925d9739d4b1a3b7b89359ed938ab57594d0d6d61284c3821d834');
  });

  it('is the same whether the key columns lead the row or not', () => {
    const table = normalizeRows(columns, [row('B', 2), row('A', 1), row('A!', 3)], { label: 't' });
    const reordered = normalizeRows({ close: columns.close, symbol: columns.symbol, date: columns.date }, [
      { close: 3, symbol: 'A!', date: '2024-01-02' },
      { close: 1, symbol: 'A', date: '2024-01-02' },
      { close: 2, symbol: 'B', date: '2024-01-02' },
    ], { label: 't' });
    // Different column order is different content; each is still independent of row order.
    expect(contentHash(reordered, ['symbol', 'date'])).toBe(contentHash({ ...reordered, columns: reordered.columns.map((c) => [...c].reverse()) }, ['symbol', 'date']));
    expect(contentHash(table, ['symbol', 'date'])).not.toBe(contentHash(reordered, ['symbol', 'date']));
  });

  it('is independent of the order of duplicate keys', () => {
    expect(hashOf([row('A', 1), row('A', 2)])).toBe(hashOf([row('A', 2), row('A', 1)]));
  });
});

describe('normalizeRows', () => {
  it('refuses a column spec of unknown kind', () => {
    expect(() => normalizeRows({ x: { kind: 'money', nullable: false } } as never, [], { label: 'curated/x.parquet' })).toThrow(LakeWriteError);
  });

  it("keeps ALFRED's open-ended vintage end 9999-12-31 but refuses other far-future dates", () => {
    const columns = { d: { kind: 'date', nullable: false } } as const;
    expect(normalizeRows(columns, [{ d: '9999-12-31' }], { label: 'macro_series' }).columns[0]).toEqual([2932896]);
    expect(() => normalizeRows(columns, [{ d: '9999-12-30' }], { label: 'macro_series' })).toThrow(LakeWriteError);
  });
});
