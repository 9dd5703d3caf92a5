import { z } from 'zod';

/**
 * Wire schemas (vendors/polygon.md §4). `results` may be absent, null or [] when empty; `n`/`vw`
 * may be missing; `v` may be fractional. `request_id` is not read (the docs example has it as an
 * integer). Unknown fields are stripped.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionalText = z.string().nullish();

const envelope = {
  status: z.string().optional(),
  next_url: z.string().nullish(),
};

export const aggSchema = z.object({
  T: z.string().optional(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number().nonnegative(),
  vw: z.number().nullish(),
  n: z.number().int().nonnegative().nullish(),
  t: z.number().int(),
});
export type Agg = z.infer<typeof aggSchema>;

export const aggsPageSchema = z.object({
  ...envelope,
  ticker: z.string().optional(),
  adjusted: z.boolean().optional(),
  results: z.array(aggSchema).nullish(),
});
export type AggsPage = z.infer<typeof aggsPageSchema>;

/** `/stocks/v1/splits` rows; the deprecated `/v3/reference/splits` rows are a subset and parse too. */
export const splitsPageSchema = z.object({
  ...envelope,
  results: z
    .array(
      z.object({
        id: optionalText,
        ticker: z.string().min(1),
        execution_date: isoDate,
        split_from: z.number().positive(),
        split_to: z.number().positive(),
        adjustment_type: optionalText,
      }),
    )
    .nullish(),
});
export type SplitsPage = z.infer<typeof splitsPageSchema>;

/** `/stocks/v1/dividends` rows; the deprecated v3 rows parse too. Optional dates may be absent or junk. */
export const dividendsPageSchema = z.object({
  ...envelope,
  results: z
    .array(
      z.object({
        id: optionalText,
        ticker: z.string().min(1),
        ex_dividend_date: isoDate,
        cash_amount: z.number(),
        currency: optionalText,
        declaration_date: optionalText,
        record_date: optionalText,
        pay_date: optionalText,
      }),
    )
    .nullish(),
});
export type DividendsPage = z.infer<typeof dividendsPageSchema>;

export const tickersPageSchema = z.object({
  ...envelope,
  results: z
    .array(
      z.object({
        ticker: z.string(),
        name: optionalText,
        market: optionalText,
        primary_exchange: optionalText,
        type: optionalText,
        active: z.boolean().optional(),
        delisted_utc: optionalText,
      }),
    )
    .nullish(),
});
export type TickersPage = z.infer<typeof tickersPageSchema>;

/**
 * `/v3/reference/options/contracts` rows. `contract_type` is read as text so an unexpected value
 * skips one row instead of rejecting the page; `additional_underlyings` (deliverable adjustments)
 * and other extras are stripped.
 */
const optionContractSchema = z.object({
  ticker: z.string(),
  underlying_ticker: z.string().min(1),
  contract_type: z.string(),
  exercise_style: optionalText,
  expiration_date: isoDate,
  strike_price: z.number().positive(),
  shares_per_contract: z.number().positive().nullish(),
});
export type OptionContract = z.infer<typeof optionContractSchema>;

export const optionContractsPageSchema = z.object({ ...envelope, results: z.array(optionContractSchema).nullish() });
export type OptionContractsPage = z.infer<typeof optionContractsPageSchema>;

/** `/v3/reference/options/contracts/{options_ticker}`: `results` is one object. */
export const optionContractResultSchema = z.object({ ...envelope, results: optionContractSchema });

/**
 * `/v3/reference/tickers/{ticker}[?date=]` (vendors/polygon.md §4.4): `results` is one object.
 * Only identity and listing fields are read; share counts and market cap are not point-in-time.
 */
export const tickerDetailsSchema = z.object({
  ...envelope,
  results: z.object({
    ticker: z.string(),
    name: optionalText,
    market: optionalText,
    primary_exchange: optionalText,
    type: optionalText,
    active: z.boolean().optional(),
    list_date: optionalText,
    delisted_utc: optionalText,
  }),
});
