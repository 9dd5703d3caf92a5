import { describe, expect, it } from 'vitest';
import type { RowFor } from '../../catalog/index.js';
import { runCuratorJobs } from './jobs.js';
import { bucketOf, minutePath } from './layout.js';
import { curatorConfig, job, origin, tempLake } from './test-support.js';
import { readJobStates } from './watermark.js';

function minute(symbol: string, ts: string, close: number, vendor: 'alpaca' | 'polygon'): RowFor<'equities_minute'> {
  return { symbol, ts, date: ts.slice(0, 10), open: close, high: close, low: close, close, volume: 10, vwap: null, trades: null, feed: null, ...origin(vendor) };
}

describe('runCuratorJobs', () => {
  it('curates minute bars by precedence into month × bucket files and re-reads only changed months', async () => {
    const { lake, clock, done } = await tempLake();
    try {
      await lake.writeRawPartition('equities_minute', 'alpaca', '2024-01-31', [minute('AAA', '2024-01-31T14:30:00Z', 1, 'alpaca')]);
      await lake.writeRawPartition('equities_minute', 'polygon', '2024-01-31', [minute('AAA', '2024-01-31T14:30:00Z', 2, 'polygon'), minute('AAA', '2024-01-31T14:31:00Z', 3, 'polygon')]);
      await lake.writeRawPartition('equities_minute', 'alpaca', '2024-02-01', [minute('AAA', '2024-02-01T14:30:00Z', 4, 'alpaca')]);
      const config = curatorConfig([job('equities_minute', { input: 'equities_minute', transform: 'dedupe' })], 1);
      const [first] = await runCuratorJobs({ lake, config, clock });
      const jan = minutePath('equities_minute', '2024-01', bucketOf('AAA'));
      const feb = minutePath('equities_minute', '2024-02', bucketOf('AAA'));
      expect(first).toMatchObject({ status: 'ran', rows: 3, filesWritten: 2, watermark: '2024-02-01' });
      expect((await lake.readTable<{ ts: string; close: number; source_name: string }>(jan)).map((r) => [r.ts, r.close, r.source_name])).toEqual([
        ['2024-01-31T14:30:00.000Z', 1, 'alpaca'], ['2024-01-31T14:31:00.000Z', 3, 'polygon'],
      ]);
      expect((await runCuratorJobs({ lake, config, clock }))[0]?.status).toBe('unchanged');
      // A new session in February: only February is re-read (lookback 1 = the watermark session), January untouched.
      await lake.writeRawPartition('equities_minute', 'alpaca', '2024-02-02', [minute('AAA', '2024-02-02T14:30:00Z', 5, 'alpaca')]);
      const [third] = await runCuratorJobs({ lake, config, clock });
      expect(third).toMatchObject({ status: 'ran', rows: 2, written: [feb], watermark: '2024-02-02' });
      expect((await readJobStates(lake, config.watermark.bookmark_key)).get('equities_minute')?.files.size).toBe(4);
    } finally {
      await done();
    }
  });

  it('merges corp actions, keeps the latest filing and the latest vintage plus every vintage', async () => {
    const { lake, clock, done } = await tempLake();
    try {
      const ca = { currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };
      await lake.writeReference('corp_actions', 'alpaca', [{ symbol: 'AAA', action: 'split', ex_date: '2024-03-01', split_ratio: 4, cash_amount: null, ...ca, ...origin('alpaca') }]);
      await lake.writeReference('corp_actions', 'polygon', [
        { symbol: 'AAA', action: 'split', ex_date: '2024-03-01', split_ratio: 2, cash_amount: null, ...ca, ...origin('polygon') },
        { symbol: 'BBB', action: 'dividend', ex_date: '2024-03-04', split_ratio: null, cash_amount: 0.5, ...ca, ...origin('polygon') },
      ]);
      const fundamental = (filing: string, value: number): RowFor<'fundamentals'> => ({
        symbol: 'AAA', statement: 'income', period_end: '2023-12-31', fiscal_year: 2023, fiscal_period: 'FY', currency: 'USD', filing_date: filing, accepted_at: null, metric: 'revenue', value, ...origin('fmp'),
      });
      await lake.writeReference('fundamentals', 'fmp', [fundamental('2024-02-01', 100), fundamental('2024-05-01', 110)].slice(0, 1));
      await lake.writeReference('fundamentals', 'fmp', [{ ...fundamental('2024-05-01', 110), fiscal_period: 'Q4' }]);
      const obs = (start: string, value: number): RowFor<'macro_series'> => ({ series_id: 'GDP', date: '2023-10-01', value, realtime_start: start, realtime_end: '9999-12-31', ...origin('fred') });
      await lake.writeRawPartition('macro_series', 'fred', '2023-10-01', [obs('2024-01-25', 27.9), obs('2024-02-28', 28.0)]);
      const config = curatorConfig([
        job('corp_actions', { input: 'corp_actions', transform: 'merge_corp_actions', vendor_precedence: ['alpaca', 'polygon'] }),
        job('fundamentals', { input: 'fundamentals', transform: 'latest_filing', vendor_precedence: ['fmp'] }),
        job('macro_series', { input: 'macro_series', transform: 'latest_vintage', vendor_precedence: ['fred'] }),
      ]);
      const results = await runCuratorJobs({ lake, config, clock });
      expect(results.map((r) => [r.job, r.status, r.filesWritten])).toEqual([['corp_actions', 'ran', 1], ['fundamentals', 'ran', 1], ['macro_series', 'ran', 2]]);
      const merged = await lake.query<{ symbol: string; split_ratio: number | null; source_name: string; source_count: number; disagreement: boolean }>(
        `SELECT symbol, split_ratio, source_name, source_count, disagreement FROM corp_actions ORDER BY symbol`,
      );
      expect(merged).toEqual([
        { symbol: 'AAA', split_ratio: 4, source_name: 'alpaca', source_count: 2, disagreement: true },
        { symbol: 'BBB', split_ratio: null, source_name: 'polygon', source_count: 1, disagreement: false },
      ]);
      const filings = await lake.query<{ value: number; fiscal_period: string }>(`SELECT value, fiscal_period FROM fundamentals`);
      expect(filings).toEqual([{ value: 110, fiscal_period: 'Q4' }]);
      expect(await lake.query(`SELECT value FROM macro_series`)).toEqual([{ value: 28 }]);
      expect(await lake.query(`SELECT value FROM macro_series_vintages ORDER BY realtime_start`)).toEqual([{ value: 27.9 }, { value: 28 }]);
      expect((await runCuratorJobs({ lake, config, clock })).map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    } finally {
      await done();
    }
  });
});
