import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { col, type EquityBarRow, type RowFor, type SymbolRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake, LakeError, LakePathError, LakeWriteError, type ObjectStore } from './index.js';

const START = Date.UTC(2024, 0, 3, 1, 0, 0);
let dir: string;
let clock: VirtualClock;
let lake: Lake;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-lake-'));
  clock = new VirtualClock({ start: START });
  lake = await Lake.open({ root: dir, clock });
});

afterEach(async () => {
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

function bar(symbol: string, date: string, overrides: Partial<EquityBarRow> = {}): EquityBarRow {
  return {
    symbol,
    date,
    open: 10.5,
    high: 11.25,
    low: 10.125,
    close: 11,
    volume: 1234.5,
    vwap: null,
    trades: 42,
    feed: 'iex',
    adjusted: false,
    source_name: 'alpaca',
    source_uri: 'https://data.alpaca.markets/v2/stocks/bars?symbols=AAPL',
    ingested_at: '2024-01-03T01:00:00.000Z',
    ...overrides,
  };
}

async function filesIn(relative: string): Promise<string[]> {
  return (await readdir(join(dir, relative))).sort();
}

describe('raw partitions', () => {
  it('round-trips exact values and types, nulls, fractional volume and bigints', async () => {
    const rows = [
      bar('MSFT', '2024-01-02', { vwap: 370.123456789, trades: 9_007_199_254_740_991, feed: null }),
      bar('AAPL', '2024-01-02', { volume: 0.000123 }),
    ];
    const result = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', rows);
    expect(result.written).toBe(true);
    expect(result.rows).toBe(2);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.path).toMatch(/^raw\/alpaca\/equities_eod\/date=2024-01-02\/part-[0-9A-Z]{26}-[0-9a-f]{16}\.parquet$/);
    expect(result.path).toContain(result.hash.slice(0, 16));

    const back = await lake.readRaw('equities_eod');
    expect(back).toEqual([rows[1], rows[0]]); // sorted by key
    const msft = back[1] as EquityBarRow;
    expect(typeof msft.trades).toBe('number');
    expect(msft.feed).toBeNull();
    expect(back[0]?.vwap).toBeNull();
    expect(typeof msft.date).toBe('string');
    expect(msft.ingested_at).toBe('2024-01-03T01:00:00.000Z');
  });

  it('normalises instants with an offset to UTC and keeps microseconds', async () => {
    const row: RowFor<'equities_minute'> = {
      symbol: 'AAPL',
      ts: '2024-01-02T09:30:00-05:00',
      date: '2024-01-02',
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 100,
      vwap: null,
      trades: null,
      feed: 'iex',
      source_name: 'alpaca',
      source_uri: 'https://x.test/bars',
      ingested_at: '2024-01-03T01:00:00.123456Z',
    };
    await lake.writeRawPartition('equities_minute', 'alpaca', '2024-01-02', [row]);
    const [back] = await lake.readRaw('equities_minute');
    expect(back?.ts).toBe('2024-01-02T14:30:00.000Z');
    expect(back?.ingested_at).toBe('2024-01-03T01:00:00.123456Z');
  });

  it('does not write an identical re-fetch again, even fetched at another time', async () => {
    const first = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02'), bar('MSFT', '2024-01-02')]);
    const again = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [
      bar('MSFT', '2024-01-02', { ingested_at: '2024-01-04T05:00:00Z', source_uri: 'https://other.test/?page=2' }),
      bar('AAPL', '2024-01-02', { ingested_at: '2024-01-04T05:00:00Z' }),
    ]);
    expect(again).toEqual({ path: first.path, written: false, hash: first.hash, rows: 2 });
    expect(await filesIn('raw/alpaca/equities_eod/date=2024-01-02')).toHaveLength(1);
  });

  it('adds a revised part and readRaw keeps the newest ingested_at per key', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02'), bar('MSFT', '2024-01-02')]);
    const revised = bar('AAPL', '2024-01-02', { close: 11.5, ingested_at: '2024-01-04T00:00:00.000Z' });
    const second = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [revised]);
    expect(second.written).toBe(true);
    expect(await filesIn('raw/alpaca/equities_eod/date=2024-01-02')).toHaveLength(2);
    const back = await lake.readRaw('equities_eod');
    expect(back).toEqual([revised, bar('MSFT', '2024-01-02')]);
  });

  it('writes a revert again when a newer part holds other values for its keys', async () => {
    const original = [bar('AAPL', '2024-01-02')];
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', original);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', { close: 99, ingested_at: '2024-01-04T00:00:00Z' })]);
    const reverted = [bar('AAPL', '2024-01-02', { ingested_at: '2024-01-05T00:00:00.000Z' })];
    const result = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', reverted);
    expect(result.written).toBe(true);
    expect(await lake.readRaw('equities_eod')).toEqual(reverted);
  });

  it('still dedupes when newer parts hold only other keys', async () => {
    const chunkA = [bar('AAPL', '2024-01-02')];
    const first = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', chunkA);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('MSFT', '2024-01-02')]);
    const again = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', chunkA);
    expect(again.written).toBe(false);
    expect(again.path).toBe(first.path);
    expect(await filesIn('raw/alpaca/equities_eod/date=2024-01-02')).toHaveLength(2);
  });

  it('filters by vendor, date range and symbols', async () => {
    for (const date of ['2024-01-02', '2024-01-03', '2024-01-04']) {
      await lake.writeRawPartition('equities_eod', 'alpaca', date, [bar('AAPL', date), bar('BRK.B', date)]);
    }
    await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-03', [bar('AAPL', '2024-01-03', { source_name: 'polygon' })]);
    const rows = await lake.readRaw('equities_eod', { vendors: ['alpaca'], start: '2024-01-03', end: '2024-01-04', symbols: ['BRK.B'] });
    expect(rows.map((r) => [r.symbol, r.date, r.source_name])).toEqual([
      ['BRK.B', '2024-01-03', 'alpaca'],
      ['BRK.B', '2024-01-04', 'alpaca'],
    ]);
    const both = await lake.readRaw('equities_eod', { start: '2024-01-03', end: '2024-01-03', symbols: ['AAPL'] });
    expect(both.map((r) => r.source_name)).toEqual(['alpaca', 'polygon']);
    expect(await lake.readRaw('equities_eod', { vendors: ['fmp'] })).toEqual([]);
  });

  it('lists raw partitions with their part counts', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02')]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('MSFT', '2024-01-02')]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-03', [bar('AAPL', '2024-01-03')]);
    await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-03', [bar('AAPL', '2024-01-03')]);
    expect(await lake.listRawPartitions('equities_eod')).toEqual([
      { vendor: 'alpaca', date: '2024-01-02', parts: 2 },
      { vendor: 'alpaca', date: '2024-01-03', parts: 1 },
      { vendor: 'polygon', date: '2024-01-03', parts: 1 },
    ]);
    expect(await lake.listRawPartitions('equities_eod', 'polygon')).toEqual([{ vendor: 'polygon', date: '2024-01-03', parts: 1 }]);
    expect(await lake.listRawPartitions('equities_minute')).toEqual([]);
    const files = await lake.rawGlob('equities_eod', 'alpaca');
    expect(files).toHaveLength(3);
    expect(files.every((f) => f.startsWith(join(dir, 'raw', 'alpaca', 'equities_eod')))).toBe(true);
    expect(await lake.rawGlob('options_bars')).toEqual([]);
    const parts = await lake.listRawParts('equities_eod');
    expect(parts.map((p) => [p.vendor, p.date])).toEqual([['alpaca', '2024-01-02'], ['alpaca', '2024-01-02'], ['alpaca', '2024-01-03'], ['polygon', '2024-01-03']]);
    expect(parts.every((p) => /^part-[0-9A-Z]{26}-[0-9a-f]{16}\.parquet$/.test(p.name))).toBe(true);
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort()).toEqual(parts.filter((p) => p.vendor === 'alpaca').map((p) => p.name).sort());
  });

  it('a query window limits the raw views to the partitions inside it', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02')]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-02-01', [bar('AAPL', '2024-02-01')]);
    const sql = `SELECT strftime(min("date"), '%Y-%m-%d') AS first, count(*) AS n FROM raw_equities_eod`;
    expect(await lake.query(sql)).toEqual([{ first: '2024-01-02', n: 2 }]);
    expect(await lake.query(sql, [], { window: { start: '2024-02-01', end: '2024-02-29' } })).toEqual([{ first: '2024-02-01', n: 1 }]);
    expect(await lake.query(sql, [], { window: { end: '2024-01-31' } })).toEqual([{ first: '2024-01-02', n: 1 }]);
  });

  it('serialises concurrent writers: identical concurrent writes produce one file', async () => {
    const rows = [bar('AAPL', '2024-01-02')];
    const results = await Promise.all([
      lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', rows),
      lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', rows),
      lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('MSFT', '2024-01-02')]),
      lake.readRaw('equities_eod'),
    ]);
    expect(results.slice(0, 3).map((r) => (r as { written: boolean }).written).sort()).toEqual([false, true, true]);
    expect(await filesIn('raw/alpaca/equities_eod/date=2024-01-02')).toHaveLength(2);
  });
});

