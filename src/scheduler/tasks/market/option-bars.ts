import { addDays, lastCompletedSession, nyDate, sessionDatesBetween } from '../../../calendar/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import type { CapabilitySettings } from '../../settings.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext, TaskPlanner } from '../types.js';
import { coverageSpans } from './coverage.js';
import { historyStart, usableCapability } from './gate.js';
import { runRange, runsOf, type Owed } from './runs.js';
import { targetUnderliers } from './targets.js';

const MINUTE = 60_000;
/** Sessions re-checked for chain-sourced bars when backfill.yml has no options_bars target. */
const FORWARD_SESSIONS = 5;
/** A contracts reference snapshot stands for the sessions up to this many days after its as_of. */
const CONTRACTS_VALID_DAYS = 45;
/** The OCC tail after the root: yymmdd, C/P, strike × 1000 on 8 digits. */
const OCC_TAIL = 15;

/** The OCC root of an underlying as contract symbols spell it (`BRK.B` → `BRKB`). */
export function occRoot(underlying: string): string {
  return underlying.replace(/[^A-Z0-9]/g, '').slice(0, 6);
}

interface SessionWindow {
  start: string;
  end: string;
}

function barsWindow(ctx: PlanContext, capability: CapabilitySettings): SessionWindow {
  const end = lastCompletedSession(ctx.nowMs, capability.availableAfterCloseMinutes * MINUTE);
  const target = ctx.config.backfill.targets.options_bars;
  const floors: string[] = [];
  if (target === undefined || !target.enabled) floors.push(sessionDatesBetween(addDays(end, -14), end).slice(-FORWARD_SESSIONS)[0] ?? end);
  else {
    floors.push(target.earliest);
    if (target.lookback_days !== undefined) floors.push(addDays(nyDate(ctx.nowMs), -target.lookback_days));
  }
  const fixed = historyStart(ctx, capability.endpoint);
  if (fixed !== null) floors.push(fixed);
  const start = floors.reduce((a, b) => (a > b ? a : b));
  return { start: start > end ? end : start, end };
}

/** contracts per `${root}|${date}` from the chain snapshots of those sessions (any vendor). */
async function chainContracts(ctx: PlanContext, underliers: readonly string[], window: SessionWindow): Promise<Map<string, string[]>> {
  const rows = await ctx.lake.query<{ underlying: string; date: string; contracts: string[] }>(
    `SELECT underlying, date, list(DISTINCT contract ORDER BY contract) AS contracts FROM raw_options_chain
     WHERE date BETWEEN ?::DATE AND ?::DATE AND list_contains(?::VARCHAR[], underlying) AND expiration >= date
     GROUP BY underlying, date`,
    [window.start, window.end, [...underliers]],
  );
  return new Map(rows.map((r) => [`${occRoot(r.underlying)}|${r.date}`, [...r.contracts]]));
}

interface ContractListing {
  asOf: string;
  contract: string;
  expiration: string;
}

/** The options_contracts reference snapshots of the underliers, per OCC root, oldest as_of first. */
async function referenceContracts(ctx: PlanContext, underliers: readonly string[]): Promise<Map<string, ContractListing[]>> {
  if ((await ctx.lake.referenceFiles('options_contracts')).length === 0) return new Map();
  const rows = await ctx.lake.query<{ underlying: string; as_of: string; contract: string; expiration: string }>(
    `SELECT DISTINCT underlying, as_of, contract, expiration FROM ref_options_contracts
     WHERE list_contains(?::VARCHAR[], underlying) ORDER BY as_of, contract`,
    [[...underliers]],
  );
  const out = new Map<string, ContractListing[]>();
  for (const r of rows) {
    const root = occRoot(r.underlying);
    const list = out.get(root) ?? [];
    list.push({ asOf: r.as_of, contract: r.contract, expiration: r.expiration });
    out.set(root, list);
  }
  return out;
}

/** Contracts of the newest reference snapshot taken on or before `date` (and recent enough), live on `date`. */
function listedOn(listings: readonly ContractListing[], date: string): string[] {
  let asOf: string | undefined;
  for (const l of listings) if (l.asOf <= date && l.asOf >= addDays(date, -CONTRACTS_VALID_DAYS)) asOf = l.asOf;
  if (asOf === undefined) return [];
  return [...new Set(listings.filter((l) => l.asOf === asOf && l.expiration >= date).map((l) => l.contract))].sort();
}

