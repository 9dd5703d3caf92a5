import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CorpActionRow, EquityBarRow } from '../src/catalog/index.js';
import { addDays } from '../src/calendar/index.js';
import { systemClock } from '../src/clock/index.js';
import { Lake } from '../src/lake/index.js';
import { createMarket } from '../src/sandbox/index.js';
import { auditDataset, auditEquitiesEod, curateEquities, CURATED_BUCKETS } from '../src/ssot/index.js';
import { figure, timed, type Benchmark, type BenchContext, type Figure } from './support.js';

const AS_OF = '2026-11-20';

export const auditCurate: Benchmark = {
  name: 'audit-curate',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const size = ctx.quick ? { symbols: 1000, days: 60 } : { symbols: 10_000, days: 365 };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-bench-audit-'));
    const lake = await Lake.open({ root: dir, clock: systemClock });
    try {
      ctx.log(`audit-curate: writing ${size.symbols} symbols × ${size.days} days through the lake`);
      const window = { start: addDays(AS_OF, -size.days), end: AS_OF };
      const rows = await writeBars(lake, size.symbols, window);
      const files = await lake.rawGlob('equities_eod');
      const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(',')}]`;

      const ours = await timed(() => auditEquitiesEod({ lake, clock: systemClock, window, thresholds: { green_min_ratio: 0.98 } }));
      const duckAudit = await timed(() => lake.query(`SELECT date, count(DISTINCT symbol) AS present FROM read_parquet(${list}) GROUP BY date ORDER BY date`));
      // The full ledger path: rollup, detail ledger, manifest and listing state written; then a re-audit with nothing new.
      const auditOptions = { lake, clock: systemClock, window, thresholds: { green_min_ratio: 0.98 }, spec: { dataset: 'equities_eod' as const } };
      const written = await timed(() => auditDataset(auditOptions));
      const again = await timed(() => auditDataset(auditOptions));
      // Curation, best of `rounds`, each round from an empty curated table (curated/ and its manifest
      // removed), interleaved with the two baselines so that load from other processes hits all three.
      const rounds = ctx.quick ? 1 : 3;
      const best = { curate: Infinity, write: Infinity, window: Infinity };
      let curated: Awaited<ReturnType<typeof curateEquities>> | undefined;
      for (let round = 0; round < rounds; round += 1) {
        await rm(path.join(dir, 'curated'), { recursive: true, force: true });
        await rm(path.join(dir, 'manifests', 'curated_equities_ohlcv_adj.parquet'), { force: true });
        const curate = await timed(() => curateEquities({ lake, vendorPrecedence: ['alpaca'], corpActionsPrecedence: ['alpaca'] }));
        curated = curate.result;
        const out = path.join(dir, 'baseline-out');
        const write = await timed(() => lake.query(copyAdjustedSql(list, referenceList(dir), out)));
        await rm(out, { recursive: true, force: true });
        const noWrite = await timed(() => lake.query(windowProductSql(list, referenceList(dir))));
        ctx.log(`  round ${round + 1}: curate ${curate.ms.toFixed(0)} ms; DuckDB COPY ${write.ms.toFixed(0)} ms; DuckDB window, no write ${noWrite.ms.toFixed(0)} ms`);
        best.curate = Math.min(best.curate, curate.ms);
        best.write = Math.min(best.write, write.ms);
        best.window = Math.min(best.window, noWrite.ms);
      }
      const result = curated as NonNullable<typeof curated>;
      ctx.log(`  audit + ledger write ${written.ms.toFixed(0)} ms; incremental re-audit ${again.ms.toFixed(0)} ms (${again.result.stats.filesRead} files read)`);
      ctx.log(`  ${rows} rows in ${files.length} files: audit ${ours.ms.toFixed(0)} ms vs ${duckAudit.ms.toFixed(0)} ms; curate ${best.curate.toFixed(0)} ms vs ${best.write.toFixed(0)} ms (COPY) and ${best.window.toFixed(0)} ms (no write)`);
      const label = `${size.symbols.toLocaleString('en-US')} sym × ${size.days} d, ${rows.toLocaleString('en-US')} rows`;
      return [
        figure({ benchmark: 'audit-curate', metric: `auditEquitiesEod (${label})`, unit: 'ms', value: ours.ms, baseline: { name: 'DuckDB group-by (date, count distinct symbol)', value: duckAudit.ms }, target: '≤ 2', note: `${ours.result.length} sessions graded` }),
        figure({ benchmark: 'audit-curate', metric: `auditDataset equities_eod, ledger + detail + manifest written (${label})`, unit: 'ms', value: written.ms, baseline: { name: 'DuckDB group-by (date, count distinct symbol)', value: duckAudit.ms }, target: '≤ 2', note: `${written.result.ledger.length} ledger rows, ${written.result.details.length} detail rows` }),
        figure({ benchmark: 'audit-curate', metric: `auditDataset equities_eod re-audit, no new parts (${label})`, unit: 'ms', value: again.ms, baseline: { name: 'DuckDB group-by (date, count distinct symbol)', value: duckAudit.ms }, target: '≤ 2', note: `${again.result.stats.filesRead} files read, ${again.result.stats.regraded.length} sessions re-graded` }),
        figure({ benchmark: 'audit-curate', metric: `curateEquities (${label})`, unit: 'ms', value: best.curate, baseline: { name: 'DuckDB: the same columns in one COPY … PARTITION_BY (year, bucket)', value: best.write }, target: '≤ 2', note: `${result.rows} curated rows, ${result.filesWritten} files; best of ${rounds}` }),
        figure({ benchmark: 'audit-curate', metric: `curateEquities vs a window that writes nothing (${label})`, unit: 'ms', value: best.curate, baseline: { name: 'DuckDB cumulative-product window, count and sum only', value: best.window }, note: `the former baseline; best of ${rounds}` }),
      ];
    } finally {
      await lake.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** The sandbox market's bars, one raw Alpaca part per session, as the ingest path writes them. */
async function writeBars(lake: Lake, symbols: number, window: { start: string; end: string }): Promise<number> {
  const market = createMarket({ seed: 5, symbols, start: window.start, end: window.end });
  const origin = { source_name: 'alpaca' as const, source_uri: 'https://data.alpaca.markets/v2/stocks/bars', ingested_at: new Date().toISOString() };
  let total = 0;
  for (const date of market.sessions) {
    const rows: EquityBarRow[] = market.barsOn(date).map(({ symbol, bar }) => ({
      symbol,
      date,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      vwap: bar.vwap,
      trades: bar.trades,
      feed: 'sip',
      adjusted: false,
      ...origin,
    }));
    total += rows.length;
    if (rows.length > 0) await lake.writeRawPartition('equities_eod', 'alpaca', date, rows);
  }
  await lake.writeReference('corp_actions', 'alpaca', corpActions(market, origin));
  return total;
}

function corpActions(market: ReturnType<typeof createMarket>, origin: { source_name: 'alpaca'; source_uri: string; ingested_at: string }): CorpActionRow[] {
  const none = { record_date: null, pay_date: null, declared_date: null, new_symbol: null };
  return [
    ...market.splits.map((s) => ({ symbol: s.symbol, action: 'split', ex_date: s.exDate, split_ratio: s.newShares / s.oldShares, cash_amount: null, currency: null, ...none, ...origin })),
    ...market.dividends.map((d) => ({ symbol: d.symbol, action: 'dividend', ex_date: d.exDate, split_ratio: null, cash_amount: d.cash / 100, currency: 'USD', ...none, ...origin })),
  ];
}

function referenceList(root: string): string {
  return `'${path.join(root, 'reference', 'corp_actions', '**', '*.parquet').replaceAll("'", "''")}'`;
}

