import { z } from 'zod';
import { dailyBudgets, isoDate } from './common.js';

export const backfillTargetSchema = z
  .strictObject({
    earliest: isoDate.describe('oldest session the target ever wants'),
    lookback_days: z
      .int()
      .min(1)
      .optional()
      .describe('rolling window: the effective start is the later of earliest and today - lookback_days'),
    chunk_days: z.int().min(1).default(1).describe('sessions one backfill unit covers'),
    enabled: z.boolean().default(true).describe('feature flag'),
    vendors: z.array(z.string()).min(1).optional().describe('restrict this target to these vendors (ids or aliases)'),
    top_n: z.int().min(1).optional().describe('only the N most liquid symbols of the universe'),
    expect_rows: z.int().min(0).optional().describe('rows expected per symbol and session (audit)'),
    expect_contracts_min: z.int().min(0).optional().describe('options: fewest contracts a GREEN chain has'),
    symbols_per_day: z.int().min(1).optional().describe('scarce vendors: symbols to advance per day'),
    series: z
      .array(z.string().regex(/^[A-Z0-9_]+$/, { error: 'a FRED series id such as DGS10' }))
      .min(1)
      .optional()
      .describe('FRED series ids'),
    vintages: z.boolean().optional().describe('macro series: also fetch ALFRED vintages'),
    statements: z.array(z.enum(['income', 'balance', 'cashflow'])).min(1).optional().describe('fundamentals: statements to fetch'),
    period: z.enum(['annual', 'quarter']).optional().describe('fundamentals: statement period (free FMP keys: annual only)'),
  })
  .describe('one backfill target: the window of a dataset to make GREEN');
export type BackfillTargetFile = z.infer<typeof backfillTargetSchema>;

const priorityWeight = z.number().min(0).describe('higher runs first');

export const backfillFileSchema = z
  .strictObject({
    policy: z
      .strictObject({
        daily_api_budget: dailyBudgets.default({}).describe('most requests per vendor and day backfill may spend (within edge.yml budgets)'),
      })
      .prefault({}),
    priorities: z
      .union(
        [
          z.record(z.string(), priorityWeight),
          z.array(z.strictObject({ table: z.string().describe('dataset name or alias'), weight: priorityWeight })),
        ],
        { error: 'a mapping of dataset -> weight or a list of {table, weight}' },
      )
      .default({})
      .describe('queue order: dataset -> weight'),
    targets: z.record(z.string(), backfillTargetSchema).describe('dataset name (or alias) -> target'),
    qc_thresholds: z
      .strictObject({
        green_min_ratio: z.number().min(0).max(1).default(0.98).describe('share of expected partitions GREEN for a window to pass'),
        rows_low_ratio: z.number().min(0).max(1).default(0.9).describe('rows / expected below this -> AMBER'),
        rows_high_ratio: z.number().min(1).default(1.2).describe('rows / expected above this -> AMBER (duplicates)'),
        allow_halfdays: z.boolean().default(true).describe('early-close sessions are GREEN with proportionally fewer rows'),
      })
      .prefault({}),
  })
  .describe('configs/backfill.yml: history and QC');
export type BackfillFile = z.infer<typeof backfillFileSchema>;
