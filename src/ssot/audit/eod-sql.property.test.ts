import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EquityBarRow, SymbolRow, VendorId } from '../../catalog/index.js';
import { VENDORS } from '../../catalog/index.js';
import { addDays, sessionDatesBetween } from '../../calendar/index.js';
import type { Lake } from '../../lake/index.js';
import type { EodDateRow, SeenRow } from './eod-sql.js';
import { countEodSessionsWithListing } from './eod.js';
import { INGESTED, tempLake } from './test-support/index.js';

let lake: Lake;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ lake, cleanup } = await tempLake()));
afterEach(async () => cleanup());

// Bars may fall before the window and on weekends; the graded sessions are the window's.
const FIRST_DAY = '2026-10-26';
const DAYS = 28;
const WINDOW_SESSIONS = sessionDatesBetween('2026-11-02', '2026-11-20');
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const BAR_VENDORS: VendorId[] = ['alpaca', 'polygon'];

interface Bar { symbol: string; date: string; vendor: VendorId }
interface Reference { symbol: string; status: string; ipo_date: string | null; delisted_date: string | null }

function bar({ symbol, date, vendor }: Bar): EquityBarRow {
  return { symbol, date, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: vendor, source_uri: 'https://x', ingested_at: INGESTED };
}

function symbolRow(r: Reference): SymbolRow {
  return { ...r, name: null, exchange: null, asset_type: null, source_name: 'alpaca', source_uri: 'https://x', ingested_at: INGESTED };
}

/** The audit's rules, stated plainly over the bars: what the SQL must agree with. */
function oracle(bars: readonly Bar[], refs: readonly Reference[] | undefined, sessions: readonly string[]): { counts: EodDateRow[]; seen: SeenRow[] } {
  const dates = new Map<string, string[]>();
  for (const b of bars) dates.set(b.symbol, [...(dates.get(b.symbol) ?? []), b.date]);
  const seen: SeenRow[] = [];
  for (const [symbol, ds] of [...dates].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = ds.reduce((a, b) => (a < b ? a : b));
    const last = ds.reduce((a, b) => (a > b ? a : b));
    const ref = refs?.find((r) => r.symbol === symbol);
    if (refs && !ref) continue;
    const start = ref?.ipo_date && ref.ipo_date < first ? ref.ipo_date : first;
    const end = ref?.delisted_date ?? (ref?.status === 'delisted' ? addDays(last, 1) : null);
    seen.push({ symbol, first_date: first, last_date: last, start_date: start, end_date: end });
  }
  const counts = sessions.map((date): EodDateRow => {
    const listed = seen.filter((s) => date >= s.start_date && (s.end_date === null || date < s.end_date));
    const has = (symbol: string, vendor?: VendorId) => bars.some((b) => b.symbol === symbol && b.date === date && (vendor === undefined || b.vendor === vendor));
    const present = listed.filter((s) => has(s.symbol));
    return {
      date,
      expected: listed.length,
      present: present.length,
      vendor_counts: VENDORS.map((v) => listed.filter((s) => has(s.symbol, v)).length),
      // A session with nothing present names only the first few (its rollup says the rest).
      missing: listed.filter((s) => !has(s.symbol)).map((s) => s.symbol).slice(0, present.length === 0 ? 5 : undefined).join('\u001f'),
    };
  });
  return { counts, seen };
}

const barArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  date: fc.integer({ min: 0, max: DAYS - 1 }).map((i) => addDays(FIRST_DAY, i)),
  vendor: fc.constantFrom(...BAR_VENDORS),
});
const dayArb = fc.option(fc.integer({ min: 0, max: DAYS + 3 }).map((i) => addDays(FIRST_DAY, i)), { nil: null });
const refArb = fc.record({ status: fc.constantFrom('active', 'delisted'), ipo_date: dayArb, delisted_date: dayArb });
const scenarioArb = fc.record({
  bars: fc.array(barArb, { minLength: 1, maxLength: 90 }),
  refs: fc.option(fc.array(refArb, { minLength: SYMBOLS.length - 1, maxLength: SYMBOLS.length - 1 }), { nil: undefined }),
  /** Grade every session, or every other (as an incremental audit grades a sparse set). */
  stride: fc.constantFrom(1, 2),
  /** Split each partition into two parts (a re-fetch or a duplicate write). */
  split: fc.boolean(),
});

describe('eodSessionsSql', () => {
  it('agrees with the plain rules: listing windows, presence per vendor, missing symbols, duplicates and stray bars', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ bars, refs, stride, split }) => {
        const { lake: own, cleanup: done } = await tempLake();
        try {
          const byPart = new Map<string, Bar[]>();
          for (const b of bars) byPart.set(`${b.vendor}|${b.date}`, [...(byPart.get(`${b.vendor}|${b.date}`) ?? []), b]);
          for (const [key, rows] of byPart) {
            const [vendor, date] = key.split('|') as [VendorId, string];
            const cut = split && rows.length > 1 ? Math.ceil(rows.length / 2) : rows.length;
            // Each half keeps the other's first row: the same bar stored twice.
            await own.writeRawPartition('equities_eod', vendor, date, rows.slice(0, cut).map(bar));
            if (cut < rows.length) await own.writeRawPartition('equities_eod', vendor, date, [...rows.slice(cut), rows[0] as Bar].map(bar));
          }
          // The last symbol is absent from the reference (when there is one): never expected.
          const references = refs?.map((r, i) => ({ ...r, symbol: SYMBOLS[i] as string }));
          if (references) await own.writeReference('symbols', 'alpaca', references.map(symbolRow));
          const sessions = WINDOW_SESSIONS.filter((_, i) => i % stride === 0);
          const got = await countEodSessionsWithListing(own, await own.rawGlob('equities_eod'), await own.referenceFiles('symbols'), { kind: 'files-only' }, sessions);
          const want = oracle(bars, references, sessions);
          expect(got.seen).toEqual(want.seen);
          expect(got.counts.map((c) => ({ ...c, expected: Number(c.expected), present: Number(c.present), vendor_counts: c.vendor_counts.map(Number) }))).toEqual(want.counts);
        } finally {
          await done();
        }
      }),
      { numRuns: 12, seed: 20261124 },
    );
  }, 120_000);

  it('never expects a symbol whose delisting date precedes its first bar (a recycled ticker)', async () => {
    for (const date of WINDOW_SESSIONS.slice(0, 3)) await lake.writeRawPartition('equities_eod', 'alpaca', date, [bar({ symbol: 'AAA', date, vendor: 'alpaca' }), bar({ symbol: 'OLD', date, vendor: 'alpaca' })]);
    await lake.writeReference('symbols', 'alpaca', [
      symbolRow({ symbol: 'AAA', status: 'active', ipo_date: null, delisted_date: null }),
      symbolRow({ symbol: 'OLD', status: 'delisted', ipo_date: null, delisted_date: '2026-10-01' }),
    ]);
    const { counts } = await countEodSessionsWithListing(lake, await lake.rawGlob('equities_eod'), await lake.referenceFiles('symbols'), { kind: 'files-only' }, WINDOW_SESSIONS.slice(0, 5));
    expect(counts.map((c) => [c.date, Number(c.expected), Number(c.present), c.missing])).toEqual([
      ['2026-11-02', 1, 1, ''], ['2026-11-03', 1, 1, ''], ['2026-11-04', 1, 1, ''], ['2026-11-05', 1, 0, 'AAA'], ['2026-11-06', 1, 0, 'AAA'],
    ]);
  });
});
