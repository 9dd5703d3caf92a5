import { isMacroSeriesId, macroInfoOf, MACRO_SERIES_IDS, TREASURY_SERIES_IDS, treasuryInfoOf } from './catalog.js';
import { buildMacroSeries } from './macro.js';
import { buildTreasuryCurve } from './treasury.js';
import type { SandboxSeries, SeriesObservation } from './types.js';

export interface FredDataOptions {
  seed: number;
  /** Observation window, `YYYY-MM-DD` inclusive (the market's). */
  start: string;
  end: string;
}

/** Every series the FRED emulator serves, built lazily and cached: a pure function of the options. */
export interface FredData {
  readonly seed: number;
  readonly start: string;
  readonly end: string;
  /** Treasury ids first (short to long tenor), then the macro series. */
  readonly seriesIds: readonly string[];
  /** Exact (upper-case) id; undefined for a series the sandbox does not publish. */
  series(id: string): SandboxSeries | undefined;
}

export const FRED_SERIES_IDS: readonly string[] = [...TREASURY_SERIES_IDS, ...MACRO_SERIES_IDS];

export function createFredData(options: FredDataOptions): FredData {
  const { seed, start, end } = options;
  if (!Number.isInteger(seed)) throw new RangeError(`FRED data seed must be an integer, got ${String(seed)}`);
  if (!(start <= end)) throw new RangeError(`FRED data start ${start} is after end ${end}`);
  const cache = new Map<string, SandboxSeries>();
  let curve: Map<string, SeriesObservation[]> | undefined;

  const build = (id: string): SandboxSeries | undefined => {
    if (isMacroSeriesId(id)) return assemble(macroInfoOf(id), buildMacroSeries(id, seed, start, end));
    const info = treasuryInfoOf(id);
    if (!info) return undefined;
    curve ??= buildTreasuryCurve(seed, start, end);
    return assemble(info, curve.get(id) ?? []);
  };

  return {
    seed,
    start,
    end,
    seriesIds: FRED_SERIES_IDS,
    series(id) {
      const cached = cache.get(id);
      if (cached) return cached;
      const built = build(id);
      if (built) cache.set(id, built);
      return built;
    },
  };
}

function assemble(info: SandboxSeries['info'], observations: SeriesObservation[]): SandboxSeries {
  const vintages = new Set<string>();
  for (const o of observations) for (const v of o.versions) vintages.add(v.realtimeStart);
  return { info, observations, vintageDates: [...vintages].sort() };
}

/**
 * The value of one observation as it was known on `vintage` (a date), or undefined when it had not
 * been published yet: the ground truth ALFRED queries are checked against.
 */
export function valueAsOf(observation: SeriesObservation, vintage: string): string | undefined {
  let value: string | undefined;
  for (const v of observation.versions) {
    if (v.realtimeStart > vintage) break;
    value = v.value;
  }
  return value;
}
