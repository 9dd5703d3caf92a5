import { z } from 'zod';

/**
 * Wire schemas built from captures (vendors/finnhub.md §3; trap 7: doc samples are not always the
 * live shape). Unknown keys are tolerated and dropped; a missing or mistyped field the row mapping
 * needs makes the payload Malformed.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionalNumber = z.number().nullish();
const optionalText = z.string().nullish();

/** `/stock/candle`: parallel arrays with `s: "ok"`, or exactly `{"s":"no_data"}` (arrays absent). */
export const candlesSchema = z.discriminatedUnion('s', [
  z.object({ s: z.literal('no_data') }),
  z.object({
    s: z.literal('ok'),
    o: z.array(z.number()),
    h: z.array(z.number()),
    l: z.array(z.number()),
    c: z.array(z.number()),
    v: z.array(z.number().nonnegative()),
    t: z.array(z.number().int()),
  }),
]);
export type Candles = z.infer<typeof candlesSchema>;

/** One element of `data[].options.CALL[]` / `PUT[]` (2020 and 2025 captures agree on these keys). */
export const optionContractSchema = z.object({
  contractName: z.string().min(1),
  type: z.enum(['CALL', 'PUT']),
  expirationDate: isoDate,
  strike: z.number().positive(),
  lastPrice: optionalNumber,
  bid: optionalNumber,
  ask: optionalNumber,
  volume: optionalNumber,
  openInterest: optionalNumber,
  impliedVolatility: optionalNumber,
  delta: optionalNumber,
  gamma: optionalNumber,
  theta: optionalNumber,
  vega: optionalNumber,
  rho: optionalNumber,
  updatedAt: optionalText,
});
export type OptionContract = z.infer<typeof optionContractSchema>;

/** One expiry of the chain; its contracts are nested, never the group itself (study B16). */
export const optionExpirySchema = z.object({
  expirationDate: isoDate,
  options: z.object({
    CALL: z.array(optionContractSchema).nullish(),
    PUT: z.array(optionContractSchema).nullish(),
  }),
});
export type OptionExpiry = z.infer<typeof optionExpirySchema>;

/** `/stock/option-chain`. Loose so that an empty `{}` (symbol not covered) can be told from drift. */
export const optionChainSchema = z.looseObject({
  code: optionalText,
  exchange: optionalText,
  lastTradeDate: optionalText,
  lastTradePrice: optionalNumber,
  data: z.array(optionExpirySchema).optional(),
});
export type OptionChain = z.infer<typeof optionChainSchema>;

/** `/stock/symbol?exchange=US`: one array of every listed symbol. */
export const symbolsSchema = z.array(
  z.object({
    symbol: z.string(),
    description: optionalText,
    displaySymbol: optionalText,
    mic: optionalText,
    type: optionalText,
    currency: optionalText,
  }),
);
export type FinnhubSymbols = z.infer<typeof symbolsSchema>;

/** `/stock/split`: `date` is the first split-adjusted session (the ex date). */
export const splitsSchema = z.array(
  z.object({
    symbol: z.string().min(1),
    date: isoDate,
    fromFactor: z.number().positive(),
    toFactor: z.number().positive(),
  }),
);
export type FinnhubSplits = z.infer<typeof splitsSchema>;

/**
 * `/stock/profile2` (§3.3): a flat object; `{}` for a symbol not covered (told apart by the caller).
 * `marketCapitalization`/`shareOutstanding` (millions, today's values) are not read: not point-in-time.
 */
export const profileSchema = z.object({
  ticker: optionalText,
  name: optionalText,
  exchange: optionalText,
  ipo: optionalText,
  country: optionalText,
  currency: optionalText,
  finnhubIndustry: optionalText,
});
export type FinnhubProfile = z.infer<typeof profileSchema>;

/** `/stock/dividend` (§3.6, premium): `date` is the ex date, `amount` the raw per-share cash. */
export const dividendsSchema = z.array(
  z.object({
    symbol: z.string().min(1),
    date: isoDate,
    amount: z.number().nonnegative(),
    adjustedAmount: optionalNumber,
    payDate: optionalText,
    recordDate: optionalText,
    declarationDate: optionalText,
    currency: optionalText,
  }),
);
export type FinnhubDividends = z.infer<typeof dividendsSchema>;

const seriesPoints = z.record(z.string(), z.array(z.object({ period: isoDate, v: optionalNumber })));

/** `/stock/metric?metric=all` (§3.8): `metric` values are numbers, date strings or null, read by name. */
export const metricSchema = z.object({
  symbol: optionalText,
  metricType: optionalText,
  metric: z.record(z.string(), z.unknown()).nullish(),
  series: z.object({ annual: seriesPoints.optional(), quarterly: seriesPoints.optional() }).nullish(),
});
export type FinnhubMetric = z.infer<typeof metricSchema>;

/** A live `report` section line (§3.9): `{concept, label, unit, value}`. */
const reportLine = z.object({ concept: z.string().min(1), label: optionalText, unit: optionalText, value: z.unknown() });
export type ReportLine = z.infer<typeof reportLine>;
/** The docs show each section as a map concept → value; live responses send arrays of lines. Both are read. */
const reportSection = z.union([z.array(reportLine), z.record(z.string(), z.unknown())]).nullish();

/** `/stock/financials-reported` (§3.9): dates are `YYYY-MM-DD HH:MM:SS`, `quarter` 0 for annual filings. */
export const financialsReportedSchema = z.object({
  symbol: optionalText,
  cik: optionalText,
  data: z.array(
    z.object({
      accessNumber: optionalText,
      symbol: optionalText,
      year: z.number().int(),
      quarter: z.number().int().min(0).max(4),
      form: optionalText,
      endDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected YYYY-MM-DD[ HH:MM:SS]'),
      filedDate: optionalText,
      acceptedDate: optionalText,
      report: z.object({ bs: reportSection, cf: reportSection, ic: reportSection }),
    }),
  ),
});
export type FinnhubFiling = z.infer<typeof financialsReportedSchema>['data'][number];

/** `/calendar/earnings` (§3.7): future rows have null actuals; `hour` is `bmo`/`amc`/`dmh`/"". */
export const earningsCalendarSchema = z.object({
  earningsCalendar: z.array(
    z.object({
      symbol: z.string(),
      date: isoDate,
      hour: optionalText,
      year: z.number().int().nullish(),
      quarter: z.number().int().min(1).max(4).nullish(),
      epsActual: optionalNumber,
      epsEstimate: optionalNumber,
      revenueActual: optionalNumber,
      revenueEstimate: optionalNumber,
    }),
  ),
});
