import { z } from 'zod';

/**
 * Wire schemas for `file_type=json` (vendors/fred.md §3). Every value is a string (`"."` = missing);
 * envelope keys other than the ones read here are ignored, and `count` may be absent in older
 * responses (pagination then falls back to "a short page is the last"). Unknown keys are stripped,
 * never rejected: FRED adds envelope fields over time.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const counter = z.number().int().nonnegative();

/** output_type=1 rows. output_type=2/3 rows (`<SERIES>_<YYYYMMDD>` keys, no `value`) fail here on purpose. */
export const observationSchema = z.object({
  realtime_start: isoDate,
  realtime_end: isoDate,
  date: isoDate,
  value: z.string(),
});
export type Observation = z.infer<typeof observationSchema>;

export const observationsPageSchema = z.object({
  count: counter.optional(),
  offset: counter.optional(),
  observations: z.array(observationSchema),
});
export type ObservationsPage = z.infer<typeof observationsPageSchema>;

export const vintageDatesPageSchema = z.object({
  count: counter.optional(),
  offset: counter.optional(),
  vintage_dates: z.array(isoDate),
});
export type VintageDatesPage = z.infer<typeof vintageDatesPageSchema>;

const optionalText = z.string().nullish();

/** `GET /fred/series`: the array key really is `seriess`. */
export const seriesInfoSchema = z.object({
  seriess: z.array(
    z.object({
      id: z.string().min(1),
      realtime_start: isoDate,
      realtime_end: isoDate,
      title: optionalText,
      observation_start: isoDate,
      observation_end: isoDate,
      frequency: optionalText,
      frequency_short: optionalText,
      units: optionalText,
      units_short: optionalText,
      seasonal_adjustment: optionalText,
      seasonal_adjustment_short: optionalText,
      last_updated: optionalText,
      popularity: z.number().nullish(),
      notes: optionalText,
    }),
  ),
});
export type SeriesInfoPage = z.infer<typeof seriesInfoSchema>;
