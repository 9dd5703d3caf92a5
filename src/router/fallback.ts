import type { DatasetName, EndpointId, VendorId } from '../catalog/index.js';
import { vendorExclusion, type LiveVendorState, type RouteCapability } from './route.js';

/** A capability with the dataset it serves (the router's view of one endpoints.yml row). */
export interface DatasetCapability extends RouteCapability {
  dataset: DatasetName;
}

/**
 * Datasets whose alternates keep running beside the primary, for cross-vendor verification
 * (spec §9: one canonical primary, alternates kept for audit). Elsewhere an alternate is a fallback.
 */
export const CROSS_VERIFIED_DATASETS: ReadonlySet<DatasetName> = new Set<DatasetName>(['equities_eod']);

export type VendorActivityStatus = 'active' | 'standby' | 'excluded';

export interface VendorActivity {
  /** 1 = the dataset's first choice: primary first, then weight, then requests left today, then name. */
  rank: number;
  vendor: VendorId;
  endpoint: EndpointId;
  role: 'primary' | 'alternate';
  status: VendorActivityStatus;
  /** Why: `primary`, `cross-verification alternate`, `fallback: …`, `standby: …`, or the exclusion. */
  reason: string;
}

export interface DatasetVendorPlan {
  dataset: DatasetName;
  nowMs: number;
  /** Vendors with at least one active capability, best-ranked first. */
  active: VendorId[];
  capabilities: VendorActivity[];
}

export interface ActiveVendorsInput extends LiveVendorState {
  dataset: DatasetName;
  /** The dataset's capabilities, keyed or not (others are ignored). */
  capabilities: readonly DatasetCapability[];
  /** Whether alternates run beside the primary (cross-verification) or only in its place. */
  keepAlternates: boolean;
  /** `backfill` measures budgets against backfill's share; default: the whole day. */
  origin?: 'backfill' | 'forward';
}

/**
 * Which vendors work on a dataset now, and why each other one does not. Pure. The best-ranked
 * vendor that is not excluded leads (the primary when it can; else the next one, as a fallback);
 * the other usable vendors run too when the dataset keeps alternates for cross-verification, and
 * otherwise wait on standby. Called every cycle, so work returns to a vendor as soon as its
 * exclusion (freeze, spent budget, denial) ends.
 */
export function activeVendors(input: ActiveVendorsInput): DatasetVendorPlan {
  // Primary first, then weight, then the most requests left today (unique-first → highest limit), then name.
  const headroom = (vendor: VendorId): number => {
    const b = input.budgets[vendor];
    return b === undefined || b.budget === null ? Number.POSITIVE_INFINITY : b.budget - b.spent;
  };
  const ranked = input.capabilities
    .filter((c) => c.dataset === input.dataset)
    .sort(
      (a, b) =>
        (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1) ||
        b.weight - a.weight ||
        (headroom(a.vendor) === headroom(b.vendor) ? 0 : headroom(b.vendor) > headroom(a.vendor) ? 1 : -1) ||
        (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : 0) ||
        (a.endpoint < b.endpoint ? -1 : 1),
    );
  const exclusions = ranked.map((c) => vendorExclusion(c, input, input.origin));
  const leaderIndex = exclusions.findIndex((reason) => reason === undefined);
  const leader = ranked[leaderIndex];
  const skipped = ranked
    .slice(0, Math.max(0, leaderIndex))
    .filter((c) => c.vendor !== leader?.vendor)
    .map((c, i) => `${c.vendor} ${exclusions[i] ?? ''}`.trim());
  const capabilities = ranked.map((c, i): VendorActivity => {
    const base = { rank: i + 1, vendor: c.vendor, endpoint: c.endpoint, role: c.role };
    const excluded = exclusions[i];
    if (excluded !== undefined) return { ...base, status: 'excluded', reason: excluded };
    if (leader !== undefined && c.vendor === leader.vendor) {
      const why = c.role === 'primary' ? 'primary' : skipped.length === 0 ? 'first-ranked vendor' : `fallback: ${[...new Set(skipped)].join('; ')}`;
      return { ...base, status: 'active', reason: why };
    }
    if (input.keepAlternates) return { ...base, status: 'active', reason: 'cross-verification alternate' };
    return { ...base, status: 'standby', reason: `standby: ${leader?.vendor ?? 'another vendor'} serves ${input.dataset}` };
  });
  const active = [...new Set(capabilities.filter((c) => c.status === 'active').map((c) => c.vendor))];
  return { dataset: input.dataset, nowMs: input.nowMs, active, capabilities };
}

/** Plans for every dataset the capabilities name. */
export function planDatasets(input: LiveVendorState & { capabilities: readonly DatasetCapability[]; crossVerified?: ReadonlySet<DatasetName>; origin?: 'backfill' | 'forward' }): Map<DatasetName, DatasetVendorPlan> {
  const crossVerified = input.crossVerified ?? CROSS_VERIFIED_DATASETS;
  const plans = new Map<DatasetName, DatasetVendorPlan>();
  for (const dataset of new Set(input.capabilities.map((c) => c.dataset))) {
    plans.set(dataset, activeVendors({ ...input, dataset, keepAlternates: crossVerified.has(dataset) }));
  }
  return plans;
}

/**
 * The predicate task planners take: may this vendor get work for this dataset (and endpoint) now?
 * A dataset or capability the plans do not know is allowed: the fallback never silences work it
 * cannot reason about (the original silenced Alpaca's EOD by ranking alone).
 */
export function vendorActivePredicate(plans: ReadonlyMap<DatasetName, DatasetVendorPlan>): (task: { vendor: VendorId; dataset: DatasetName; endpoint?: EndpointId }) => boolean {
  return (task) => {
    const plan = plans.get(task.dataset);
    if (!plan) return true;
    const rows = plan.capabilities.filter((c) => c.vendor === task.vendor && (task.endpoint === undefined || c.endpoint === task.endpoint));
    if (rows.length === 0) return true;
    return rows.some((c) => c.status === 'active');
  };
}
