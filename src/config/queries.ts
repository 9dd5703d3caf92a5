import type { DatasetName, VendorId } from '../catalog/index.js';
import type { TaskName } from './tasks.js';
import type { BackfillTarget, Capability, EdgeConfig, EndpointsConfig, TrademlConfig } from './types.js';

const DAY_MS = 86_400_000;

/** `date` shifted by `days` calendar days (YYYY-MM-DD in, YYYY-MM-DD out). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function laterOf(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a;
}

/** A dataset's capabilities: the primary first, then by weight (highest first), then file order. */
export function capabilitiesFor(endpoints: EndpointsConfig, dataset: DatasetName): Capability[] {
  const rank = (c: Capability): number => (c.role === 'primary' ? 1 : 0);
  return endpoints.capabilities
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => c.dataset === dataset)
    .sort((a, b) => rank(b.c) - rank(a.c) || b.c.weight - a.c.weight || a.index - b.index)
    .map(({ c }) => c);
}

/** Vendors serving a dataset, in `capabilitiesFor` order. */
export function providersFor(endpoints: EndpointsConfig, dataset: DatasetName): VendorId[] {
  return [...new Set(capabilitiesFor(endpoints, dataset).map((c) => c.vendor))];
}

export function enabledTasks(edge: EdgeConfig): TaskName[] {
  return edge.tasks.filter((t) => t.enabled).map((t) => t.name);
}

/** First session a target wants today: the later of `earliest` and `today − lookback_days`. */
export function targetWindowStart(target: BackfillTarget, today: string): string {
  const rolling = target.lookback_days === undefined ? undefined : addDays(today, -target.lookback_days);
  return laterOf(target.earliest, rolling);
}

/** Oldest date a capability can serve today (its fixed start and rolling window combined); undefined = unbounded. */
export function earliestAvailable(capability: Capability, today: string): string | undefined {
  const rolling = capability.history_days === null ? undefined : addDays(today, -capability.history_days);
  const fixed = capability.history_start ?? undefined;
  if (fixed === undefined) return rolling;
  return laterOf(fixed, rolling);
}

/**
 * Requests backfill may spend on a vendor per day: its own budget, capped by what edge.yml leaves
 * after the forward reserve. Undefined when neither file budgets the vendor.
 */
export function backfillAllowance(config: TrademlConfig, vendor: VendorId): number | undefined {
  const own = config.backfill.policy.daily_api_budget[vendor];
  const total = config.edge.policy.daily_api_budget[vendor] ?? config.endpoints.providers[vendor]?.daily_budget;
  const left = total === undefined ? undefined : Math.floor(total * (1 - config.edge.policy.forward_reserve_pct / 100));
  if (own === undefined) return left;
  return left === undefined ? own : Math.min(own, left);
}
