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
