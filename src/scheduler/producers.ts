import { addDays, sessionOf, sessionDatesBetween, lastCompletedSession, nyDate } from '../calendar/index.js';
import type { EndpointId, LedgerRow, VendorId } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import type { QueueUnitInput } from '../state/index.js';
import type { UniverseMember } from '../universe/index.js';
import type { CapabilitySettings, PipelineSettings } from './settings.js';
import { supportedEndpoints } from './handlers.js';
import { alpacaAssetsUnit, alpacaBarsUnit, corpActionsUnit, polygonGroupedUnit, polygonTickersUnit, PRIORITY } from './units.js';

const MINUTE = 60_000;

/** The equities_eod endpoints that carry many symbols per request; eodUnits builds units only for these. */
const EOD_BULK_ENDPOINTS: ReadonlySet<EndpointId> = new Set<EndpointId>(['alpaca.bars', 'polygon.aggs.grouped_daily']);

export interface EodWindow {
  start: string;
  end: string;
}

/** The equities_eod window: the later of `earliest` and today − lookback, up to the last completed session. */
export function eodWindow(settings: PipelineSettings, nowMs: number): EodWindow {
  const primarySettle = Math.min(...settings.capabilities.filter((c) => c.dataset === 'equities_eod').map((c) => c.availableAfterCloseMinutes), 24 * 60);
  const end = lastCompletedSession(nowMs, primarySettle * MINUTE);
  const lookbackStart = addDays(nyDate(nowMs), -settings.eod.lookbackDays);
  const start = lookbackStart > settings.eod.earliest ? lookbackStart : settings.eod.earliest;
  return { start, end };
}

/** Sessions of the window this capability can serve now: complete at the vendor and inside its history. */
export function servableSessions(capability: CapabilitySettings, window: EodWindow, nowMs: number): string[] {
  const oldest = capability.historyDays === null ? window.start : addDays(nyDate(nowMs), -capability.historyDays + 1);
  const start = oldest > window.start ? oldest : window.start;
  return sessionDatesBetween(start, window.end).filter((date) => {
    const session = sessionOf(date);
    return session !== undefined && session.closeMs + capability.availableAfterCloseMinutes * MINUTE <= nowMs;
  });
}

/**
 * Per vendor, the bulk endpoint: whole-market endpoints (grouped daily) beat multi-symbol ones,
 * which beat per-symbol calls. Only endpoints the scheduler can run are considered.
 */
export function bulkCapabilities(settings: PipelineSettings, dataset: 'equities_eod'): CapabilitySettings[] {
  // Per-symbol daily endpoints (Finnhub candles, FMP, Alpha Vantage) are repair tools for the
  // alpaca_bars/polygon_bars tasks' gaps, not bulk carriers: they are planned by their own tasks.
  const runnable = new Set(supportedEndpoints().filter((e) => EOD_BULK_ENDPOINTS.has(e)));
  const best = new Map<VendorId, CapabilitySettings>();
  const breadth = (c: CapabilitySettings): number => (c.symbolsPerRequest === 'all' ? Number.POSITIVE_INFINITY : c.symbolsPerRequest);
  for (const capability of settings.capabilities) {
    if (capability.dataset !== dataset || !runnable.has(capability.endpoint) || !settings.enabledEndpoints.has(capability.endpoint)) continue;
    const current = best.get(capability.vendor);
    if (!current || breadth(capability) > breadth(current)) best.set(capability.vendor, capability);
  }
  return [...best.values()];
}

export function referenceUnits(settings: PipelineSettings, window: EodWindow, nowMs: number): QueueUnitInput[] {
  const vendors = new Set(settings.capabilities.map((c) => c.vendor));
  const day = nyDate(nowMs);
  const units: QueueUnitInput[] = [];
  if (vendors.has('alpaca')) {
    units.push(alpacaAssetsUnit(day), corpActionsUnit('alpaca.corporate_actions', window.start, window.end, day));
  }
  if (vendors.has('polygon')) {
    const history = settings.capabilities.find((c) => c.vendor === 'polygon')?.historyDays ?? null;
    const oldest = history === null ? window.start : addDays(day, -history + 1);
    const start = oldest > window.start ? oldest : window.start;
    units.push(
      polygonTickersUnit(day, true),
      polygonTickersUnit(day, false),
      corpActionsUnit('polygon.reference.splits', start, window.end, day),
      corpActionsUnit('polygon.reference.dividends', start, window.end, day),
    );
  }
  return units.filter((unit) => settings.enabledEndpoints.has(unit.endpoint));
}