describe('compaction', () => {
  const rowsOf = async (): Promise<string[]> =>
    (await lake.readRaw('equities_eod')).map((r) => `${r.source_name} ${r.symbol} ${r.date} ${r.close} ${r.ingested_at}`).sort();

  it('merges a partition into one part of the rows readers use, hides the merged parts at once and removes them after the grace', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02'), bar('MSFT', '2024-01-02')]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('IBM', '2024-01-02')]);
    // A revision of AAPL: readers take it, and so does the merged part.
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', { close: 12, ingested_at: '2024-01-05T00:00:00.000Z' })]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-03', [bar('AAPL', '2024-01-03')]);
    const before = await rowsOf();
    const listedBefore = await lake.rawGlob('equities_eod');

    expect(await lake.compactRaw('equities_eod')).toEqual({ partitions: 1, merged: 3, removed: 0 });
    expect(await rowsOf()).toEqual(before);
    expect(await lake.listRawPartitions('equities_eod')).toEqual([
      { vendor: 'alpaca', date: '2024-01-02', parts: 1 },
      { vendor: 'alpaca', date: '2024-01-03', parts: 1 },
    ]);
    const [merged] = await lake.rawGlob('equities_eod', 'alpaca');
    const inMerged = await lake.query<{ symbol: string; close: number }>(`SELECT symbol, "close" FROM read_parquet('${merged as string}') ORDER BY symbol`);
    expect(inMerged).toEqual([{ symbol: 'AAPL', close: 12 }, { symbol: 'IBM', close: 11 }, { symbol: 'MSFT', close: 11 }]);
    // Within the grace a reader that listed the old parts can still read them.
    expect(await lake.query(`SELECT count(*) AS n FROM read_parquet([${listedBefore.map((f) => `'${f}'`).join(', ')}])`)).toEqual([{ n: 5 }]);
    expect((await filesIn('raw/alpaca/equities_eod/date=2024-01-02')).filter((f) => f.includes('.merged-'))).toHaveLength(3);

    // Nothing left to merge; with the grace over, the merged parts and their tombstones go.
    expect(await lake.compactRaw('equities_eod')).toEqual({ partitions: 0, merged: 0, removed: 0 });
    expect(await lake.compactRaw('equities_eod', { graceMs: 0 })).toEqual({ partitions: 0, merged: 0, removed: 3 });
    expect(await filesIn('raw/alpaca/equities_eod/date=2024-01-02')).toEqual([merged?.slice(merged.lastIndexOf('/') + 1)]);
    expect(await rowsOf()).toEqual(before);
  });

  it('leaves a partition below minParts alone, and new parts after a compaction are merged by the next', async () => {
    for (const symbol of ['A', 'B']) await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar(symbol, '2024-01-02')]);
    expect(await lake.compactRaw('equities_eod', { minParts: 3 })).toEqual({ partitions: 0, merged: 0, removed: 0 });
    expect(await lake.compactRaw('equities_eod')).toMatchObject({ partitions: 1, merged: 2 });
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('C', '2024-01-02')]);
    expect(await lake.compactRaw('equities_eod')).toMatchObject({ partitions: 1, merged: 2 });
    expect((await lake.readRaw('equities_eod')).map((r) => r.symbol)).toEqual(['A', 'B', 'C']);
  });

  it('a failure after the merged part is committed leaves duplicates readers dedupe, merged by the next compaction', async () => {
    for (const symbol of ['A', 'B', 'C']) await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar(symbol, '2024-01-02')]);
    const before = await rowsOf();
    let failTombstones = true;
    const failing = (store: ObjectStore): ObjectStore =>
      new Proxy(store, {
        get: (target, name) =>
          name === 'putIfAbsent'
            ? (key: string, body: Parameters<ObjectStore['putIfAbsent']>[1]) => (failTombstones && key.includes('.merged-') ? Promise.reject(new Error('disk gone')) : target.putIfAbsent(key, body))
            : Reflect.get(target, name, target),
      });
    const crashing = await Lake.open({ root: dir, clock, wrapStore: failing });
    try {
      await expect(crashing.compactRaw('equities_eod')).rejects.toThrow(/disk gone/);
      expect((await crashing.listRawPartitions('equities_eod'))[0]?.parts).toBe(4);
      expect(await rowsOf()).toEqual(before);
      failTombstones = false;
      expect(await crashing.compactRaw('equities_eod')).toMatchObject({ partitions: 1, merged: 4 });
      expect((await crashing.listRawPartitions('equities_eod'))[0]?.parts).toBe(1);
      expect(await rowsOf()).toEqual(before);
    } finally {
      await crashing.close();
    }
  });
});

