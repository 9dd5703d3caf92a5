import { addDays, isSession, nextSession, previousSession } from '../../calendar/index.js';
import { createRng, type Rng } from './random.js';
import type { UniverseMember } from './universe.js';

export type PlannedEvent =
  | { kind: 'split'; index: number; newShares: number; oldShares: number }
  | { kind: 'dividend'; index: number; yieldPct: number };

export interface SymbolPlan {
  /** Ascending by session index; never two on one index. */
  events: PlannedEvent[];
  /** Price level of the first bar's reference (the close "before" it). */
  startPrice: number;
}

const FORWARD_RATIOS: ReadonlyArray<readonly [number, number]> = [[2, 1], [3, 1], [4, 1], [3, 2]];
const REVERSE_RATIOS: ReadonlyArray<readonly [number, number]> = [[1, 5], [1, 10]];
/** Sessions in a quarter, roughly: quarterly dividends step by this ± 2. */
const QUARTER = 63;

/**
 * Decides which symbols split (~5 % forward, ~2 % reverse) and pay quarterly dividends (~35 %), and
 * on which sessions. At least one forward split, one reverse split and three dividend payers are
 * placed on symbols listed throughout the window whatever the seed, so tests can rely on them.
 */
export function planActions(seed: number, members: readonly UniverseMember[], sessionCount: number): Map<string, SymbolPlan> {
  const rng = createRng(seed, 'actions');
  const plans = new Map<string, SymbolPlan>();
  for (const m of members) plans.set(m.info.symbol, { events: [], startPrice: rng.logUniform(8, 400) });
  if (sessionCount < 3 || members.length === 0) return plans;

  const regular = rng.shuffle(members.filter((m) => !m.listing.ipo && !m.listing.delisted));
  const others = rng.shuffle(members.filter((m) => m.listing.ipo || m.listing.delisted));
  const candidates = [...regular, ...others];
  const n = members.length;
  const forward = Math.max(1, Math.round(n * 0.05));
  const reverse = Math.max(1, Math.round(n * 0.02));
  const payers = Math.max(Math.min(n, 3), Math.round(n * 0.35));

  // Splitters come from the front of the list (listed throughout when possible); a one-symbol market
  // puts both splits on the same symbol, on different sessions.
  candidates.slice(0, forward).forEach((m) => addSplit(rng, plans, m, rng.pick(FORWARD_RATIOS), 150, 500));
  const reversers = candidates.length > forward ? candidates.slice(forward, forward + reverse) : candidates.slice(0, reverse);
  reversers.forEach((m) => addSplit(rng, plans, m, rng.pick(REVERSE_RATIOS), 5, 12));

  const payerOrder = [...regular, ...others];
  for (const m of payerOrder.slice(0, payers)) addDividends(rng, plans.get(m.info.symbol) as SymbolPlan, m);
  for (const plan of plans.values()) plan.events.sort((a, b) => a.index - b.index);
  return plans;
}

function addSplit(
  rng: Rng,
  plans: Map<string, SymbolPlan>,
  member: UniverseMember,
  [newShares, oldShares]: readonly [number, number],
  priceLo: number,
  priceHi: number,
): void {
  const plan = plans.get(member.info.symbol) as SymbolPlan;
  const { firstIndex, endIndex } = member.listing;
  const len = endIndex - firstIndex;
  if (len < 3) return;
  const margin = Math.floor(len * 0.1);
  const free = freeIndex(rng, plan, firstIndex + 1 + margin, endIndex - 1 - margin);
  if (free === undefined) return;
  plan.events.push({ kind: 'split', index: free, newShares, oldShares });
  if (plan.events.length === 1) plan.startPrice = rng.logUniform(priceLo, priceHi);
}

function addDividends(rng: Rng, plan: SymbolPlan, member: UniverseMember): void {
  const { firstIndex, endIndex } = member.listing;
  const len = endIndex - firstIndex;
  if (len < 2) return;
  const yieldPct = rng.uniform(0.003, 0.01);
  const taken = new Set(plan.events.map((e) => e.index));
  for (let index = firstIndex + rng.int(1, Math.min(QUARTER, len - 1)); index < endIndex; index += rng.int(QUARTER - 2, QUARTER + 2)) {
    const at = taken.has(index) ? index + 1 : index;
    if (at >= endIndex || taken.has(at)) continue;
    taken.add(at);
    plan.events.push({ kind: 'dividend', index: at, yieldPct });
  }
}

/** A random session index in [lo, hi] not already holding an event of this symbol. */
function freeIndex(rng: Rng, plan: SymbolPlan, lo: number, hi: number): number | undefined {
  if (hi < lo) return undefined;
  const taken = new Set(plan.events.map((e) => e.index));
  const start = rng.int(lo, hi);
  for (let k = 0; k <= hi - lo; k++) {
    const index = lo + ((start - lo + k) % (hi - lo + 1));
    if (!taken.has(index)) return index;
  }
  return undefined;
}

function sessionOnOrBefore(date: string): string {
  return isSession(date) ? date : previousSession(date);
}

/** Announcement, record, payable and processing dates around a split's ex-date. */
export function splitDates(rng: Rng, exDate: string, reverse: boolean) {
  return {
    declaredDate: addDays(exDate, -rng.int(14, 45)),
    recordDate: reverse ? exDate : sessionOnOrBefore(addDays(exDate, -rng.int(7, 10))),
    // Forward splits are paid the session before they go ex (vendor notes: payable can precede ex).
    payableDate: reverse ? exDate : previousSession(exDate),
    processDate: addDays(exDate, rng.int(0, 3)),
  };
}

/** T+1 settlement (from 2024-05-28) puts the record date on the ex-date; before, one session later. */
export function dividendDates(rng: Rng, exDate: string) {
  const recordDate = exDate >= '2024-05-28' ? exDate : nextSession(exDate);
  return {
    declaredDate: addDays(exDate, -rng.int(14, 40)),
    recordDate,
    payDate: addDays(recordDate, rng.int(7, 28)),
    processDate: addDays(exDate, rng.int(0, 3)),
  };
}
