import { z } from 'zod';

/**
 * Wire schemas (vendors/alpaca.md §4). Lenient where the notes say fields may be missing or null,
 * strict on what a row needs; unknown fields are stripped, never fatal.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionalText = z.string().nullish();
const rate = z.number();

export const barSchema = z.object({
  t: z.string(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number().nonnegative(),
  n: z.number().int().nonnegative().nullish(),
  vw: z.number().nullish(),
});

/** `GET /v2/stocks/bars`: `bars` is a map symbol → bars; absent symbols had no data; `{}`/null when empty. */
export const barsPageSchema = z.object({
  bars: z.record(z.string(), z.array(barSchema).nullable()).nullish(),
  next_page_token: z.string().nullish(),
});
export type BarsPage = z.infer<typeof barsPageSchema>;

const common = { id: z.string(), process_date: isoDate };
const paid = { record_date: isoDate.nullish(), payable_date: isoDate.nullish() };

const split = z.object({ ...common, ...paid, symbol: z.string().min(1), old_rate: rate.positive(), new_rate: rate.positive(), ex_date: isoDate, new_symbol: optionalText });
const cashDividend = z.object({ ...common, ...paid, symbol: z.string().min(1), rate, ex_date: isoDate, currency: optionalText });
const stockDividend = z.object({ ...common, ...paid, symbol: z.string().min(1), rate: rate.nonnegative(), ex_date: isoDate });
const spinOff = z.object({
  ...common,
  ...paid,
  source_symbol: z.string().min(1),
  source_rate: rate.positive(),
  new_symbol: z.string().min(1),
  new_rate: rate.nonnegative(),
  ex_date: isoDate,
});
const cashMerger = z.object({ ...common, acquiree_symbol: z.string().min(1), acquirer_symbol: optionalText, rate, effective_date: isoDate, payable_date: isoDate.nullish() });
const stockMerger = z.object({
  ...common,
  acquiree_symbol: z.string().min(1),
  acquiree_rate: rate.positive(),
  acquirer_symbol: z.string().min(1),
  acquirer_rate: rate.nonnegative(),
  effective_date: isoDate,
  payable_date: isoDate.nullish(),
});
const stockAndCashMerger = stockMerger.extend({ cash_rate: rate });
const nameChange = z.object({ ...common, old_symbol: z.string().min(1), new_symbol: z.string().min(1) });
const worthlessRemoval = z.object({ ...common, symbol: z.string().min(1) });

/**
 * `GET /v1/corporate-actions`: only non-empty type keys appear. Types we do not turn into rows
 * (unit splits, redemptions, rights, capital gains, partial calls, reorganizations) and any future
 * key are stripped by zod, i.e. ignored, never fatal.
 */
export const corporateActionsPageSchema = z.object({
  corporate_actions: z
    .object({
      forward_splits: z.array(split).optional(),
      reverse_splits: z.array(split).optional(),
      cash_dividends: z.array(cashDividend).optional(),
      stock_dividends: z.array(stockDividend).optional(),
      spin_offs: z.array(spinOff).optional(),
      cash_mergers: z.array(cashMerger).optional(),
      stock_mergers: z.array(stockMerger).optional(),
      stock_and_cash_mergers: z.array(stockAndCashMerger).optional(),
      name_changes: z.array(nameChange).optional(),
      worthless_removals: z.array(worthlessRemoval).optional(),
    })
    .nullish(),
  next_page_token: z.string().nullish(),
});
export type CorporateActionsPage = z.infer<typeof corporateActionsPageSchema>;
export type CorporateActionGroups = NonNullable<CorporateActionsPage['corporate_actions']>;

/**
 * `GET /v2/assets` (trading host): a bare array. Only the fields we use are declared, so the
 * docs' placeholder strings in optional numeric fields (`"last_price": "string"`) cannot break it.
 */
export const assetsSchema = z.array(
  z.object({
    symbol: z.string().min(1),
    name: optionalText,
    exchange: optionalText,
    status: z.string(),
    class: optionalText,
  }),
);
export type Asset = z.infer<typeof assetsSchema>[number];

/** `GET /v1beta1/options/bars`: the stock-bars shape keyed by OCC contract symbol (`v` = contracts). */
export const optionBarsPageSchema = barsPageSchema;

const greek = z.number().nullish();

/**
 * One option snapshot (`/v1beta1/options/snapshots…`). Every member is optional: a contract with
 * no trade has only `latestQuote`, and greeks/IV are absent when Alpaca cannot compute them.
 */
export const optionSnapshotSchema = z.object({
  latestQuote: z.object({ bp: z.number(), ap: z.number(), t: z.string() }).nullish(),
  latestTrade: z.object({ p: z.number(), t: z.string() }).nullish(),
  dailyBar: barSchema.nullish(),
  greeks: z.object({ delta: greek, gamma: greek, theta: greek, vega: greek, rho: greek }).nullish(),
  impliedVolatility: z.number().nullish(),
});
export type OptionSnapshot = z.infer<typeof optionSnapshotSchema>;

/** Snapshots keyed by contract; an unknown contract may map to null. */
export const optionSnapshotsPageSchema = z.object({
  snapshots: z.record(z.string(), optionSnapshotSchema.nullable()).nullish(),
  next_page_token: z.string().nullish(),
});
export type OptionSnapshotsPage = z.infer<typeof optionSnapshotsPageSchema>;

/**
 * One option trade (`/v1beta1/options/trades`, vendors/alpaca.md §4.4): `t` instant (nanoseconds),
 * `x` exchange code, `p` price, `s` size in contracts, `c` the condition code (a string here,
 * an array on stock trades: both are read).
 */
const optionTradeSchema = z.object({
  t: z.string(),
  x: optionalText,
  p: z.number().nonnegative(),
  s: z.number().int().nonnegative(),
  c: z.union([z.string(), z.array(z.string())]).nullish(),
});
export type OptionTradeWire = z.infer<typeof optionTradeSchema>;

/** Trades keyed by OCC contract symbol, paginated by `next_page_token` like the bars. */
export const optionTradesPageSchema = z.object({
  trades: z.record(z.string(), z.array(optionTradeSchema).nullable()).nullish(),
  next_page_token: z.string().nullish(),
});
export type OptionTradesPage = z.infer<typeof optionTradesPageSchema>;
