import { addDays, nyDate, nyInstant } from '../../../calendar/index.js';
import { liquidityRanking } from '../../../universe/index.js';
import type { CoverageEntry, DatasetName, EndpointId, VendorId } from '../../../catalog/index.js';
import type { BackfillTarget } from '../../../config/index.js';
import type { CapabilitySettings } from '../../settings.js';
import type { PlanContext } from '../types.js';

const DAY_MS = 86_400_000;

/**
 * The capability a planner may schedule: configured (keyed) vendor, endpoint enabled in edge.yml,
 * and not recorded as denied (the executor records a denial on EntitlementDenied). Undefined = plan nothing.
 */
export async function usableCapability(ctx: PlanContext, endpoint: EndpointId, dataset: DatasetName): Promise<CapabilitySettings | undefined> {
  if (!ctx.settings.enabledEndpoints.has(endpoint)) return undefined;
  const capability = ctx.settings.capabilities.find((c) => c.endpoint === endpoint && c.dataset === dataset);
  if (capability === undefined) return undefined;
  const denied = (await ctx.state.listCapabilityStatus()).some(
    (s) => s.vendor === capability.vendor && s.endpoint === endpoint && s.status === 'denied' && (s.untilMs === null || s.untilMs > ctx.nowMs),
  );
  return denied ? undefined : capability;
}

export function targetOf(ctx: PlanContext, dataset: DatasetName): BackfillTarget | undefined {
  const target = ctx.config.backfill.targets[dataset];
  return target === undefined || target.enabled === false ? undefined : target;
}

/** Epoch ms of a coverage record's `recorded_at` (DuckDB may hand back a string or a Date). */
export function recordedMs(entry: Pick<CoverageEntry, 'recorded_at'>): number {
  const value: unknown = entry.recorded_at;
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}

/** Coverage records of one vendor endpoint, grouped by scope (symbol, series, '*'). */
export function coverageByScope(entries: readonly CoverageEntry[], vendor: VendorId, endpoint: EndpointId): Map<string, CoverageEntry[]> {
  const byScope = new Map<string, CoverageEntry[]>();
  for (const entry of entries) {
    if (entry.vendor !== vendor || entry.endpoint !== endpoint) continue;
    const list = byScope.get(entry.scope);
    if (list) list.push(entry);
    else byScope.set(entry.scope, [entry]);
  }
  return byScope;
}

/** The newest `recorded_at` of a scope's records, or undefined when it was never fetched. */
export function lastRecordedMs(entries: readonly CoverageEntry[] | undefined): number | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  return Math.max(...entries.map(recordedMs));
}

export interface DateRange {
  start: string;
  end: string;
}

/** Whether the union of the records' [start, end] ranges contains the whole of `range` (dates inclusive). */
export function rangeCovered(entries: readonly DateRange[] | undefined, range: DateRange): boolean {
  if (entries === undefined) return false;
  const sorted = [...entries].filter((e) => e.end >= range.start && e.start <= range.end).sort((a, b) => (a.start < b.start ? -1 : 1));
  let reached = range.start;
  for (const entry of sorted) {
    if (entry.start > reached) return false;
    if (entry.end >= reached) {
      if (entry.end >= range.end) return true;
      reached = addDays(entry.end, 1);
    }
  }
  return false;
}

/**
 * Fixed chunks of `chunkDays` calendar days from `earliest`, the last clipped to `end`. The grid is
 * anchored on `earliest`, so a chunk keeps its identity from one day to the next (only the newest,
 * clipped one grows).
 */
export function dateChunks(earliest: string, end: string, chunkDays: number): DateRange[] {
  const chunks: DateRange[] = [];
  const size = Math.max(1, Math.floor(chunkDays));
  for (let start = earliest; start <= end; start = addDays(start, size)) {
    const last = addDays(start, size - 1);
    chunks.push({ start, end: last < end ? last : end });
  }
  return chunks;
}

/** Monday of the New York week of `nowMs` (weekly re-polls are keyed on it). */
export function weekStart(nowMs: number): string {
  const today = nyDate(nowMs);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDays(today, -((weekday + 6) % 7));
}

