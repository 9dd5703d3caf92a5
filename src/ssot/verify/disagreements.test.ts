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
      expect(stats).toEqual({ rows: 5, dates: 1 });
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
});
