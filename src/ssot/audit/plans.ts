import { sessionsBetween } from '../../calendar/index.js';
import type { ScopeGrid, ScopeMeasure } from './scope-sql.js';
import type { AuditSpec, AuditThresholds, AuditWindow, MacroSeriesInput } from './types.js';

/** Regular-session minutes; an early close (13:00) has 210. */
export const REGULAR_SESSION_MINUTES = 390;

export interface ScopePlan {
  measure: ScopeMeasure;
  /** Plural of what a scope is, for reasons. */
  noun: string;
  /** Session datasets get NO_SESSION rows for the other days of the window. */
  sessionBased: boolean;
  /** The grid restricted to `periods` (all periods of the window when undefined). */
  grid(periods?: ReadonlySet<string>): ScopeGrid;
  /** Every period of the window, ascending. */
  periods: string[];
}

type SessionSpec = Extract<AuditSpec, { dataset: 'equities_minute' | 'options_chain' | 'options_chain_hist' | 'options_bars' | 'treasuries' }>;

function sessionPlan(spec: SessionSpec, window: AuditWindow, thresholds: AuditThresholds): ScopePlan {
  const sessions = sessionsBetween(window.start, window.end);
  const [measure, noun, scopes, expected] = ((): [ScopeMeasure, string, readonly string[], (minutes: number) => number] => {
    switch (spec.dataset) {
      case 'equities_minute':
        return [{ scope: 'symbol', measure: 'count(DISTINCT ts)', mode: 'exact', unit: 'minutes' }, 'symbols', spec.symbols,
          (minutes) => (thresholds.allow_halfdays === false ? REGULAR_SESSION_MINUTES : minutes)];
      case 'options_chain':
        return [{ scope: 'underlying', measure: 'count(DISTINCT as_of)', mode: 'atLeast', unit: 'snapshots' }, 'underliers', spec.underliers, () => 1];
      case 'options_chain_hist':
        return [{ scope: 'underlying', measure: 'count(DISTINCT contract)', mode: 'atLeast', unit: 'contracts' }, 'underliers', spec.underliers, () => spec.expectContractsMin];
      case 'options_bars':
        return [{ scope: 'underlying', measure: 'count(DISTINCT contract)', mode: 'atLeast', unit: 'contracts with bars' }, 'underliers', spec.underliers, () => 1];
      case 'treasuries':
        // FRED's '.' rows (a bond-market holiday inside an NYSE session) are rows: they count as present.
        return [{ scope: 'series_id', measure: 'count(*)', mode: 'atLeast', unit: 'rows' }, 'tenors', spec.series, () => 1];
    }
  })();
  const periods = sessions.map((s) => ({ date: s.date, expected: expected(Math.round((s.closeMs - s.openMs) / 60_000)) }));
  return {
    measure,
    noun,
    sessionBased: true,
    periods: periods.map((p) => p.date),
    grid: (only) => ({ kind: 'cross', scopes: [...new Set(scopes)].sort(), periods: only ? periods.filter((p) => only.has(p.date)) : periods }),
  };
}

/** Calendar arithmetic without the NYSE calendar's 2000 floor (macro series start in 1990). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function addMonths(monthStart: string, months: number): string {
  const y = Number(monthStart.slice(0, 4));
  const m = Number(monthStart.slice(5, 7)) - 1 + months;
  const date = new Date(Date.UTC(y, m, 1));
  return date.toISOString().slice(0, 10);
}

/**
 * Observation dates (FRED dates a period by its first day) of one series inside the window, up to
 * the last period due: its end plus the publication lag on or before the window's end.
 */
export function macroObservationDates(series: MacroSeriesInput, window: AuditWindow): string[] {
  const step = series.frequency === 'quarterly' ? 3 : 1;
  const lag = series.publicationLagDays ?? (series.frequency === 'quarterly' ? 60 : 45);
  let period = firstOfMonth(window.start);
  if (period < window.start) period = addMonths(period, 1);
  while ((Number(period.slice(5, 7)) - 1) % step !== 0) period = addMonths(period, 1);
  const dates: string[] = [];
  for (; period <= window.end; period = addMonths(period, step)) {
    const periodEnd = addDays(addMonths(period, step), -1);
    if (addDays(periodEnd, lag) > window.end) break;
    dates.push(period);
  }
  return dates;
}

function macroPlan(series: readonly MacroSeriesInput[], window: AuditWindow): ScopePlan {
  const cells = series.flatMap((s) => macroObservationDates(s, window).map((date) => ({ scope: s.id, date, expected: 1 })));
  return {
    measure: { scope: 'series_id', measure: 'count(*)', mode: 'atLeast', unit: 'observations' },
    noun: 'series',
    sessionBased: false,
    periods: [...new Set(cells.map((c) => c.date))].sort(),
    grid: (only) => ({ kind: 'cells', cells: only ? cells.filter((c) => only.has(c.date)) : cells }),
  };
}

/** The scope plan of a raw dataset other than equities_eod. */
export function scopePlan(spec: Exclude<AuditSpec, { dataset: 'equities_eod' | 'fundamentals' | 'corp_actions' | 'delistings' | 'symbols' }>, window: AuditWindow, thresholds: AuditThresholds): ScopePlan {
  return spec.dataset === 'macro_series' ? macroPlan(spec.series, window) : sessionPlan(spec, window, thresholds);
}
