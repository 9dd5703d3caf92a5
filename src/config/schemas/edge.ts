import { z } from 'zod';
import { dailyBudgets } from './common.js';

export const taskSettingsSchema = z
  .union(
    [
      z.boolean(),
      z.strictObject({
        enabled: z.boolean().default(true).describe('feature flag: false keeps the task registered but idle'),
        top_n: z.int().min(1).optional().describe('symbol/underlier tasks: work on the N most liquid names of the universe'),
        underliers: z
          .array(z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/, { error: 'an upper-case ticker such as SPY or BRK.B' }))
          .min(1)
          .optional()
          .describe('options tasks: these underlying symbols instead of the top_n most liquid'),
      }),
    ],
    { error: 'true, false or {enabled: true|false, top_n?, underliers?}' },
  )
  .describe('per-task settings; a bare boolean is shorthand for {enabled: <boolean>}');

export const edgeFileSchema = z
  .strictObject({
    locks: z
      .strictObject({
        lease_seconds: z.int().min(1).default(120).describe('how long a worker owns a vendor lease without renewing it'),
        renew_seconds: z.int().min(1).default(45).describe('how often the owner renews its lease (must be < lease_seconds)'),
      })
      .prefault({})
      .describe('vendor leases shared by several workers'),
    tasks: z
      .union([z.array(z.string()), z.record(z.string(), taskSettingsSchema)], {
        error: 'a list of task names or a mapping of task name -> {enabled: true|false}',
      })
      .describe('forward-ingest tasks: a list (all enabled) or a mapping with feature flags'),
    policy: z
      .strictObject({
        daily_api_budget: dailyBudgets.default({}),
        forward_reserve_pct: z
          .number()
          .min(0)
          .max(100)
          .default(20)
          .describe('percent of each daily budget kept for forward work; backfill may spend the rest'),
      })
      .prefault({})
      .describe('what the node may spend per vendor and day'),
  })
  .describe('configs/edge.yml: forward ingest');
export type EdgeFile = z.infer<typeof edgeFileSchema>;
