import { z } from 'zod';
import { isIsoDate } from '../shared/index.js';

/**
 * Wire schemas (vendors/alphavantage.md §3). Every number is a JSON string (`"155.6500"`); missing
 * values are the string `"None"` (or absent, or null). A number where a string was expected is
 * accepted (it is unambiguous); anything else that is not a decimal is schema drift. Unknown fields
 * are stripped, never fatal.
 */

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MISSING = new Set(['', 'none', 'null', '-', 'n/a']);

export const isoDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');

/** A required number sent as a decimal string. */
export const decimal = z.union([z.number(), z.string().trim().regex(DECIMAL_RE, 'expected a decimal string')]).transform(Number).pipe(z.number());

function toOptionalDecimal(value: string | number | null | undefined, ctx: z.core.$RefinementCtx): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (MISSING.has(value.toLowerCase())) return null;
  if (!DECIMAL_RE.test(value) || !Number.isFinite(Number(value))) {
    ctx.addIssue({ code: 'custom', message: 'expected a decimal string or "None"' });
    return z.NEVER;
  }
  return Number(value);
}

function toOptionalDate(value: string | null | undefined, ctx: z.core.$RefinementCtx): string | null {
  if (value === null || value === undefined || MISSING.has(value.toLowerCase())) return null;
  if (!isIsoDate(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected a date YYYY-MM-DD or "None"' });
    return z.NEVER;
  }
  return value;
}

/** A number that may be `"None"`, empty, null or absent → null. */
export const optionalDecimal = z.union([z.number(), z.string().trim()]).nullish().transform(toOptionalDecimal);
/** A date that may be `"None"`, the text `null`, empty, null or absent → null. */
export const optionalIsoDate = z.string().trim().nullish().transform(toOptionalDate);
/** The same, but the key must be there: a renamed key is drift, not "no value". */
const requiredDecimalOrNone = z.union([z.number(), z.string().trim()]).nullable().transform(toOptionalDecimal);
const requiredDateOrNone = z.string().trim().nullable().transform(toOptionalDate);

/** TIME_SERIES_DAILY bar: literally numbered keys; the premium ADJUSTED variant (volume under `6.`) fails here on purpose. */
export const dailyBarSchema = z.object({
  '1. open': decimal,
  '2. high': decimal,
  '3. low': decimal,
  '4. close': decimal,
  '5. volume': decimal.pipe(z.number().nonnegative()),
});

export const timeSeriesDailySchema = z.object({
  'Meta Data': z.object({
    '2. Symbol': z.string().optional(),
    /** `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` while a session is in progress. */
    '3. Last Refreshed': z.string().regex(/^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/, 'expected YYYY-MM-DD[ HH:MM:SS]'),
  }),
  'Time Series (Daily)': z.record(isoDate, dailyBarSchema),
});
export type TimeSeriesDaily = z.infer<typeof timeSeriesDailySchema>;

const splitRowSchema = z.object({
  effective_date: isoDate,
  // Decimals only: `2:1` / `2/1` is not AV's notation and is quarantined (vendors/alphavantage.md §3.3).
  split_factor: decimal.pipe(z.number().positive('split_factor must be positive')),
});

const dividendRowSchema = z.object({
  /** The key the original pipeline misread as `ex_date` (study B16). The value may be "None". */
  ex_dividend_date: requiredDateOrNone,
  declaration_date: optionalIsoDate,
  record_date: optionalIsoDate,
  payment_date: optionalIsoDate,
  amount: requiredDecimalOrNone,
});
export type DividendRow = z.infer<typeof dividendRowSchema>;

/**
 * `{}` is AV's "nothing for this symbol"; otherwise the events are under `data` (some newer
 * payloads name the array `splits` / `dividends` instead, study §4.4). Both `{}` and `data: []`
 * are a valid empty answer: a symbol without corporate actions is normal. Any other object
 * without an events array is drift.
 */
function hasEventsOrIsEmpty(body: Record<string, unknown>, altKey: string): boolean {
  return body.data !== undefined || body[altKey] !== undefined || Object.keys(body).length === 0;
}

export const splitsSchema = z
  .looseObject({ symbol: z.string().optional(), data: z.array(splitRowSchema).optional(), splits: z.array(splitRowSchema).optional() })
  .refine((body) => hasEventsOrIsEmpty(body, 'splits'), 'expected a "data" array or the empty object {}')
  .transform((body) => ({ symbol: body.symbol, rows: body.data ?? body.splits ?? [] }));

export const dividendsSchema = z
  .looseObject({ symbol: z.string().optional(), data: z.array(dividendRowSchema).optional(), dividends: z.array(dividendRowSchema).optional() })
  .refine((body) => hasEventsOrIsEmpty(body, 'dividends'), 'expected a "data" array or the empty object {}')
  .transform((body) => ({ symbol: body.symbol, rows: body.data ?? body.dividends ?? [] }));

const optionRowSchema = z.object({
  contractID: z.string().trim().min(1),
  symbol: z.string().trim().min(1),
  expiration: isoDate,
  strike: decimal.pipe(z.number().positive('strike must be positive')),
  type: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['call', 'put'])),
  last: optionalDecimal,
  mark: optionalDecimal,
  bid: optionalDecimal,
  ask: optionalDecimal,
  volume: optionalDecimal,
  open_interest: optionalDecimal,
  date: isoDate,
  implied_volatility: optionalDecimal,
  delta: optionalDecimal,
  gamma: optionalDecimal,
  theta: optionalDecimal,
  vega: optionalDecimal,
  rho: optionalDecimal,
});
export type OptionRow = z.infer<typeof optionRowSchema>;

/**
 * `{"endpoint": "Historical Options", "message": "success", "data": [...]}`; an empty day is
 * `data: []`. Read in two steps: the envelope first (a refusal's `message` must be seen even when
 * its sample rows are junk), then the rows.
 */
export const historicalOptionsEnvelopeSchema = z.object({
  endpoint: z.string().optional(),
  message: z.string().optional(),
  data: z.array(z.unknown()),
});
export type HistoricalOptionsEnvelope = z.infer<typeof historicalOptionsEnvelopeSchema>;
export const optionRowsSchema = z.array(optionRowSchema);

/** One LISTING_STATUS CSV record, keyed by header name. `null` (the text) and empty are absent. */
export const listingRecordSchema = z.object({
  symbol: z.string().trim(),
  name: z.string().trim(),
  exchange: z.string().trim(),
  assetType: z.string().trim(),
  ipoDate: optionalIsoDate,
  delistingDate: optionalIsoDate,
  status: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['active', 'delisted'])),
});
export type ListingRecord = z.infer<typeof listingRecordSchema>;
export const LISTING_COLUMNS = ['symbol', 'name', 'exchange', 'assetType', 'ipoDate', 'delistingDate', 'status'] as const;

const overviewText = z.string().trim().nullish();

/**
 * OVERVIEW (vendors/alphavantage.md §3.6): one flat object of strings, `"None"` for missing, `{}`
 * for a symbol AV has no overview of (ETFs, unknown). Only the identity fields are read: the rest
 * (market cap, ratios, share counts) are today's values, not point-in-time.
 */
export const overviewSchema = z.object({
  Symbol: overviewText,
  AssetType: overviewText,
  Name: overviewText,
  Exchange: overviewText,
  Currency: overviewText,
  Country: overviewText,
});
export type Overview = z.infer<typeof overviewSchema>;
