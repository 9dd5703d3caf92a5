import { createRng, type Rng } from '../market/index.js';
import { nthWeekdayOfMonth, onOrAfterBusinessDay, onOrBeforeBusinessDay } from './business-days.js';
import type { MacroSeriesId } from './catalog.js';
import { addMonths, monthsBetween, periodsBetween } from './periods.js';
import type { ObservationVersion, SeriesObservation } from './types.js';

/**
 * Revised macro series. Each observation gets a seeded "true" value, a first release some days or
 * weeks after its period, and later revisions on the vendor's real cadence (monthly revisions,
 * annual seasonal or benchmark revisions, GDP's advance/second/third estimates). Each release
 * publishes the truth plus an error that shrinks release by release; a release whose rounded value
 * equals the previous one is no vintage for that observation, as in ALFRED.
 */

interface MacroModel {
  step: 1 | 3;
  decimals: number;
  /** Release error of the first print, in value units; later prints shrink it by 0.6 each. */
  revisionSigma: number;
  truth(periods: readonly string[], rng: Rng): number[];
  /** Ascending release dates: the first release, then each revision (dates may repeat). */
  releases(period: string, seed: number): string[];
}

const FRIDAY = 5;
const THURSDAY = 4;

/**
 * Employment Situation: the first Friday of the next month; when that Friday is New Year's Day the
 * second Friday, on another holiday the business day before (July 4, 2025 → July 3).
 */
function employmentRelease(period: string): string {
  const next = addMonths(period, 1);
  const [year, month] = [Number(next.slice(0, 4)), Number(next.slice(5, 7))];
  const first = nthWeekdayOfMonth(year, month, FRIDAY, 1);
  if (month === 1 && first.endsWith('-01')) return nthWeekdayOfMonth(year, month, FRIDAY, 2);
  return onOrBeforeBusinessDay(first);
}

/** CPI: a business day between the 10th and the 15th of the next month. */
function cpiRelease(period: string, seed: number): string {
  const next = addMonths(period, 1);
  const day = createRng(seed, `fred:CPIAUCSL:release:${period}`).int(10, 15);
  return onOrAfterBusinessDay(`${next.slice(0, 8)}${String(day).padStart(2, '0')}`);
}

/** GDP estimate n (1 advance, 2 second, 3 third): the last Thursday of the month n after the quarter. */
function gdpEstimate(quarter: string, n: 1 | 2 | 3): string {
  const month = addMonths(quarter, 2 + n);
  return onOrBeforeBusinessDay(nthWeekdayOfMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)), THURSDAY, -1));
}

const yearOf = (period: string): number => Number(period.slice(0, 4));
const monthOf = (period: string): number => Number(period.slice(5, 7));

/** A level growing at `annualGrowth` from an anchor in 2024-01, times a seeded AR(1) deviation. */
function trendingLevel(anchor: number, annualGrowth: number, persistence: number, shock: number) {
  return (periods: readonly string[], rng: Rng): number[] => {
    let deviation = 0;
    return periods.map((p) => {
      deviation = persistence * deviation + shock * rng.normal();
      return anchor * Math.pow(1 + annualGrowth, monthsBetween('2024-01-01', p) / 12) * Math.exp(deviation);
    });
  };
}

const MODELS: Readonly<Record<MacroSeriesId, MacroModel>> = {
  CPIAUCSL: {
    step: 1,
    decimals: 3,
    revisionSigma: 0.15,
    truth: trendingLevel(309.685, 0.026, 0.9, 0.0015),
    // Seasonal factors are revised each February (with January's release) for the previous 5 years.
    releases: (p, seed) => [cpiRelease(p, seed), ...[1, 2, 3, 4, 5].map((k) => cpiRelease(`${yearOf(p) + k}-01-01`, seed))],
  },
  UNRATE: {
    step: 1,
    decimals: 1,
    revisionSigma: 0.07,
    truth: (periods, rng) => {
      let rate = rng.uniform(3.7, 5.6);
      return periods.map(() => (rate = Math.min(10.5, Math.max(3.2, rate + 0.04 * (4.8 - rate) + 0.12 * rng.normal()))));
    },
    // Seasonally adjusted rates are revised each January (with December's release) for 5 years.
    releases: (p) => [employmentRelease(p), ...[0, 1, 2, 3, 4].map((k) => employmentRelease(`${yearOf(p) + k}-12-01`))],
  },
  PAYEMS: {
    step: 1,
    decimals: 0,
    revisionSigma: 80,
    truth: trendingLevel(158_000, 0.0075, 0.95, 0.0015),
    // Revised in the next two monthly releases, then benchmarked each February for April two
    // years back through December.
    releases: (p) => {
      const benchmarks = [yearOf(p) + 1, ...(monthOf(p) >= 4 ? [yearOf(p) + 2] : [])].map((y) => employmentRelease(`${y}-01-01`));
      return [employmentRelease(p), employmentRelease(addMonths(p, 1)), employmentRelease(addMonths(p, 2)), ...benchmarks];
    },
  },
  GDP: {
    step: 3,
    decimals: 3,
    revisionSigma: 70,
    truth: trendingLevel(28_269.174, 0.045, 0.85, 0.004),
    // Advance, second and third estimates; the annual update (with Q2's third estimate in late
    // September) revises the last three years of quarters.
    releases: (p) => {
      const annual = [0, 1, 2, 3].map((k) => yearOf(p) + k).filter((y) => p <= `${y}-01-01`);
      return [gdpEstimate(p, 1), gdpEstimate(p, 2), gdpEstimate(p, 3), ...annual.map((y) => gdpEstimate(`${y}-04-01`, 3))];
    },
  },
};

/** Observations of one macro series for the periods overlapping [start, end]. */
export function buildMacroSeries(id: MacroSeriesId, seed: number, start: string, end: string): SeriesObservation[] {
  const model = MODELS[id];
  const periods = periodsBetween(start, end, model.step);
  const truths = model.truth(periods, createRng(seed, `fred:${id}:truth`));
  return periods.map((date, i) => ({ date, versions: versionsOf(id, model, date, truths[i] as number, seed) }));
}

function versionsOf(id: MacroSeriesId, model: MacroModel, period: string, truth: number, seed: number): ObservationVersion[] {
  const [first, ...later] = model.releases(period, seed);
  const dates = [first as string, ...[...new Set(later)].filter((d) => d > (first as string)).sort()];
  const rng = createRng(seed, `fred:${id}:revisions:${period}`);
  const versions: ObservationVersion[] = [];
  dates.forEach((realtimeStart, k) => {
    const value = Math.max(0.1, truth + model.revisionSigma * Math.pow(0.6, k) * rng.normal()).toFixed(model.decimals);
    if (versions.at(-1)?.value !== value) versions.push({ realtimeStart, value });
  });
  return versions;
}