/** `${root}|${date}` pairs some completed or queued options-bars unit already answers. */
async function doneOrQueued(ctx: PlanContext, window: SessionWindow): Promise<Set<string>> {
  const pairs = new Set<string>();
  const add = (contract: string, start: string, end: string): void => {
    for (const date of sessionDatesBetween(start < window.start ? window.start : start, end > window.end ? window.end : end)) pairs.add(`${contract.slice(0, -OCC_TAIL)}|${date}`);
  };
  for (const span of await coverageSpans(ctx.lake, 'options_bars', { vendors: ['alpaca'], endOnOrAfter: window.start })) add(span.scope, span.start, span.end);
  const units = [...(await ctx.state.listQueue({ status: 'queued', vendor: 'alpaca' })), ...(await ctx.state.listQueue({ status: 'leased', vendor: 'alpaca' }))];
  for (const unit of units) {
    if (unit.endpoint !== 'alpaca.options.bars') continue;
    const { symbols, start, end } = unit.params as { symbols?: string[]; start?: string; end?: string };
    if (symbols?.[0] !== undefined && start !== undefined) add(symbols[0], start, end ?? start);
  }
  return pairs;
}

/**
 * alpaca_options_bars → options_bars: daily bars of the target underliers' contracts, per
 * session. Contracts come from that session's chain snapshot (forward) or, for older sessions,
 * from the newest options_contracts reference snapshot before it (backfill, with a backfill.yml
 * options_bars target). An underlier-session is owed until a unit for it has completed or is
 * queued (its contracts are planned together). ≤ 100 contracts a unit (the endpoint's cap);
 * consecutive sessions with the same contract list share a unit, up to chunk_days.
 */
export const alpacaOptionsBarsPlanner: TaskPlanner = {
  task: 'alpaca_options_bars',
  async plan(ctx: PlanContext): Promise<QueueUnitInput[]> {
    const capability = await usableCapability(ctx, 'alpaca.options.bars');
    if (capability === undefined) return [];
    const window = barsWindow(ctx, capability);
    const underliers = await targetUnderliers(ctx, 'alpaca_options_bars', window.end);
    if (underliers.length === 0) return [];
    const [chains, listings, done] = await Promise.all([chainContracts(ctx, underliers, window), referenceContracts(ctx, underliers), doneOrQueued(ctx, window)]);
    const sessions = sessionDatesBetween(window.start, window.end).reverse();
    const target = ctx.config.backfill.targets.options_bars;
    const chunkDays = target?.enabled ? target.chunk_days : 1;
    const units: QueueUnitInput[] = [];
    for (const root of [...new Set(underliers.map(occRoot))].sort()) {
      const owed: Owed[] = [];
      for (const date of sessions) {
        if (done.has(`${root}|${date}`)) continue;
        const contracts = chains.get(`${root}|${date}`) ?? listedOn(listings.get(root) ?? [], date);
        if (contracts.length > 0) owed.push({ date, symbols: contracts });
      }
      for (const run of runsOf(owed, chunkDays)) units.push(...barUnits(ctx, capability, run, window.end));
    }
    return units;
  },
};

function barUnits(ctx: PlanContext, capability: CapabilitySettings, run: readonly Owed[], newest: string): QueueUnitInput[] {
  const { start, end } = runRange(run);
  const contracts = (run[0] as Owed).symbols;
  const perUnit = capability.symbolsPerRequest === 'all' ? contracts.length : Math.max(1, capability.symbolsPerRequest);
  const origin = end === newest ? 'forward' : 'backfill';
  const units: QueueUnitInput[] = [];
  for (let i = 0; i < contracts.length; i += perUnit) {
    units.push(
      fetchUnit({
        endpoint: 'alpaca.options.bars',
        dataset: 'options_bars',
        params: { symbols: contracts.slice(i, i + perUnit), start, end },
        priority: unitPriority(ctx.config, 'options_bars', origin),
        origin,
      }),
    );
  }
  return units;
}