/** Epoch ms of 00:00 New York on `date`. */
export function dayStartMs(date: string): number {
  return nyInstant(date, '00:00');
}

/** Whether a scope has a record written on or after `sinceMs`. */
export function recordedSince(entries: readonly CoverageEntry[] | undefined, sinceMs: number): boolean {
  return (entries ?? []).some((e) => recordedMs(e) >= sinceMs);
}

/** `since=<date>` of the last fetch (or `never`): a refresh of the same state keeps one identity across days. */
export function sinceTag(lastMs: number | undefined): string {
  return `since=${lastMs === undefined ? 'never' : nyDate(lastMs)}`;
}

/**
 * The rotation of a scarce budget day: `pick()` runs once per New York day and its answer is kept
 * in a state bookmark, so re-planning the same day returns the same choice (idempotent) and the
 * day never spends more than the picks allow, however often the loop asks.
 */
export async function dailyPicks<T>(ctx: PlanContext, key: string, pick: () => Promise<T[]> | T[]): Promise<T[]> {
  const day = nyDate(ctx.nowMs);
  const stored = await ctx.state.getBookmark(key);
  if (stored !== undefined) {
    try {
      const parsed = JSON.parse(stored) as { day?: unknown; picks?: unknown };
      if (parsed.day === day && Array.isArray(parsed.picks)) return parsed.picks as T[];
    } catch {
      // A bookmark we cannot read is replaced by today's pick.
    }
  }
  const picks = await pick();
  // Nothing to pick yet (e.g. the universe is still empty on a first cycle): ask again next time.
  if (picks.length > 0) await ctx.state.setBookmark(key, JSON.stringify({ day, picks }), ctx.nowMs);
  return picks;
}

/** Symbols of this vendor's dead-lettered units of these endpoints: asking again returns the same refusal. */
export async function deadSymbols(ctx: PlanContext, vendor: VendorId, endpoints: readonly EndpointId[]): Promise<Set<string>> {
  const dead = new Set<string>();
  for (const unit of await ctx.state.listQueue({ status: 'dead', vendor })) {
    if (!endpoints.includes(unit.endpoint)) continue;
    const symbols = unit.params.symbols;
    if (Array.isArray(symbols)) for (const s of symbols) if (typeof s === 'string') dead.add(s);
  }
  return dead;
}

/**
 * Symbols of this vendor's units of these endpoints that were settled without an answer: the
 * executor completes a unit the vendor refused for its symbol or range (not served by the plan)
 * without recording coverage, while every answered unit records it, even an empty one.
 */
export async function notServedSymbols(ctx: PlanContext, vendor: VendorId, endpoints: readonly EndpointId[], dataset: DatasetName): Promise<Set<string>> {
  const answered = new Set((await ctx.lake.readCoverage(dataset)).filter((c) => endpoints.includes(c.endpoint)).map((c) => c.scope));
  const refused = new Set<string>();
  for (const unit of await ctx.state.listQueue({ status: 'done', vendor })) {
    if (!endpoints.includes(unit.endpoint) || unit.origin === 'smoke') continue;
    const symbols = unit.params.symbols;
    if (Array.isArray(symbols)) for (const s of symbols) if (typeof s === 'string' && !answered.has(s)) refused.add(s);
  }
  return refused;
}

/** Symbols the state marks bad for this vendor right now (NotFound with a symbol, e.g. outside FMP's free sample). */
export async function badSymbolSet(ctx: PlanContext, vendor: VendorId): Promise<Set<string>> {
  return new Set((await ctx.state.badSymbols(vendor, ctx.nowMs)).map((b) => b.symbol));
}

/**
 * `symbols` ordered most liquid first (the universe's ranking: median dollar volume over the last
 * sessions of equities_eod in the lake); symbols without bars follow in alphabetical order.
 */
export async function byLiquidity(ctx: PlanContext, symbols: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(symbols)];
  const ranked = (await liquidityRanking(ctx.lake, nyDate(ctx.nowMs), { among: wanted })).map((r) => r.symbol);
  const seen = new Set(ranked);
  return [...ranked, ...wanted.filter((s) => !seen.has(s)).sort()];
}

/** Whole days between two instants (for refresh intervals). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}
