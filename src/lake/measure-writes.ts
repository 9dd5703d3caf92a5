/**
 * Measures the lake's write path on this machine (no assertions: a script, not a test).
 *   node --import tsx src/lake/measure-writes.ts [partitions=500] [rows=300]
 * Prints one JSON object: total and per-partition times for fresh writes, identical re-writes
 * (deduped), and a full readRaw / query over the result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EquityBarRow } from '../catalog/index.js';
import { systemClock } from '../clock/index.js';
import { Lake } from './index.js';

const partitions = Number(process.argv[2] ?? 500);
const rowsPerPartition = Number(process.argv[3] ?? 300);

function sessionDates(count: number): string[] {
  const dates: string[] = [];
  for (let t = Date.UTC(2022, 0, 3); dates.length < count; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

function dayRows(date: string, ingestedAt: string): EquityBarRow[] {
  return Array.from({ length: rowsPerPartition }, (_, i) => {
    const base = 50 + ((i * 7919) % 400) + Number(date.slice(8)) / 10;
    return {
      symbol: `SYM${String(i).padStart(4, '0')}`,
      date,
      open: base,
      high: base * 1.02,
      low: base * 0.98,
      close: base * 1.01,
      volume: 1_000_000 + i * 13.5,
      vwap: base * 1.005,
      trades: 10_000 + i,
      feed: 'iex',
      adjusted: false,
      source_name: 'alpaca',
      source_uri: `https://data.alpaca.markets/v2/stocks/bars?start=${date}&feed=iex`,
      ingested_at: ingestedAt,
    };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

async function timedWrites(lake: Lake, dates: string[], ingestedAt: string): Promise<{ totalMs: number; p50: number; p90: number; written: number }> {
  const each: number[] = [];
  let written = 0;
  let total = 0;
  for (const date of dates) {
    const rows = dayRows(date, ingestedAt); // built outside the timed write
    const t = performance.now();
    const result = await lake.writeRawPartition('equities_eod', 'alpaca', date, rows);
    each.push(performance.now() - t);
    total += performance.now() - t;
    if (result.written) written += 1;
  }
  const sorted = [...each].sort((a, b) => a - b);
  return { totalMs: Math.round(total), p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), written };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trademl-measure-'));
  const lake = await Lake.open({ root: dir, clock: systemClock });
  try {
    const dates = sessionDates(partitions);
    const fresh = await timedWrites(lake, dates, '2024-06-01T00:00:00.000Z');
    const again = await timedWrites(lake, dates, '2024-06-02T00:00:00.000Z');
    let t = performance.now();
    const rows = await lake.readRaw('equities_eod');
    const readMs = Math.round(performance.now() - t);
    t = performance.now();
    const [count] = await lake.query<{ n: number }>('SELECT count(*) AS n FROM raw_equities_eod');
    const queryMs = Math.round(performance.now() - t);
    console.log(
      JSON.stringify(
        {
          partitions,
          rowsPerPartition,
          freshWrites: fresh,
          identicalRewrites: again,
          readRaw: { rows: rows.length, ms: readMs },
          queryCountOverView: { rows: count?.n, ms: queryMs },
          node: process.version,
        },
        null,
        2,
      ),
    );
  } finally {
    await lake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