describe('validation', () => {
  const partitionDir = (): string => join(dir, 'raw', 'alpaca', 'equities_eod');

  async function expectRefused(run: () => Promise<unknown>, column: string | undefined, rowIndex: number | undefined): Promise<void> {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LakeWriteError);
    const writeError = error as LakeWriteError;
    expect(writeError.column).toBe(column);
    expect(writeError.rowIndex).toBe(rowIndex);
    await expect(readdir(partitionDir())).rejects.toMatchObject({ code: 'ENOENT' });
  }

  it('refuses a missing required value, naming dataset, column and row', async () => {
    const bad = { ...bar('MSFT', '2024-01-02'), close: undefined } as unknown as EquityBarRow;
    await expectRefused(() => lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02'), bad]), 'close', 1);
    await expect(lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bad])).rejects.toThrow(
      'equities_eod, row 0, column "close": required value is missing',
    );
  });

  it('refuses wrong types', async () => {
    const cases: [Partial<Record<keyof EquityBarRow, unknown>>, string][] = [
      [{ volume: '100' }, 'volume'],
      [{ open: Number.NaN }, 'open'],
      [{ trades: 1.5 }, 'trades'],
      [{ adjusted: 'false' }, 'adjusted'],
      [{ ingested_at: '2024-01-03 01:00' }, 'ingested_at'],
      [{ ingested_at: '2024-01-03T01:00:00' }, 'ingested_at'],
    ];
    for (const [override, column] of cases) {
      const row = { ...bar('AAPL', '2024-01-02'), ...override } as EquityBarRow;
      await expectRefused(() => lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [row]), column, 0);
    }
  });

  it('refuses a row of another partition and columns the catalog does not know', async () => {
    await expectRefused(
      () => lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02'), bar('AAPL', '2024-01-03')]),
      'date',
      1,
    );
    const extra = { ...bar('AAPL', '2024-01-02'), vendor_ts: 'x' } as EquityBarRow;
    await expectRefused(() => lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [extra]), 'vendor_ts', 0);
  });

  it('refuses unsafe vendor, dataset and date arguments as write errors', async () => {
    const rows = [bar('AAPL', '2024-01-02')];
    for (const run of [
      () => lake.writeRawPartition('equities_eod', '../x' as 'alpaca', '2024-01-02', rows),
      () => lake.writeRawPartition('equities_eod', 'alpaca', '../../etc', rows),
      () => lake.writeRawPartition('equities_eod', 'alpaca', '2024-02-30', rows),
      () => lake.writeRawPartition('../raw' as 'equities_eod', 'alpaca', '2024-01-02', rows),
      () => lake.writeRawPartition('symbols' as 'equities_eod', 'alpaca', '2024-01-02', rows),
    ]) {
      await expectRefused(run, undefined, undefined);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('crash leftovers', () => {
  it('never shows a leftover .tmp part to readers or listings', async () => {
    const written = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02')]);
    // A crash between COPY and rename leaves a staged file: in a known partition and in a new one.
    await copyFile(join(dir, written.path), join(dir, 'raw/alpaca/equities_eod/date=2024-01-02/.tmp-01HZZZZZZZZZZZZZZZZZZZZZZZ.parquet'));
    await mkdir(join(dir, 'raw/alpaca/equities_eod/date=2024-01-05'), { recursive: true });
    await copyFile(join(dir, written.path), join(dir, 'raw/alpaca/equities_eod/date=2024-01-05/.tmp-01HZZZZZZZZZZZZZZZZZZZZZZZ.parquet'));

    expect(await lake.readRaw('equities_eod')).toHaveLength(1);
    expect(await lake.listRawPartitions('equities_eod')).toEqual([{ vendor: 'alpaca', date: '2024-01-02', parts: 1 }]);
    expect(await lake.rawGlob('equities_eod')).toEqual([join(dir, written.path)]);
    expect(await lake.query('SELECT count(*) AS n FROM raw_equities_eod')).toEqual([{ n: 1 }]);
    // The next write of that partition is unaffected by the leftover.
    const next = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-05', [bar('AAPL', '2024-01-05')]);
    expect(next.written).toBe(true);
    expect(await lake.readRaw('equities_eod')).toHaveLength(2);
  });

  it('never shows a staged file next to a table file', async () => {
    const columns = { dataset: col.string() };
    await lake.writeTable('qc/partition_status.parquet', columns, [{ dataset: 'a' }]);
    await writeFile(join(dir, 'qc/.tmp-01HZZZZZZZZZZZZZZZZZZZZZZZ.parquet'), 'half a file');
    expect(await lake.readTable('qc/partition_status.parquet')).toEqual([{ dataset: 'a' }]);
    expect(await lake.query('SELECT * FROM partition_status')).toEqual([{ dataset: 'a' }]);
  });
});

describe('path safety', () => {
  it('keeps hostile symbol values as data, never as paths', async () => {
    const hostile = ['../x', 'BRK/B', 'BRK.B', '..\\..\\y', 'ÄÖÜ-株', 'Z'.repeat(1024), '/etc/passwd', '.'];
    const rows = hostile.map((s) => bar(s, '2024-01-02'));
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', rows);
    const back = await lake.readRaw('equities_eod', { symbols: hostile });
    expect(back.map((r) => r.symbol).sort()).toEqual([...hostile].sort());
    const all = await walk(dir);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatch(/^raw\/alpaca\/equities_eod\/date=2024-01-02\/part-[0-9A-Z]{26}-[0-9a-f]{16}\.parquet$/);
  });
});

async function walk(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(root, rel)));
    else out.push(rel);
  }
  return out;
}

