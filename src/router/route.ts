import { addDays, nyDate, sessionOf } from '../calendar/index.js';
import type { DatasetName, EndpointId, LedgerRow, VendorId } from '../catalog/index.js';

/** One capability as the router sees it (from configs/endpoints.yml), for every vendor, keyed or not. */
export interface RouteCapability {
  vendor: VendorId;
  endpoint: EndpointId;
  role: 'primary' | 'alternate';
  unique: boolean | 'partial';
  weight: number;
  symbolsPerRequest: number | 'all';
  rowsPerPage: number | null;
  historyDays: number | null;
  historyStart: string | null;
  availableAfterCloseMinutes: number;
  entitlement: 'free' | 'premium' | 'probe';
}

/** Live inputs: what is keyed, denied, frozen, spent, and what the ledger says of this partition. */
export interface RouteInputs {
  dataset: DatasetName;
  /** The New York session the partition is for. */
  date: string;
  nowMs: number;
  capabilities: readonly RouteCapability[];
  configured: ReadonlySet<VendorId>;
  denied: readonly { vendor: VendorId; endpoint: EndpointId; reason: string | null; untilMs: number | null }[];
  frozen: readonly { vendor: VendorId; untilMs: number; reason: string }[];
  /** Spend today; `budget` the whole day's cap, `backfillBudget` what backfill may spend at this instant. */
  budgets: Partial<Record<VendorId, { spent: number; budget: number | null; backfillBudget?: number | null }>>;
  /** The ledger row of (dataset, date), when the audit has graded it. */
  ledger?: LedgerRow | undefined;
  /** Symbols the partition should hold (for the cost of multi-symbol endpoints). */
  universeSize: number;
}

export interface ScoreParts {
  is_unique: number;
  coverage_gap: number;
  budget_headroom: number;
  recency_need: number;
  duplication_risk: number;
}

export interface PlannedVendor {
  rank: number;
  vendor: VendorId;
  endpoint: EndpointId;
  role: 'primary' | 'alternate';
  /** 3·is_unique + 2·coverage_gap + 1·budget_headroom + 1·recency_need − 2·duplication_risk (spec §PR-4). */
  score: number;
  parts: ScoreParts;
  /** Requests this endpoint needs to fill the partition for the universe. */
  requestsPerPartition: number;
}

export interface ExcludedVendor {
  vendor: VendorId;
  endpoint: EndpointId;
  reason: string;
}

export interface RoutePlan {
  dataset: DatasetName;
  date: string;
  plan: PlannedVendor[];
  excluded: ExcludedVendor[];
}

const WEIGHTS = { is_unique: 3, coverage_gap: 2, budget_headroom: 1, recency_need: 1, duplication_risk: -2 } as const;
const MINUTE = 60_000;

/**
 * The ordered vendor plan for one partition. Pure: everything live (keys, entitlements, freezes,
 * budgets, the ledger) comes in as data, and every vendor that cannot serve the partition now is
 * listed with the reason instead of being ranked — so a vendor the plan leaves out is never the
 * only one asked (the original silenced Alpaca's EOD by ranking Polygon first regardless).
 */
export function route(inputs: RouteInputs): RoutePlan {
  const planned: Omit<PlannedVendor, 'rank'>[] = [];
  const excluded: ExcludedVendor[] = [];
  for (const capability of inputs.capabilities) {
    const reason = exclusionOf(capability, inputs);
    if (reason !== undefined) {
      excluded.push({ vendor: capability.vendor, endpoint: capability.endpoint, reason });
      continue;
    }
    const parts = scoreParts(capability, inputs);
    const score = Object.entries(parts).reduce((sum, [name, value]) => sum + WEIGHTS[name as keyof ScoreParts] * value, 0);
    planned.push({ vendor: capability.vendor, endpoint: capability.endpoint, role: capability.role, score: round(score), parts, requestsPerPartition: requestsFor(capability, inputs.universeSize) });
  }
  planned.sort(
    (a, b) =>
      b.score - a.score ||
      (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1) ||
      a.requestsPerPartition - b.requestsPerPartition ||
      weightOf(b, inputs) - weightOf(a, inputs) ||
      (a.vendor < b.vendor ? -1 : 1),
  );
  return { dataset: inputs.dataset, date: inputs.date, plan: planned.map((p, i) => ({ rank: i + 1, ...p })), excluded };
}