/**
 * The former baseline (unchanged): every bar's multiplier (the product of the events whose ex-date
 * falls after it and no later than the next bar), then a cumulative product by window, newest
 * first, of the adjusted close only; it returns a count and a sum and writes nothing.
 */
function windowProductSql(bars: string, actions: string): string {
  return `WITH b AS (
      SELECT symbol, date, close, lead(date) OVER (PARTITION BY symbol ORDER BY date) AS next_date FROM read_parquet(${bars})),
    a AS (SELECT symbol, action, ex_date, split_ratio, cash_amount FROM read_parquet(${actions})),
    m AS (
      SELECT b.symbol, b.date, b.close,
        coalesce(product(CASE WHEN a.action = 'split' THEN 1.0 / a.split_ratio WHEN a.action = 'dividend' THEN 1.0 - a.cash_amount / b.close END), 1.0) AS m
      FROM b LEFT JOIN a ON a.symbol = b.symbol AND a.ex_date > b.date AND a.ex_date <= b.next_date
      GROUP BY ALL)
    SELECT count(*) AS n, sum(adj_close) AS s FROM (
      SELECT symbol, date, close * exp(sum(ln(m)) OVER (PARTITION BY symbol ORDER BY date DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS adj_close FROM m)`;
}

/**
 * The same job done the plainest way in DuckDB: the multipliers, cumulative price and split
 * factors by window (newest first), the 15 columns of equities_ohlcv_adj, ordered by symbol and
 * date, written by one COPY partitioned by (year, DuckDB's hash of the symbol mod 16): the same
 * 32 files per two years as the curator's (year, bucket) layout, as hive directories. Unlike the
 * curator it does not fsync, hash, compare with a manifest, or rename files into place.
 */
function copyAdjustedSql(bars: string, actions: string, out: string): string {
  return `COPY (
    WITH b AS (
      SELECT symbol, date, open, high, low, close, volume, source_name, lead(date) OVER (PARTITION BY symbol ORDER BY date) AS next_date FROM read_parquet(${bars})),
    a AS (SELECT symbol, action, ex_date, split_ratio, cash_amount FROM read_parquet(${actions})),
    m AS (
      SELECT b.symbol, b.date, b.open, b.high, b.low, b.close, b.volume, b.source_name,
        coalesce(product(CASE WHEN a.action = 'split' THEN 1.0 / a.split_ratio WHEN a.action = 'dividend' THEN 1.0 - a.cash_amount / b.close END), 1.0) AS m,
        coalesce(product(CASE WHEN a.action = 'split' THEN a.split_ratio END), 1.0) AS s
      FROM b LEFT JOIN a ON a.symbol = b.symbol AND a.ex_date > b.date AND a.ex_date <= b.next_date
      GROUP BY ALL),
    f AS (
      SELECT *, exp(sum(ln(m)) OVER w) AS adj_factor, exp(sum(ln(s)) OVER w) AS split_factor FROM m
      WINDOW w AS (PARTITION BY symbol ORDER BY date DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
    SELECT symbol, date, open, high, low, close, volume, open * adj_factor AS adj_open, high * adj_factor AS adj_high, low * adj_factor AS adj_low,
      close * adj_factor AS adj_close, volume / split_factor AS adj_volume, adj_factor, split_factor, source_name,
      year(date) AS year, hash(symbol) % ${CURATED_BUCKETS} AS bucket
    FROM f ORDER BY symbol, date
  ) TO '${out.replaceAll("'", "''")}' (FORMAT parquet, PARTITION_BY (year, bucket))`;
}
