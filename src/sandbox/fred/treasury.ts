import { createRng } from '../market/index.js';
import { isFedHoliday, nextFedBusinessDay, weekdaysBetween } from './business-days.js';
import { TREASURY_TENORS } from './catalog.js';
import type { SeriesObservation } from './types.js';

/**
 * The constant-maturity curve as a Nelson-Siegel curve whose level, slope and curvature follow
 * mean-reverting daily walks: tenors move together, the curve can flatten and invert, and yields
 * stay positive. Each business day's value is released on the next Fed business day and never
 * revised (fred.md §5: ALFRED vintages of DGS* are "new observation appended" events).
 */

/** Years at which the curvature loading peaks (the Nelson-Siegel decay parameter). */
const LAMBDA_YEARS = 1.8;

interface Factors {
  level: number;
  slope: number;
  curvature: number;
}

/** Observations per treasury series id over the weekdays of [start, end]. */
export function buildTreasuryCurve(seed: number, start: string, end: string): Map<string, SeriesObservation[]> {
  const rng = createRng(seed, 'fred:treasury-curve');
  const noise = createRng(seed, 'fred:treasury-noise');
  const f: Factors = { level: rng.uniform(3.4, 4.8), slope: rng.uniform(-2.2, 0.4), curvature: rng.uniform(-1, 1) };
  const out = new Map<string, SeriesObservation[]>(TREASURY_TENORS.map((t) => [t.seriesId, []]));
  for (const date of weekdaysBetween(start, end)) {
    step(f, rng.normal(), rng.normal(), rng.normal());
    const holiday = isFedHoliday(date);
    const release = nextFedBusinessDay(date);
    for (const tenor of TREASURY_TENORS) {
      // Drawn for every tenor every day so that one tenor's gaps do not shift the others' noise.
      const wiggle = noise.normal() * 0.006;
      if (date < tenor.observationStart) continue;
      const suspended = tenor.suspended.some(([from, to]) => date >= from && date <= to);
      const value = holiday || suspended ? '.' : yieldAt(f, tenor.years, wiggle).toFixed(2);
      out.get(tenor.seriesId)?.push({ date, versions: [{ realtimeStart: release, value }] });
    }
  }
  return out;
}

function step(f: Factors, z1: number, z2: number, z3: number): void {
  // Stationary spreads ≈ 0.9 (level) and 0.75 (slope) percentage points: decades of history wander
  // between low-rate and high-rate regimes, and the curve inverts for spells (≈ 1 day in 9).
  f.level += 0.0015 * (4.2 - f.level) + 0.05 * z1;
  f.slope += 0.003 * (-0.9 - f.slope) + 0.058 * z2;
  f.curvature += 0.01 * (0 - f.curvature) + 0.05 * z3;
  // Keep the short end from going deeply negative: the walk may touch zero, not dive through it.
  if (f.level + f.slope < 0.05) f.slope = 0.05 - f.level;
}

function yieldAt(f: Factors, years: number, wiggle: number): number {
  const x = years / LAMBDA_YEARS;
  const loading = (1 - Math.exp(-x)) / x;
  const raw = f.level + f.slope * loading + f.curvature * (loading - Math.exp(-x)) + wiggle;
  return Math.max(0.01, raw);
}