function exclusionOf(capability: RouteCapability, inputs: RouteInputs): string | undefined {
  const live = vendorExclusion(capability, inputs);
  if (live !== undefined) return live;
  if (capability.historyStart !== null && inputs.date < capability.historyStart) return `before the vendor's history (${capability.historyStart})`;
  if (capability.historyDays !== null && capability.historyDays > 0 && inputs.date < addDays(nyDate(inputs.nowMs), -capability.historyDays + 1)) {
    return `older than the free tier's ${capability.historyDays}-day window`;
  }
  const session = sessionOf(inputs.date);
  if (session && capability.availableAfterCloseMinutes > 0 && session.closeMs + capability.availableAfterCloseMinutes * MINUTE > inputs.nowMs) {
    return `not complete at the vendor until ${new Date(session.closeMs + capability.availableAfterCloseMinutes * MINUTE).toISOString()}`;
  }
  return undefined;
}

/** What is live about the vendors right now, whatever the partition: keys, denials, freezes, spend. */
export type LiveVendorState = Pick<RouteInputs, 'nowMs' | 'configured' | 'denied' | 'frozen' | 'budgets'>;

/**
 * Why a capability cannot be used now regardless of the date asked (no key, premium, denied,
 * frozen, budget spent); undefined when it can. `origin: 'backfill'` measures spend against
 * backfill's share of the budget (`backfillBudget`) instead of the whole day.
 */
export function vendorExclusion(capability: Pick<RouteCapability, 'vendor' | 'endpoint' | 'entitlement'>, live: LiveVendorState, origin?: 'backfill' | 'forward'): string | undefined {
  const { vendor, endpoint } = capability;
  if (!live.configured.has(vendor)) return 'not configured (no key)';
  if (capability.entitlement === 'premium') return 'premium endpoint: refused on free keys';
  const denial = live.denied.find((d) => d.vendor === vendor && d.endpoint === endpoint && (d.untilMs === null || d.untilMs > live.nowMs));
  if (denial) return `entitlement denied${denial.reason ? `: ${denial.reason}` : ''}`;
  const freeze = live.frozen.find((f) => f.vendor === vendor && f.untilMs > live.nowMs);
  if (freeze) return `frozen until ${new Date(freeze.untilMs).toISOString()}: ${freeze.reason}`;
  const budget = live.budgets[vendor];
  if (budget && budget.budget !== null && budget.spent >= budget.budget) return `daily budget spent (${budget.spent}/${budget.budget})`;
  const share = budget?.backfillBudget;
  if (origin === 'backfill' && budget && share !== undefined && share !== null && budget.spent >= share) {
    return `backfill share of the daily budget spent (${budget.spent}/${share}; the rest is the forward reserve)`;
  }
  return undefined;
}

function scoreParts(capability: RouteCapability, inputs: RouteInputs): ScoreParts {
  const budget = inputs.budgets[capability.vendor];
  const headroom = budget === undefined || budget.budget === null || budget.budget <= 0 ? 1 : Math.max(0, (budget.budget - budget.spent) / budget.budget);
  const vendorRows = inputs.ledger ? (JSON.parse(inputs.ledger.vendor_rows) as Record<string, number>) : {};
  const ageDays = Math.max(0, (Date.parse(`${nyDate(inputs.nowMs)}T00:00:00Z`) - Date.parse(`${inputs.date}T00:00:00Z`)) / 86_400_000);
  return {
    is_unique: capability.unique === true ? 1 : capability.unique === 'partial' ? 0.5 : 0,
    coverage_gap: round(inputs.ledger ? 1 - inputs.ledger.ratio : 1),
    budget_headroom: round(headroom),
    // Today's sessions matter most; the need fades linearly over two years of history.
    recency_need: round(Math.max(0, 1 - ageDays / 730)),
    duplication_risk: (vendorRows[capability.vendor] ?? 0) > 0 ? 1 : 0,
  };
}

/** Requests to cover one session for the universe: whole-market endpoints cost one. */
export function requestsFor(capability: Pick<RouteCapability, 'symbolsPerRequest' | 'rowsPerPage'>, universeSize: number): number {
  if (capability.symbolsPerRequest === 'all') return 1;
  const batches = Math.ceil(Math.max(1, universeSize) / capability.symbolsPerRequest);
  const pages = capability.rowsPerPage === null ? 1 : Math.ceil(Math.max(1, universeSize) / capability.rowsPerPage);
  return Math.max(batches, pages);
}

function weightOf(planned: Omit<PlannedVendor, 'rank'>, inputs: RouteInputs): number {
  return inputs.capabilities.find((c) => c.vendor === planned.vendor && c.endpoint === planned.endpoint)?.weight ?? 0;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