/**
 * equities_eod units for every session a vendor has no partition for yet, through each vendor's
 * bulk endpoint. Multi-symbol endpoints get symbol batches sized so one unit buffers at most
 * `maxRowsPerUnit` rows; whole-market endpoints get one unit per session.
 */
export async function eodUnits(options: { lake: Lake; settings: PipelineSettings; window: EodWindow; nowMs: number; universe: readonly UniverseMember[] }): Promise<QueueUnitInput[]> {
  const { lake, settings, window, nowMs, universe } = options;
  const units: QueueUnitInput[] = [];
  for (const capability of bulkCapabilities(settings, 'equities_eod')) {
    const have = new Set((await lake.listRawPartitions('equities_eod', capability.vendor)).map((p) => p.date));
    const missing = servableSessions(capability, window, nowMs).filter((date) => !have.has(date));
    if (missing.length === 0) continue;
    if (capability.symbolsPerRequest === 'all') {
      for (const date of missing) units.push(polygonGroupedUnit(date, 'backfill'));
      continue;
    }
    const symbols = universe.map((m) => m.symbol);
    for (const run of contiguousRuns(missing, sessionDatesBetween(window.start, window.end))) {
      const perUnit = Math.max(1, Math.min(capability.symbolsPerRequest, Math.floor(settings.maxRowsPerUnit / run.length)));
      for (let i = 0; i < symbols.length; i += perUnit) {
        units.push(alpacaBarsUnit(symbols.slice(i, i + perUnit), run[0] as string, run[run.length - 1] as string, 'backfill'));
      }
    }
  }
  return units;
}

/**
 * Repair units for sessions the audit did not grade GREEN: the missing symbols of each session are
 * asked of the primary vendor first (cheap, multi-symbol); whole-market alternates re-fetch the
 * session. Identities carry a digest of what is missing, so the same gap is never asked twice of
 * the same vendor, and a new gap gets a new unit.
 */
export function repairUnits(options: { settings: PipelineSettings; ledger: readonly LedgerRow[]; missing: ReadonlyMap<string, string[]>; nowMs: number; round: number }): QueueUnitInput[] {
  const { settings, ledger, missing, nowMs } = options;
  const units: QueueUnitInput[] = [];
  const bad = ledger.filter((row) => row.status === 'AMBER' || row.status === 'RED');
  for (const capability of bulkCapabilities(settings, 'equities_eod')) {
    const isPrimary = capability.role === 'primary';
    if ((options.round === 0) !== isPrimary) continue;
    const servable = new Set(servableSessions(capability, { start: bad[0]?.date ?? '', end: bad[bad.length - 1]?.date ?? '' }, nowMs));
    for (const row of bad) {
      if (!servable.has(row.date)) continue;
      if (capability.symbolsPerRequest === 'all') {
        units.push({ ...polygonGroupedUnit(row.date, 'backfill', PRIORITY.repair), identity: `polygon.aggs.grouped_daily|equities_eod|${row.date}|repair:${row.rows}/${row.expected_rows}` });
        continue;
      }
      const symbols = missing.get(row.date) ?? [];
      for (let i = 0; i < symbols.length; i += capability.symbolsPerRequest) {
        units.push(alpacaBarsUnit(symbols.slice(i, i + capability.symbolsPerRequest), row.date, row.date, 'backfill', PRIORITY.repair));
      }
    }
  }
  return units;
}

/** Splits `dates` into runs of consecutive sessions (consecutive in `sessions`, not the calendar). */
export function contiguousRuns(dates: readonly string[], sessions: readonly string[]): string[][] {
  const index = new Map(sessions.map((d, i) => [d, i] as const));
  const runs: string[][] = [];
  let current: string[] = [];
  let last = -2;
  for (const date of [...dates].sort()) {
    const i = index.get(date) ?? -2;
    if (i !== last + 1 && current.length > 0) {
      runs.push(current);
      current = [];
    }
    current.push(date);
    last = i;
  }
  if (current.length > 0) runs.push(current);
  return runs;
}