describe('clock', () => {
  it('holds a virtual clock while lake I/O is in flight', async () => {
    let written = false;
    const woke = clock.sleep(1).then(() => written);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', Array.from({ length: 200 }, (_, i) => bar(`S${i}`, '2024-01-02')));
    written = true;
    expect(await woke).toBe(true);
  });
});

describe('canonical and reference reads', () => {
  it('takes each key from the first vendor of the precedence that has it', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', { close: 1 })]);
    await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-02', [
      bar('AAPL', '2024-01-02', { close: 2, source_name: 'polygon', ingested_at: '2024-01-09T00:00:00.000Z' }),
      bar('MSFT', '2024-01-02', { close: 3, source_name: 'polygon' }),
    ]);
    await lake.writeRawPartition('equities_eod', 'finnhub', '2024-01-02', [bar('TSLA', '2024-01-02', { source_name: 'finnhub' })]);

    const alpacaFirst = await lake.readCanonical('equities_eod', ['alpaca', 'polygon']);
    expect(alpacaFirst.map((r) => [r.symbol, r.close, r.source_name])).toEqual([
      ['AAPL', 1, 'alpaca'],
      ['MSFT', 3, 'polygon'],
    ]);
    const polygonFirst = await lake.readCanonical('equities_eod', ['polygon', 'alpaca'], { symbols: ['AAPL'] });
    expect(polygonFirst.map((r) => [r.symbol, r.close])).toEqual([['AAPL', 2]]);
  });

  it('uses the vendor’s newest row within the winning vendor', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', { close: 1 })]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', { close: 5, ingested_at: '2024-01-05T00:00:00.000Z' })]);
    const rows = await lake.readCanonical('equities_eod', ['alpaca']);
    expect(rows.map((r) => r.close)).toEqual([5]);
  });

  it('reads reference snapshots deduped per vendor, newest wins', async () => {
    const symbol = (s: string, status: string, at: string, vendor = 'polygon'): SymbolRow => ({
      symbol: s,
      name: `${s} Inc`,
      exchange: 'XNAS',
      asset_type: 'CS',
      status,
      ipo_date: '2000-01-03',
      delisted_date: status === 'delisted' ? '2023-05-01' : null,
      source_name: vendor,
      source_uri: 'https://api.polygon.io/v3/reference/tickers',
      ingested_at: at,
    });
    const first = await lake.writeReference('symbols', 'polygon', [symbol('AAPL', 'active', '2024-01-01T00:00:00.000Z'), symbol('OLD', 'active', '2024-01-01T00:00:00.000Z')]);
    expect(first.path).toMatch(/^reference\/symbols\/vendor=polygon\/part-/);
    await lake.writeReference('symbols', 'polygon', [symbol('OLD', 'delisted', '2024-02-01T00:00:00.000Z')]);
    await lake.writeReference('symbols', 'fmp', [symbol('AAPL', 'active', '2024-01-01T00:00:00.000Z', 'fmp')]);

    const polygon = await lake.readReference('symbols', { vendors: ['polygon'] });
    expect(polygon.map((r) => [r.symbol, r.status, r.delisted_date])).toEqual([
      ['AAPL', 'active', null],
      ['OLD', 'delisted', '2023-05-01'],
    ]);
    expect(await lake.readReference('symbols')).toHaveLength(3);
    expect(await lake.referenceFiles('symbols', 'fmp')).toHaveLength(1);
    await expect(lake.writeReference('equities_eod' as 'symbols', 'polygon', [])).rejects.toThrow(LakeWriteError);
  });
});

