import { describe, expect, it } from 'vitest';
import { eodBar, tempLake } from '../curator/test-support.js';
import { QC_VERDICTS_PATH, runQc, summarizeVerdicts, type QcVerdict } from './index.js';

describe('runQc', () => {
  it('passes clean partitions and fails duplicates and broken OHLC, warns on outliers, and persists the verdicts', async () => {
    const { lake, clock, done } = await tempLake();
    try {
      // 30 quiet sessions of AAA (±0.1 %), then a 40 % jump on the last one.
      const dates: string[] = [];
      for (let d = new Date('2024-02-01T00:00:00Z'); dates.length < 31; d = new Date(d.getTime() + 86_400_000)) dates.push(d.toISOString().slice(0, 10));
      for (const [i, date] of dates.entries()) {
        const close = i === 30 ? 140 : 100 * (1 + (i % 2 === 0 ? 0.001 : -0.001));
        await lake.writeRawPartition('equities_eod', 'alpaca', date, [eodBar('AAA', date, close)]);
      }
      const bad = dates[5] as string;
      await lake.writeRawPartition('equities_eod', 'polygon', bad, [
        { ...eodBar('BBB', bad, 10, 'polygon'), high: 9 },
        eodBar('CCC', bad, 10, 'polygon'),
        eodBar('CCC', bad, 10, 'polygon'),
      ]);
      const verdicts = await runQc({ lake, clock, datasets: ['equities_eod'] });
      const find = (date: string, check: string): QcVerdict | undefined => verdicts.find((v) => v.date === date && v.check === check);
      expect(new Set(verdicts.map((v) => v.check))).toEqual(new Set(['required_columns', 'duplicate_keys', 'row_bounds', 'null_rates', 'ohlc_sanity', 'outliers']));
      expect(find(bad, 'ohlc_sanity')).toMatchObject({ status: 'fail', detail: '1 of 4 rows break low <= open, close <= high or volume >= 0' });
      expect(find(bad, 'duplicate_keys')).toMatchObject({ status: 'fail', detail: '1 duplicate keys within part files' });
      expect(find(bad, 'row_bounds')).toMatchObject({ status: 'pass', detail: 'rows per vendor alpaca=1, polygon=3' });
      expect(find(dates[30] as string, 'outliers')).toMatchObject({ status: 'warn', detail: '1 returns beyond 8 MAD: alpaca AAA' });
      expect(find(dates[29] as string, 'outliers')?.status).toBe('pass');
      expect(find(dates[0] as string, 'required_columns')).toMatchObject({ status: 'pass' });
      expect(find(dates[0] as string, 'null_rates')).toMatchObject({ status: 'warn', detail: 'vwap 100.0%, trades 100.0%, feed 100.0%' });
      expect(summarizeVerdicts(verdicts).fail).toBe(2);
      const stored = await lake.readTable<QcVerdict>(QC_VERDICTS_PATH);
      expect(stored).toHaveLength(verdicts.length);
      expect(stored.filter((v) => v.status === 'fail').map((v) => [v.date, v.check]).sort()).toEqual([[bad, 'duplicate_keys'], [bad, 'ohlc_sanity']]);
    } finally {
      await done();
    }
  });
});
