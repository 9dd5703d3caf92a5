import { describe, expect, it } from 'vitest';
import type { SymbolRow } from '../catalog/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../clock/index.js';
import { Lake } from '../lake/index.js';
import { delistingAsSymbol, isTradableSymbol, loadUniverse, membersDuring, mergeUniverse } from './index.js';

function row(symbol: string, source: string, status: string, delisted: string | null = null, extra: Partial<SymbolRow> = {}): SymbolRow {
  return { symbol, name: null, exchange: null, asset_type: null, status, ipo_date: null, delisted_date: delisted, source_name: source, source_uri: 'x', ingested_at: '2024-01-01T00:00:00.000Z', ...extra };
}

function delisting(symbol: string, source: string, date: string, exchange: string | null = 'NYSE', ipo: string | null = null) {
  return { symbol, delisted_date: date, name: null, exchange, ipo_date: ipo, source_name: source, source_uri: 'x', ingested_at: '2024-06-01T00:00:00.000Z' };
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

  it('takes delisting dates from the delistings dataset: a symbol only FMP/AV report delisted ends on that date', () => {
    const members = mergeUniverse([row('KEEP', 'polygon', 'active'), delistingAsSymbol(delisting('GONE', 'fmp', '2024-03-15', 'NASDAQ', '2019-01-02')), delistingAsSymbol(delisting('GONE', 'av', '2024-03-13'))]);
    expect(members.find((m) => m.symbol === 'GONE')).toEqual({ symbol: 'GONE', status: 'delisted', delistedDate: '2024-03-13', ipoDate: '2019-01-02', sources: ['fmp', 'av'] });
    expect(membersDuring(members, '2024-01-02', '2024-03-12').map((m) => m.symbol)).toEqual(['GONE', 'KEEP']);
    expect(membersDuring(members, '2024-03-13', '2024-06-28').map((m) => m.symbol)).toEqual(['KEEP']);
  });

  it('keeps a reused ticker active: an old delisting superseded by a later IPO or a source still listing it well after', () => {
    const members = mergeUniverse([
      row('REUS', 'polygon', 'active', null, { ingested_at: '2026-06-01T00:00:00.000Z' }),
      delistingAsSymbol(delisting('REUS', 'av', '2015-02-27')),
      row('NEWCO', 'av', 'active', null, { ipo_date: '2021-05-05' }),
      delistingAsSymbol(delisting('NEWCO', 'av', '2012-08-01')),
    ]);
    expect(members.map((m) => [m.symbol, m.status, m.delistedDate])).toEqual([
      ['NEWCO', 'active', null],
      ['REUS', 'active', null],
    ]);
    expect(membersDuring(members, '2024-01-02', '2026-06-01')).toHaveLength(2);
  });

  it('ignores delistings on foreign or OTC venues and lets the global FMP stock list only corroborate', () => {
    const members = mergeUniverse([
      row('SAP.DE', 'fmp', 'active'),
      row('ONLYFMP', 'fmp', 'active'),
      row('KO', 'alpaca', 'active'),
      row('KO', 'fmp', 'active'),
      delistingAsSymbol(delisting('KO', 'fmp', '2024-02-01', 'XETRA')),
    ]);
    expect(members).toEqual([{ symbol: 'KO', status: 'active', delistedDate: null, ipoDate: null, sources: ['alpaca', 'fmp'] }]);
  });

  it('loads symbols and delistings from the lake', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-universe-'));
    const lake = await Lake.open({ root: dir, clock: new SystemClock() });
    try {
      await lake.writeReference('symbols', 'alpaca', [row('AAA', 'alpaca', 'active')]);
      await lake.writeReference('delistings', 'av', [delisting('OLD', 'av', '2023-05-05')]);
      const members = await loadUniverse(lake);
      expect(members.map((m) => [m.symbol, m.status, m.delistedDate, m.sources])).toEqual([
        ['AAA', 'active', null, ['alpaca']],
        ['OLD', 'delisted', '2023-05-05', ['av']],
      ]);
    } finally {
      await lake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
