import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EquityBarRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake, LakeWriteError, writeDatasetRows } from './index.js';

let dir: string;
let lake: Lake;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-write-rows-'));
  lake = await Lake.open({ root: dir, clock: new VirtualClock({ start: Date.UTC(2024, 0, 3) }) });
});

afterEach(async () => {
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

function bar(symbol: string, date: string, close: number): EquityBarRow {
  return {
    symbol, date, open: close, high: close, low: close, close, volume: 100, vwap: null, trades: 1, feed: 'sip', adjusted: false,
    source_name: 'alpaca', source_uri: 'https://data.alpaca.markets/v2/stocks/bars', ingested_at: '2024-01-03T00:00:00.000Z',
  };
}

const DATES = Array.from({ length: 12 }, (_, i) => `2024-01-${String(i + 2).padStart(2, '0')}`);

describe('writeDatasetRows', () => {
  it('writes one part per session with several in flight, and dedupes a re-fetch of all of them', async () => {
    const rows = DATES.flatMap((date, i) => ['MSFT', 'AAPL'].map((symbol) => bar(symbol, date, 100 + i)));
    expect(await writeDatasetRows(lake, 'alpaca', 'equities_eod', rows)).toEqual({ rows: 24, parts: 12, deduped: 0 });
    expect((await lake.listRawPartitions('equities_eod')).map((p) => [p.date, p.parts])).toEqual(DATES.map((d) => [d, 1]));
    expect(await lake.readRaw('equities_eod', { symbols: ['AAPL'] })).toEqual(DATES.map((date, i) => bar('AAPL', date, 100 + i)));

    const again = rows.map((r) => ({ ...r, ingested_at: '2024-01-09T00:00:00.000Z' }));
    expect(await writeDatasetRows(lake, 'alpaca', 'equities_eod', again)).toEqual({ rows: 24, parts: 0, deduped: 12 });
  });

  it('starts no session after one is refused, and rethrows the refusal', async () => {
    const rows = DATES.map((date) => bar('AAPL', date, 1));
    (rows[1] as unknown as Record<string, unknown>).close = 'bad';
    await expect(writeDatasetRows(lake, 'alpaca', 'equities_eod', rows)).rejects.toThrow(LakeWriteError);
    const written = (await lake.listRawPartitions('equities_eod')).map((p) => p.date);
    // Sessions are taken in date order, a few at a time: the later ones were never started.
    expect(written).not.toContain('2024-01-03');
    expect(written.every((d) => d < '2024-01-08')).toBe(true);
  });
});
