import { addDays, lastCompletedSession, nyDate, nyInstant, sessionDatesBetween } from '../../../calendar/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import { membersDuring, type UniverseMember } from '../../../universe/index.js';
import type { CapabilitySettings } from '../../settings.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext, TaskPlanner } from '../types.js';
import { CoverageIndex, coverageSpans, inFlight } from './coverage.js';
import { historyStart, taskSetting, usableCapability } from './gate.js';
import { runRange, runsOf, type Owed } from './runs.js';
import { mostLiquid } from './targets.js';

const MINUTE = 60_000;
/** 04:00–20:00 New York: the most one-minute bars one symbol can have in a session, extended hours included. */
export const MAX_MINUTE_BARS_PER_SESSION = 960;
/** Symbols with minute history when neither edge.yml nor backfill.yml names a top_n. */
const DEFAULT_MINUTE_TOP_N = 100;
/**
 * A minute unit asks for whole New York days (through 23:59:59), and a free key may not read SIP
 * data newer than 15 minutes: the newest session waits until this long after the next midnight.
 */
const AFTER_MIDNIGHT_MS = 20 * MINUTE;

export interface SessionWindow {
  start: string;
  end: string;
}

/**
 * Sessions minute bars are owed for: up to the last session complete at the vendor, back to the
 * later of backfill.yml's earliest / lookback and the vendor's history floor. Without an enabled
 * equities_minute target, only the newest session (forward ingest).
 */
export function minuteWindow(ctx: PlanContext, capability: CapabilitySettings): SessionWindow {
  const end = lastCompletedSession(ctx.nowMs, capability.availableAfterCloseMinutes * MINUTE);
  const target = ctx.config.backfill.targets.equities_minute;
  if (target === undefined || !target.enabled) return { start: end, end };
  const floors = [target.earliest];
  if (target.lookback_days !== undefined) floors.push(addDays(nyDate(ctx.nowMs), -target.lookback_days));
  const fixed = historyStart(ctx, capability.endpoint);
  if (fixed !== null) floors.push(fixed);
  if (capability.historyDays !== null) floors.push(addDays(nyDate(ctx.nowMs), -capability.historyDays + 1));
  const start = floors.reduce((a, b) => (a > b ? a : b));
  return { start: start > end ? end : start, end };
}

/**
 * alpaca_minute → equities_minute: the top-N most liquid symbols (edge.yml task top_n, else
 * backfill.yml targets.equities_minute.top_n), every session of the window a symbol was listed
 * and neither coverage nor a queued unit has, newest first. Symbols are batched per session up
 * to the endpoint's symbols per request and so that a unit buffers at most maxRowsPerUnit bars
 * (960 a symbol-session at most); pages are the vendor's, so batching keeps requests at
 * ⌈bars / page⌉ plus at most one short page per unit. The newest session's units wait until
 * 00:20 New York the next day (whole-day windows; the free key's 15-minute SIP rule).
 */
export const alpacaMinutePlanner: TaskPlanner = {
  task: 'alpaca_minute',
  async plan(ctx: PlanContext): Promise<QueueUnitInput[]> {
    const capability = await usableCapability(ctx, 'alpaca.minute');
    if (capability === undefined) return [];
    const window = minuteWindow(ctx, capability);
    const members = membersDuring(ctx.universe, window.start, window.end);
    const target = ctx.config.backfill.targets.equities_minute;
    const n = Math.min(taskSetting(ctx, 'alpaca_minute')?.top_n ?? target?.top_n ?? DEFAULT_MINUTE_TOP_N, members.length);
    const symbols = await mostLiquid(ctx, members, n, window.end);
    if (symbols === undefined || symbols.length === 0) return [];
    const owed = await owedSessions(ctx, window, symbols, new Map(members.map((m) => [m.symbol, m])));
    const chunkDays = target?.enabled === false ? 1 : (target?.chunk_days ?? 1);
    return runsOf(owed, chunkDays).flatMap((run) => minuteUnits(ctx, capability, run, window.end));
  },
};

async function owedSessions(ctx: PlanContext, window: SessionWindow, symbols: readonly string[], members: ReadonlyMap<string, UniverseMember>): Promise<Owed[]> {
  const covered = new CoverageIndex(await coverageSpans(ctx.lake, 'equities_minute', { vendors: ['alpaca'], endOnOrAfter: window.start }));
  const queued = await inFlight(ctx.state, 'alpaca', 'alpaca.minute', sessionDatesBetween);
  const sorted = [...symbols].sort();
  const owed: Owed[] = [];
  for (const date of sessionDatesBetween(window.start, window.end).reverse()) {
    const missing = sorted.filter((s) => listedOn(members.get(s), date) && !covered.has(s, date) && !queued.has(`${s}|${date}`));
    if (missing.length > 0) owed.push({ date, symbols: missing });
  }
  return owed;
}

function listedOn(member: UniverseMember | undefined, date: string): boolean {
  if (member === undefined) return false;
  return (member.ipoDate === null || member.ipoDate <= date) && (member.delistedDate === null || member.delistedDate > date);
}

function minuteUnits(ctx: PlanContext, capability: CapabilitySettings, run: readonly Owed[], newest: string): QueueUnitInput[] {
  const { start, end } = runRange(run);
  const symbols = (run[0] as Owed).symbols;
  const perRequest = capability.symbolsPerRequest === 'all' ? symbols.length : capability.symbolsPerRequest;
  const perUnit = Math.max(1, Math.min(perRequest, Math.floor(ctx.settings.maxRowsPerUnit / (MAX_MINUTE_BARS_PER_SESSION * run.length))));
  const origin = end === newest ? 'forward' : 'backfill';
  const readyAt = nyInstant(addDays(end, 1), '00:00') + AFTER_MIDNIGHT_MS;
  const units: QueueUnitInput[] = [];
  for (let i = 0; i < symbols.length; i += perUnit) {
    units.push(
      fetchUnit({
        endpoint: 'alpaca.minute',
        dataset: 'equities_minute',
        params: { symbols: symbols.slice(i, i + perUnit), start, end },
        priority: unitPriority(ctx.config, 'equities_minute', origin),
        origin,
        ...(readyAt > ctx.nowMs ? { notBeforeMs: readyAt } : {}),
      }),
    );
  }
  return units;
}
