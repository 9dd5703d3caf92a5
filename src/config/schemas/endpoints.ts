import { z } from 'zod';
import { isoDate } from './common.js';

/** One (vendor, dataset, endpoint) row of the capabilities registry, as written in endpoints.yml. */
export const capabilitySchema = z
  .strictObject({
    endpoint: z.string().describe('endpoint id of this vendor, e.g. alpaca.bars (DESIGN.md "Endpoint ids")'),
    role: z
      .enum(['primary', 'alternate'])
      .default('alternate')
      .describe('primary: the canonical source of the dataset (at most one per dataset); alternate: fallback and audit'),
    unique: z
      .union([z.boolean(), z.literal('partial')], { error: 'true, false or "partial"' })
      .default(false)
      .describe('true when no other free source covers the dataset as well; "partial" when only in part'),
    weight: z.number().min(0).default(1).describe('router preference among alternates; higher is preferred'),
    symbols_per_request: z
      .union([z.int().min(1), z.literal('all')], { error: 'an integer ≥ 1 or "all"' })
      .default(1)
      .describe('symbols one request can carry; "all" = the whole market in one request (grouped daily)'),
    rows_per_page: z.int().min(1).nullable().default(null).describe('rows one page returns at most; null = not paginated'),
    history_days: z
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe('rolling window the free tier reaches back, in calendar days; 0 = current snapshot only; null = no rolling limit'),
    history_start: isoDate.nullable().default(null).describe('fixed first date the vendor serves (e.g. Alpaca bars: 2016-01-01); null = none'),
    cost: z.number().positive().default(1).describe('requests one call of this capability spends (e.g. 11 for the 11-series treasury curve)'),
    available_after_close_minutes: z
      .int()
      .min(0)
      .default(0)
      .describe("minutes after the session close until the vendor's data for that session is complete; 0 = not tied to the close"),
    entitlement: z
      .enum(['free', 'premium', 'probe'])
      .default('free')
      .describe('free: works on a free key; premium: refused on free keys (kept for paid keys); probe: uncertain, detect at run time'),
    notes: z.string().optional().describe('free text for people'),
  })
  .describe('one capability: a vendor endpoint serving a dataset');
export type CapabilityInput = z.input<typeof capabilitySchema>;
export type CapabilityFile = z.infer<typeof capabilitySchema>;

export const providerSchema = z
  .strictObject({
    rpm: z.number().positive().describe("the vendor's documented requests per minute"),
    burst: z.int().min(1).optional().describe('token-bucket capacity: requests that may go out back to back'),
    min_interval_ms: z.int().min(0).default(0).describe('minimum spacing between two requests (Polygon free tier: never burst)'),
    daily_budget: z.number().min(0).optional().describe('hard ceiling of requests per day (vendor cap, or rpm x 1440 when none)'),
    key_env: z
      .array(z.string())
      .default([])
      .describe('environment variables that must all be set for the vendor to count as configured'),
    datasets: z
      .record(z.string(), z.union([capabilitySchema, z.array(capabilitySchema).min(1)], { error: 'a capability mapping or a list of them' }))
      .describe('dataset name (or alias) -> one capability or a list of them'),
  })
  .describe('one vendor: limits, keys and the datasets it serves');
export type ProviderFile = z.infer<typeof providerSchema>;

export const endpointsFileSchema = z
  .strictObject({
    providers: z.record(z.string(), providerSchema).describe('vendor id (or alias) -> provider'),
  })
  .describe('configs/endpoints.yml: the capabilities registry');
export type EndpointsFile = z.infer<typeof endpointsFileSchema>;