describe('tables', () => {
  const columns = { dataset: col.string(), date: col.date(), rows: col.bigint(), ratio: col.optDouble(), audited_at: col.timestamp() };
  const path = 'qc/partition_status.parquet';

  it('returns [] for an absent table and replaces a table file atomically', async () => {
    expect(await lake.readTable(path)).toEqual([]);
    const v1 = [{ dataset: 'equities_eod', date: '2024-01-02', rows: 300, ratio: 1, audited_at: '2024-01-03T00:00:00.000Z' }];
    expect((await lake.writeTable(path, columns, v1)).written).toBe(true);
    expect(await lake.readTable(path)).toEqual(v1);

    const v2 = [...v1, { dataset: 'equities_eod', date: '2024-01-03', rows: 12, ratio: null, audited_at: '2024-01-04T00:00:00.000Z' }];
    const second = await lake.writeTable(path, columns, v2);
    expect(second).toMatchObject({ path, written: true, rows: 2 });
    expect(await lake.readTable(path)).toEqual(v2);
    expect(await filesIn('qc')).toEqual(['partition_status.parquet']);

    expect((await lake.writeTable(path, columns, [...v2].reverse())).written).toBe(false);
    // A refused write leaves the previous version in place.
    await expect(lake.writeTable(path, columns, [{ ...v1[0], rows: 'many' }])).rejects.toThrow(LakeWriteError);
    expect(await lake.readTable(path)).toEqual(v2);
  });

  it('deletes a table file, and refuses a path outside the table roots', async () => {
    await lake.writeTable('qc/gone.parquet', { n: col.bigint() }, [{ n: 1 }]);
    await lake.deleteTable('qc/gone.parquet');
    expect(await lake.readTable('qc/gone.parquet')).toEqual([]);
    await lake.deleteTable('qc/gone.parquet');
    await expect(lake.deleteTable('raw/alpaca/equities_eod/date=2024-01-02/x.parquet')).rejects.toBeInstanceOf(LakeWriteError);
  });

  it('writes an empty table with its schema', async () => {
    await lake.writeTable('manifests/curated_x.parquet', columns, []);
    expect(await lake.readTable('manifests/curated_x.parquet')).toEqual([]);
    expect(await lake.query('SELECT count(*) AS n FROM curated_x')).toEqual([{ n: 0 }]);
  });

  it('refuses table paths outside curated/, qc/ and manifests/ or with unsafe segments', async () => {
    for (const bad of ['raw/alpaca/x.parquet', 'reference/symbols/x.parquet', 'curated/../x.parquet', 'curated/./x.parquet', '/etc/x.parquet', 'curated/x', 'curated/.x.parquet', 'curated\\..\\x.parquet', 'x.parquet']) {
      await expect(lake.writeTable(bad, columns, []), bad).rejects.toThrow(LakeWriteError);
      await expect(lake.readTable(bad), bad).rejects.toThrow(LakePathError);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('tables from a query', () => {
  const path = 'curated/closes/data.parquet';
  const select = `SELECT symbol, date, close * $1 AS scaled, NULL::DOUBLE AS missing FROM raw_equities_eod WHERE date >= $2 ORDER BY symbol, date`;

  it('writes a SELECT over the lake views as one table file, in the query order, and dedupes an unchanged result', async () => {
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('MSFT', '2024-01-02', { close: 2 }), bar('AAPL', '2024-01-02', { close: 1 })]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-03', [bar('AAPL', '2024-01-03', { close: 3 })]);

    const first = await lake.writeTableFromQuery(path, select, [10, '2024-01-02']);
    expect(first).toMatchObject({ path, written: true, rows: 3 });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await lake.readTable(path)).toEqual([
      { symbol: 'AAPL', date: '2024-01-02', scaled: 10, missing: null },
      { symbol: 'AAPL', date: '2024-01-03', scaled: 30, missing: null },
      { symbol: 'MSFT', date: '2024-01-02', scaled: 20, missing: null },
    ]);
    expect(await filesIn('curated/closes')).toEqual(['data.parquet']);
    const meta = await lake.query<{ value: string }>(`SELECT decode(value) AS value FROM parquet_kv_metadata('${join(dir, path)}') WHERE decode(key) = 'trademl_content_hash'`);
    expect(meta).toEqual([{ value: first.hash }]);

    // The same rows in another order hash the same: the file is left alone.
    const before = (await readFile(join(dir, path))).length;
    const reordered = await lake.writeTableFromQuery(path, select.replace('ORDER BY symbol, date', 'ORDER BY date DESC, symbol DESC'), [10, '2024-01-02']);
    expect(reordered).toEqual({ ...first, written: false });
    expect((await readFile(join(dir, path))).length).toBe(before);

    // Other values, or the same values under another type, are another content.
    const changed = await lake.writeTableFromQuery(path, select, [100, '2024-01-03']);
    expect(changed).toMatchObject({ written: true, rows: 1 });
    expect(changed.hash).not.toBe(first.hash);
    expect(await lake.readTable(path)).toEqual([{ symbol: 'AAPL', date: '2024-01-03', scaled: 300, missing: null }]);
    const retyped = await lake.writeTableFromQuery(path, `SELECT symbol, date::VARCHAR AS date, 300.0 AS scaled, NULL::DOUBLE AS missing FROM raw_equities_eod WHERE date = '2024-01-03'`);
    expect(retyped.written).toBe(true);
    expect(retyped.hash).not.toBe(changed.hash);
    // The written table is itself a view for the next query.
    expect(await lake.query('SELECT count(*) AS n FROM closes')).toEqual([{ n: 1 }]);
  });

  it('writes an empty result with its schema, and refuses a failing query or a bad path leaving the old file', async () => {
    expect(await lake.writeTableFromQuery('manifests/empty.parquet', `SELECT 'x' AS name, 1::BIGINT AS n WHERE false`)).toMatchObject({ written: true, rows: 0 });
    expect(await lake.query(`SELECT column_name, column_type FROM (DESCRIBE empty)`)).toEqual([
      { column_name: 'name', column_type: 'VARCHAR' },
      { column_name: 'n', column_type: 'BIGINT' },
    ]);
    await lake.writeTableFromQuery('manifests/t.parquet', `SELECT 1 AS n`);
    await expect(lake.writeTableFromQuery('manifests/t.parquet', `SELECT no_such_column FROM range(3)`)).rejects.toThrow();
    expect(await lake.readTable('manifests/t.parquet')).toEqual([{ n: 1 }]);
    expect(await filesIn('manifests')).toEqual(['empty.parquet', 't.parquet']);
    await expect(lake.writeTableFromQuery('raw/alpaca/x.parquet', 'SELECT 1 AS n')).rejects.toThrow(LakeWriteError);
  });
});

describe('quarantine', () => {
  it('saves a payload with its reason outside raw/ and lists it, with keys redacted', async () => {
    const path = await lake.quarantine({
      vendor: 'polygon',
      endpoint: 'polygon.aggs.grouped_daily',
      reason: 'schema drift: results[0].c missing',
      sourceUri: 'https://api.polygon.io/v2/aggs/grouped/locale/us/market/stocks/2024-01-02?adjusted=false&apiKey=SECRET123',
      body: '{"results":[{"T":"AAPL"}]}',
      atMs: START,
    });
    expect(path).toMatch(/^quarantine\/polygon\/polygon\.aggs\.grouped_daily\/date=2024-01-03\/[0-9A-Z]{26}\.json$/);
    const stored = await readFile(join(dir, path), 'utf8');
    expect(stored).not.toContain('SECRET123');
    expect(JSON.parse(stored)).toMatchObject({ body: '{"results":[{"T":"AAPL"}]}', sourceUri: expect.stringContaining('apiKey=REDACTED') });
    expect(await lake.listQuarantine()).toEqual([
      { path, vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily', reason: 'schema drift: results[0].c missing', atMs: START },
    ]);
    await expect(readdir(join(dir, 'raw'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(
      lake.quarantine({ vendor: 'polygon', endpoint: '../../x' as 'polygon.aggs.day', reason: 'r', sourceUri: '', body: '', atMs: START }),
    ).rejects.toThrow(LakeError);
  });
});

describe('query', () => {
  it('offers raw_, ref_ and table views over the current files', async () => {
    expect(await lake.query('SELECT count(*) AS n FROM raw_equities_eod')).toEqual([{ n: 0 }]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02'), bar('MSFT', '2024-01-02')]);
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', { close: 12, ingested_at: '2024-01-05T00:00:00Z' })]);
    await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-02', [bar('AAPL', '2024-01-02', { source_name: 'polygon' })]);
    await lake.writeTable('qc/partition_status.parquet', { dataset: col.string(), date: col.date() }, [{ dataset: 'equities_eod', date: '2024-01-02' }]);

    const perVendor = await lake.query<{ vendor: string; n: number; last_close: number }>(
      `SELECT vendor, count(*) AS n, max("close") AS last_close FROM raw_equities_eod WHERE "date" = $1::DATE GROUP BY vendor ORDER BY vendor`,
      ['2024-01-02'],
    );
    expect(perVendor).toEqual([
      { vendor: 'alpaca', n: 2, last_close: 12 },
      { vendor: 'polygon', n: 1, last_close: 11 },
    ]);
    const joined = await lake.query(
      `SELECT p.dataset, p.date, count(*) AS n FROM partition_status p JOIN raw_equities_eod r ON r.date = p.date GROUP BY ALL`,
    );
    expect(joined).toEqual([{ dataset: 'equities_eod', date: '2024-01-02', n: 3 }]);
    expect(await lake.query('SELECT count(*) AS n FROM ref_symbols')).toEqual([{ n: 0 }]);
    expect(await lake.query(`SELECT list_contains($1, 'B') AS hit, TIMESTAMPTZ '2024-01-02 21:00:00+00' AS ts`, [['A', 'B']])).toEqual([
      { hit: true, ts: '2024-01-02T21:00:00.000Z' },
    ]);
    expect(
      await lake.query(`SELECT list(x ORDER BY x) AS xs, 1.5::DECIMAL(10, 2) AS d, DATE '2024-01-02' AS day, 7::HUGEINT AS h FROM (VALUES ('b'), ('a')) t(x)`),
    ).toEqual([{ xs: ['a', 'b'], d: 1.5, day: '2024-01-02', h: 7 }]);
  });
});

describe('query listings', () => {
  it('lists the table roots only for a SELECT that names a table, and such a SELECT sees a file written since', async () => {
    const listed: string[] = [];
    const counting = (store: ObjectStore): ObjectStore =>
      new Proxy(store, { get: (target, name) => (name === 'list' ? (prefix: string) => (listed.push(prefix), target.list(prefix)) : Reflect.get(target, name, target)) });
    const counted = await Lake.open({ root: dir, clock, wrapStore: counting });
    try {
      await counted.writeTable('qc/partition_status.parquet', { dataset: col.string(), date: col.date() }, [{ dataset: 'equities_eod', date: '2024-01-02' }]);
      const roots = (): string[] => listed.filter((p) => ['curated/', 'qc/', 'manifests/'].includes(p));
      listed.length = 0;
      await counted.query(`WITH t AS (SELECT 1 AS x) SELECT x FROM t JOIN raw_equities_eod r ON true`);
      await counted.query(`SELECT count(*) AS n FROM read_parquet(${JSON.stringify(join(dir, 'qc', 'partition_status.parquet')).replaceAll('"', "'")})`);
      await counted.query(`CREATE OR REPLACE TEMP TABLE scratch AS SELECT 1 AS x`);
      await counted.query(`SELECT x FROM scratch`);
      expect(roots()).toEqual([]);
      expect(await counted.query('SELECT count(*) AS n FROM partition_status')).toEqual([{ n: 1 }]);
      expect(roots().sort()).toEqual(['curated/', 'manifests/', 'qc/']);
      await counted.writeTable('qc/partition_status.parquet', { dataset: col.string(), date: col.date() }, [
        { dataset: 'equities_eod', date: '2024-01-02' },
        { dataset: 'equities_eod', date: '2024-01-03' },
      ]);
      await counted.writeTable('qc/other_table.parquet', { n: col.bigint() }, [{ n: 7 }]);
      expect(await counted.query('SELECT (SELECT count(*) FROM partition_status) AS a, (SELECT max(n) FROM other_table) AS b')).toEqual([{ a: 2, b: 7 }]);
    } finally {
      await counted.close();
    }
  });
});

describe('open', () => {
  it('accepts a file:// URL and refuses schemes it has no store for', async () => {
    const other = await Lake.open({ root: pathToFileURL(join(dir, 'sub')).href, clock });
    expect(other.root).toBe(join(dir, 'sub'));
    await other.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02')]);
    expect(await other.readRaw('equities_eod')).toHaveLength(1);
    await other.close();
    await expect(Lake.open({ root: 'gs://bucket/lake', clock })).rejects.toThrow(LakeError);
  });

  it('refuses calls after close', async () => {
    const other = await Lake.open({ root: join(dir, 'closed'), clock });
    await other.close();
    await expect(other.readRaw('equities_eod')).resolves.toEqual([]); // no files: DuckDB is not touched
    await expect(other.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02')])).rejects.toThrow('closed');
  });
});
