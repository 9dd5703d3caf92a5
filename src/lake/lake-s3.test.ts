import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { col, type CorpActionRow, type EquityBarRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { auditEquitiesEod, curateEquities, readCurated, readLedger, writeLedger } from '../ssot/index.js';
import { Lake } from './index.js';
import { startTestS3, type TestS3 } from './test-support/s3-server.js';

const START = Date.UTC(2024, 0, 8, 1, 0, 0);
let s3: TestS3;
let cacheRoot: string;
let clock: VirtualClock;
let url: string;
let run = 0;

beforeAll(async () => {
  s3 = await startTestS3();
});

afterAll(async () => {
  await s3.close();
});

beforeEach(async () => {
  cacheRoot = await mkdtemp(join(tmpdir(), 'trademl-lake-s3-cache-'));
  clock = new VirtualClock({ start: START });
  run += 1;
  url = `${s3.url}/lake-${run}`;
});

afterEach(async () => {
  await rm(cacheRoot, { recursive: true, force: true });
});

/** A Lake on the test bucket; each instance has its own cache unless one is named. */
function openLake(options: { client?: S3Client; cache?: string } = {}): Promise<Lake> {
  const cacheDir = join(cacheRoot, options.cache ?? `c-${Math.random().toString(36).slice(2)}`);
  return Lake.open({ root: url, clock, s3: { env: s3.env, cacheDir, ...(options.client ? { client: options.client } : {}) } });
}

function bar(symbol: string, date: string, close: number, overrides: Partial<EquityBarRow> = {}): EquityBarRow {
  return {
    symbol,
    date,
    open: close - 1,
    high: close + 1,
    low: close - 2,
    close,
    volume: 1000,
    vwap: null,
    trades: 10,
    feed: 'iex',
    adjusted: false,
    source_name: 'alpaca',
    source_uri: 'https://data.alpaca.markets/v2/stocks/bars',
    ingested_at: '2024-01-08T01:00:00.000Z',
    ...overrides,
  };
}

/** Holds every PutObject of a client until released, reporting what it was about to send. */
function gatePuts(client: S3Client) {
  let closed = false;
  let release: () => void = () => undefined;
  let reached: (input: { Key: string; Body: Uint8Array; ContentLength: number }) => void = () => undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (closed && context.commandName === 'PutObjectCommand') {
        reached(args.input as { Key: string; Body: Uint8Array; ContentLength: number });
        await new Promise<void>((resolve) => (release = resolve));
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return {
    close(): Promise<{ Key: string; Body: Uint8Array; ContentLength: number }> {
      closed = true;
      return new Promise((resolve) => (reached = resolve));
    },
    open(): void {
      closed = false;
      release();
    },
  };
}

describe('Lake on S3', () => {
  it('round-trips raw partitions, references, tables and quarantine, and dedupes identical parts', async () => {
    const lake = await openLake();
    expect(lake.root).toBe(`${url}/`);
    const rows = [bar('AAPL', '2024-01-02', 185.5), bar('MSFT', '2024-01-02', 370.25, { vwap: 370.1, trades: 9_007_199_254_740_991 })];
    const first = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', rows);
    expect(first.written).toBe(true);
    expect(first.path).toMatch(/^raw\/alpaca\/equities_eod\/date=2024-01-02\/part-[0-9A-Z]{26}-[0-9a-f]{16}\.parquet$/);
    // Same content fetched later: deduped on the content hash, nothing new in the bucket.
    const again = await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', rows.map((r) => ({ ...r, ingested_at: '2024-01-09T00:00:00.000Z' })));
    expect(again).toEqual({ ...first, written: false });
    expect(await lake.listRawPartitions('equities_eod')).toEqual([{ vendor: 'alpaca', date: '2024-01-02', parts: 1 }]);
    expect(await lake.readRaw('equities_eod')).toEqual(rows);

    const action: CorpActionRow = {
      symbol: 'AAPL', action: 'split', ex_date: '2024-01-04', split_ratio: 2, cash_amount: null, currency: null, record_date: null,
      pay_date: null, declared_date: null, new_symbol: null, source_name: 'polygon', source_uri: 'https://api.polygon.io/v3/reference/splits',
      ingested_at: '2024-01-08T01:00:00.000Z',
    };
    expect((await lake.writeReference('corp_actions', 'polygon', [action])).written).toBe(true);
    expect(await lake.readReference('corp_actions')).toEqual([action]);

    const columns = { name: col.string(), n: col.bigint() };
    expect((await lake.writeTable('manifests/t.parquet', columns, [{ name: 'a', n: 1 }])).written).toBe(true);
    expect((await lake.writeTable('manifests/t.parquet', columns, [{ name: 'a', n: 1 }])).written).toBe(false);
    await lake.writeTable('manifests/t.parquet', columns, [{ name: 'b', n: 2 }]);
    expect(await lake.readTable('manifests/t.parquet')).toEqual([{ name: 'b', n: 2 }]);
    expect(await lake.query('SELECT symbol, close FROM raw_equities_eod ORDER BY symbol')).toEqual([
      { symbol: 'AAPL', close: 185.5 },
      { symbol: 'MSFT', close: 370.25 },
    ]);

    const path = await lake.quarantine({
      vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily', reason: 'schema drift', body: '{"results":[]}', atMs: START,
      sourceUri: 'https://api.polygon.io/v2/aggs/grouped?apiKey=SECRET123',
    });
    expect(await lake.listQuarantine()).toEqual([{ path, vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily', reason: 'schema drift', atMs: START }]);
    await lake.close();

    // A second lake (another process, empty cache) sees everything from the bucket alone.
    const reader = await openLake();
    expect(await reader.readRaw('equities_eod')).toEqual(rows);
    expect(await reader.readTable('manifests/t.parquet')).toEqual([{ name: 'b', n: 2 }]);
    expect((await reader.listQuarantine()).map((q) => q.path)).toEqual([path]);
    await reader.close();
  });

  it('writes a table from a query through the bucket and dedupes an unchanged result', async () => {
    const lake = await openLake();
    await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', 185.5), bar('MSFT', '2024-01-02', 370.25)]);
    const select = `SELECT symbol, close FROM raw_equities_eod WHERE close > $1 ORDER BY symbol`;
    const first = await lake.writeTableFromQuery('curated/big/data.parquet', select, [100], { compression: 'snappy' });
    expect(first).toMatchObject({ path: 'curated/big/data.parquet', written: true, rows: 2 });
    expect(await lake.writeTableFromQuery('curated/big/data.parquet', select, [100])).toEqual({ ...first, written: false });
    const second = await lake.writeTableFromQuery('curated/big/data.parquet', select, [200]);
    expect(second).toMatchObject({ written: true, rows: 1 });
    await lake.close();

    // Another process with an empty cache reads the replaced file from the bucket alone, and dedupes against it.
    const reader = await openLake();
    expect(await reader.readTable('curated/big/data.parquet')).toEqual([{ symbol: 'MSFT', close: 370.25 }]);
    expect(await reader.query('SELECT symbol FROM big')).toEqual([{ symbol: 'MSFT' }]);
    expect((await reader.writeTableFromQuery('curated/big/data.parquet', select, [200])).written).toBe(false);
    await reader.close();
  });

  it('never lets a reader see an object before its single whole PUT, and re-downloads a replaced table', async () => {
    const writerClient = s3.client();
    const gate = gatePuts(writerClient);
    const writer = await openLake({ client: writerClient });
    const reader = await openLake();
    const columns = { v: col.string() };
    await writer.writeTable('curated/t/data.parquet', columns, [{ v: 'old' }]);
    await writer.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [bar('AAPL', '2024-01-02', 10)]);
    expect(await reader.readTable('curated/t/data.parquet')).toEqual([{ v: 'old' }]);

    // Replace: while the PUT is held, the body is already the complete Parquet file, and readers see the old table.
    let held = gate.close();
    const replacing = writer.writeTable('curated/t/data.parquet', columns, [{ v: 'new' }, { v: 'newer' }]);
    let put = await held;
    expect(put.ContentLength).toBe(put.Body.byteLength);
    expect(Buffer.from(put.Body.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(put.Body.subarray(put.Body.byteLength - 4)).toString()).toBe('PAR1');
    expect(await reader.readTable('curated/t/data.parquet')).toEqual([{ v: 'old' }]);
    gate.open();
    await replacing;
    expect(await reader.readTable('curated/t/data.parquet')).toEqual([{ v: 'new' }, { v: 'newer' }]);

    // Append: the new part is invisible (not listed, not read) until its PUT completes.
    held = gate.close();
    const appending = writer.writeRawPartition('equities_eod', 'alpaca', '2024-01-03', [bar('AAPL', '2024-01-03', 11)]);
    put = await held;
    expect(put.Key).toMatch(/raw\/alpaca\/equities_eod\/date=2024-01-03\/part-/);
    expect(await reader.listRawPartitions('equities_eod')).toEqual([{ vendor: 'alpaca', date: '2024-01-02', parts: 1 }]);
    expect((await reader.readRaw('equities_eod')).map((r) => r.date)).toEqual(['2024-01-02']);
    gate.open();
    await appending;
    expect((await reader.readRaw('equities_eod')).map((r) => r.date)).toEqual(['2024-01-02', '2024-01-03']);
    await writer.close();
    await reader.close();
  });

  it('runs audit and curate against an S3 lake: ledger and adjusted rows', async () => {
    const lake = await openLake();
    const closes: Record<string, [number, number]> = {
      '2024-01-02': [100, 50],
      '2024-01-03': [102, 51],
      '2024-01-04': [52, 52], // AAPL splits 2-for-1 on 2024-01-04
      '2024-01-05': [53, 53],
    };
    for (const [date, [aapl, msft]] of Object.entries(closes)) {
      const rows = [bar('AAPL', date, aapl)];
      if (date !== '2024-01-05') rows.push(bar('MSFT', date, msft));
      expect((await lake.writeRawPartition('equities_eod', 'alpaca', date, rows)).written).toBe(true);
    }
    await lake.writeReference('corp_actions', 'polygon', [
      {
        symbol: 'AAPL', action: 'split', ex_date: '2024-01-04', split_ratio: 2, cash_amount: null, currency: null, record_date: null,
        pay_date: null, declared_date: null, new_symbol: null, source_name: 'polygon', source_uri: 'https://api.polygon.io/v3/reference/splits',
        ingested_at: '2024-01-08T01:00:00.000Z',
      },
    ]);

    const ledger = await auditEquitiesEod({ lake, clock, window: { start: '2024-01-02', end: '2024-01-05' }, thresholds: { green_min_ratio: 0.9 } });
    await writeLedger(lake, ledger);
    const stored = await readLedger(lake, 'equities_eod');
    expect(stored.map((r) => [r.date, r.status, r.rows, r.expected_rows])).toEqual([
      ['2024-01-02', 'GREEN', 2, 2],
      ['2024-01-03', 'GREEN', 2, 2],
      ['2024-01-04', 'GREEN', 2, 2],
      ['2024-01-05', 'AMBER', 1, 2],
    ]);
    expect(stored[3]?.reason).toContain('MSFT');

    const result = await curateEquities({ lake, vendorPrecedence: ['alpaca'], corpActionsPrecedence: ['polygon'] });
    expect(result.rows).toBe(7);
    expect(result.adjustmentsApplied).toBe(1);
    const curated = await readCurated(lake);
    const aapl = curated.filter((r) => r.symbol === 'AAPL').map((r) => [r.date, r.close, r.adj_close]);
    expect(aapl).toEqual([
      ['2024-01-02', 100, 50],
      ['2024-01-03', 102, 51],
      ['2024-01-04', 52, 52],
      ['2024-01-05', 53, 53],
    ]);
    expect(curated.filter((r) => r.symbol === 'MSFT').map((r) => r.adj_close)).toEqual([50, 51, 52]);

    // A re-run over the same lake is deterministic and rewrites nothing.
    const again = await curateEquities({ lake, vendorPrecedence: ['alpaca'], corpActionsPrecedence: ['polygon'] });
    expect(again.contentHash).toBe(result.contentHash);
    expect(again.filesWritten).toBe(0);
    await lake.close();
  });
});
