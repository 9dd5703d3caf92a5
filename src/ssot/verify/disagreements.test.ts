import { describe, expect, it } from 'vitest';
import { disagreementsByDate, verifyDataset } from './index.js';
import { eodBar, tempLake } from '../curator/test-support.js';

describe('verifyDataset equities_eod', () => {
  it('lists fields beyond the threshold per (date, symbol), primary vs alternate, and summarises them per date', async () => {
    const { lake, done } = await tempLake();
    try {
      expect((await disagreementsByDate(lake, 'equities_eod')).size).toBe(0);
      await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [eodBar('AAA', '2024-01-02', 100), eodBar('BBB', '2024-01-02', 50)]);
      await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-02', [
        eodBar('AAA', '2024-01-02', 100.4, 'polygon'), // 40 bp: within 50
        { ...eodBar('BBB', '2024-01-02', 51, 'polygon'), volume: 1200 }, // close 200 bp, volume 2000 bp
      ]);
      await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-03', [eodBar('AAA', '2024-01-03', 100)]);
      await lake.writeRawPartition('equities_eod', 'finnhub', '2024-01-03', [eodBar('AAA', '2024-01-03', 100, 'finnhub')]);
      const stats = await verifyDataset({ lake, dataset: 'equities_eod', precedence: ['alpaca', 'polygon', 'finnhub'] });
      // open, high, low, close all 200 bp off (bars have o=h=l=c), and the volume.
      expect(stats).toEqual({ rows: 5, dates: 1, compared: ['2024-01'] });
      const rows = await lake.query<{ field: string; primary_vendor: string; primary_value: number; alternate_vendor: string; alternate_value: number; diff_bp: number; threshold_bp: number }>(
        `SELECT field, primary_vendor, primary_value, alternate_vendor, alternate_value, diff_bp, threshold_bp FROM disagreements WHERE symbol = 'BBB' ORDER BY field`,
      );
      expect(rows.map((r) => [r.field, r.primary_vendor, r.primary_value, r.alternate_vendor, r.alternate_value, r.threshold_bp])).toEqual([
        ['close', 'alpaca', 50, 'polygon', 51, 50], ['high', 'alpaca', 50, 'polygon', 51, 50], ['low', 'alpaca', 50, 'polygon', 51, 50],
        ['open', 'alpaca', 50, 'polygon', 51, 50], ['volume', 'alpaca', 1000, 'polygon', 1200, 1000],
      ]);
      expect(rows[0]?.diff_bp).toBeCloseTo(200, 9);
      const byDate = await disagreementsByDate(lake, 'equities_eod');
      expect([...byDate.keys()]).toEqual(['2024-01-02']);
      expect(byDate.get('2024-01-02')?.count).toBe(5);
      expect(byDate.get('2024-01-02')?.sample).toBe('volume alpaca 1000.0 vs polygon 1200.0 (2000 bp > 1000 bp)');
    } finally {
      await done();
    }
  });

  it('compares a month again only when its shared sessions changed, over that month\'s parts alone', async () => {
    const { lake, done } = await tempLake();
    try {
      const precedence = ['alpaca', 'polygon'] as const;
      // January: both vendors, one disagreement. February: Alpaca alone (nothing to compare).
      await lake.writeRawPartition('equities_eod', 'alpaca', '2024-01-02', [eodBar('AAA', '2024-01-02', 100)]);
      await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-02', [eodBar('AAA', '2024-01-02', 110, 'polygon')]);
      await lake.writeRawPartition('equities_eod', 'alpaca', '2024-02-01', [eodBar('AAA', '2024-02-01', 100)]);
      const first = await verifyDataset({ lake, dataset: 'equities_eod', precedence: [...precedence] });
      expect(first).toMatchObject({ dates: 1, compared: ['2024-01'] });
      expect(await lake.query('SELECT count(*) AS n FROM disagreements')).toEqual([{ n: 4 }]);

      // Nothing new: nothing compared, the table unchanged.
      expect(await verifyDataset({ lake, dataset: 'equities_eod', precedence: [...precedence] })).toEqual({ ...first, compared: [] });

      // Polygon arrives for February with a matching bar: only February is compared; January's file is kept.
      await lake.writeRawPartition('equities_eod', 'polygon', '2024-02-01', [eodBar('AAA', '2024-02-01', 100, 'polygon')]);
      expect(await verifyDataset({ lake, dataset: 'equities_eod', precedence: [...precedence] })).toEqual({ rows: 4, dates: 1, compared: ['2024-02'] });

      // A corrected Polygon bar for January clears its disagreement; other thresholds compare every month again.
      await lake.writeRawPartition('equities_eod', 'polygon', '2024-01-02', [{ ...eodBar('AAA', '2024-01-02', 100, 'polygon'), ingested_at: '2025-02-01T00:00:00.000Z' }]);
      expect(await verifyDataset({ lake, dataset: 'equities_eod', precedence: [...precedence] })).toEqual({ rows: 0, dates: 0, compared: ['2024-01'] });
      expect((await disagreementsByDate(lake, 'equities_eod')).size).toBe(0);
      expect(await verifyDataset({ lake, dataset: 'equities_eod', precedence: [...precedence], thresholdsBp: { volume: 5 } })).toMatchObject({ compared: ['2024-01', '2024-02'] });
    } finally {
      await done();
    }
  });
});
