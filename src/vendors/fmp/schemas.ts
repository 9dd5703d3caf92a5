import { z } from 'zod';

/**
 * Wire schemas (vendors/fmp.md §3). Stable endpoints answer flat JSON arrays; legacy v3 shapes
 * differ (noted per schema). Strict on what a row needs, lenient elsewhere: unknown fields are
 * stripped, optional ones may be absent, null or "".
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionalText = z.string().nullish();
const optionalFlag = z.boolean().nullish();

/** Stable `{symbol, companyName}`; legacy v3 `{symbol, name, price, exchange, exchangeShortName, type}`. */
export const stockListSchema = z.array(
  z.object({
    symbol: z.string(),
    companyName: optionalText,
    name: optionalText,
    exchangeShortName: optionalText,
    type: optionalText,
  }),
);
export type StockListRow = z.infer<typeof stockListSchema>[number];

/** Same five fields on stable and legacy; either date may be empty or null. */
export const delistedSchema = z.array(
  z.object({
    symbol: z.string(),
    companyName: optionalText,
    exchange: optionalText,
    ipoDate: optionalText,
    delistedDate: optionalText,
  }),
);
export type DelistedRow = z.infer<typeof delistedSchema>[number];

const plainPrices = z.object({
  symbol: z.string().optional(),
  date: isoDate,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number().nonnegative(),
});

/** `non-split-adjusted` and `dividend-adjusted` name the prices `adjOpen`…`adjClose` (in some versions, for the former). */
const prefixedPrices = z
  .object({
    symbol: z.string().optional(),
    date: isoDate,
    adjOpen: z.number(),
    adjHigh: z.number(),
    adjLow: z.number(),
    adjClose: z.number(),
    volume: z.number().nonnegative(),
  })
  .transform((row) => ({ symbol: row.symbol, date: row.date, open: row.adjOpen, high: row.adjHigh, low: row.adjLow, close: row.adjClose, volume: row.volume }));

export type PriceRow = z.infer<typeof plainPrices>;

/** Stable EOD variants: a flat array, newest first, either naming of the four prices. */
export const stablePricesSchema = z.array(z.union([plainPrices, prefixedPrices]));

/** Legacy `historical-price-full/{SYM}`: `{symbol, historical: [...]}`; `{}` for an unknown symbol. */
export const legacyPricesSchema = z.object({
  symbol: z.string().optional(),
  historical: z.array(plainPrices.omit({ symbol: true })).optional(),
});

/**
 * One statement period. Identity fields are checked; every other field is kept (`looseObject`)
 * because the metrics are whatever numeric line items the row carries. Legacy rows spell
 * `fillingDate` and `calendarYear` and lack `fiscalYear`.
 */
export const statementsSchema = z.array(
  z.looseObject({
    date: isoDate,
    symbol: z.string().min(1),
    period: z.enum(['FY', 'Q1', 'Q2', 'Q3', 'Q4']),
    reportedCurrency: optionalText,
    fiscalYear: z.union([z.string().regex(/^\d{4}$/, 'expected a four-digit year'), z.number().int()]).nullish(),
    filingDate: optionalText,
    fillingDate: optionalText,
    acceptedDate: optionalText,
  }),
);
export type StatementRow = z.infer<typeof statementsSchema>[number];

/** Stable `exchange` is the short code; legacy v3 had the full name there and the code in `exchangeShortName`. */
export const profileSchema = z.array(
  z.object({
    symbol: z.string(),
    companyName: optionalText,
    exchange: optionalText,
    exchangeShortName: optionalText,
    ipoDate: optionalText,
    isEtf: optionalFlag,
    isFund: optionalFlag,
    isAdr: optionalFlag,
    isActivelyTrading: optionalFlag,
  }),
);
export type ProfileRow = z.infer<typeof profileSchema>[number];

/** `GET /stable/financial-statement-symbol-list`: every symbol FMP has statements for (no v3 twin in the notes). */
export const statementSymbolListSchema = z.array(
  z.object({
    symbol: z.string(),
    companyName: optionalText,
    tradingCurrency: optionalText,
    reportingCurrency: optionalText,
  }),
);
export type StatementSymbolList = z.infer<typeof statementSymbolListSchema>;
