import { z } from 'zod';
import { vendorNames } from './common.js';

const TABLE_NAME = /^[a-z][a-z0-9_]*$/;
const LAKE_KEY = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_./-]+$/;

export const curatorJobSchema = z
  .strictObject({
    input: z.string().describe('raw dataset name (or alias) the job reads'),
    output: z.string().regex(TABLE_NAME, { error: 'a table name in snake_case' }).describe('curated table the job writes'),
    transform: z
      .enum(['adjust_ohlcv', 'dedupe', 'merge_corp_actions', 'latest_filing', 'latest_vintage'])
      .describe(
        'adjust_ohlcv: split/dividend adjustment; dedupe: one row per key from the preferred vendor; merge_corp_actions: corp_actions by precedence with source_count and disagreement; latest_filing: fundamentals, latest filing per (symbol, statement, period_end, metric); latest_vintage: treasuries/macro_series, latest vintage plus an <output>_vintages table',
      ),
    enabled: z.boolean().default(true).describe('feature flag'),
    vendor_precedence: vendorNames.describe('which vendor wins when several have a row for the same key'),
    corp_actions_precedence: vendorNames
      .optional()
      .describe('which vendor wins for a corporate action (required by adjust_ohlcv)'),
  })
  .describe('one curator job');
export type CuratorJobFile = z.infer<typeof curatorJobSchema>;

export const curatorFileSchema = z
  .strictObject({
    watermark: z
      .strictObject({
        bookmark_key: z
          .string()
          .regex(LAKE_KEY, { error: 'a relative lake key without ".."' })
          .default('manifests/curator_watermarks.json')
          .describe('lake key of the watermark manifest'),
        lookback_days: z
          .int()
          .min(0)
          .default(5)
          .describe('sessions behind the watermark re-curated each run (late vendor corrections)'),
      })
      .prefault({}),
    jobs: z.record(z.string().regex(TABLE_NAME, { error: 'a job name in snake_case' }), curatorJobSchema).describe('job name -> job'),
  })
  .describe('configs/curator.yml: incremental curation');
export type CuratorFile = z.infer<typeof curatorFileSchema>;
