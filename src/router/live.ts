import type { DatasetName, VendorId } from '../catalog/index.js';
import type { TrademlConfig } from '../config/index.js';
import { budgetCapFor, spentToday, type VendorLimits } from '../pacing/index.js';
import type { StateStore } from '../state/index.js';
import { planDatasets, type DatasetCapability, type DatasetVendorPlan } from './fallback.js';
import type { LiveVendorState } from './route.js';

/** Every capability of endpoints.yml as the router sees it (optionally one dataset's). */
export function routeCapabilitiesOf(config: TrademlConfig, dataset?: DatasetName): DatasetCapability[] {
  return config.endpoints.capabilities
    .filter((c) => dataset === undefined || c.dataset === dataset)
    .map((c) => ({
      dataset: c.dataset,
      vendor: c.vendor,
      endpoint: c.endpoint,
      role: c.role,
      unique: c.unique,
      weight: c.weight,
      symbolsPerRequest: c.symbols_per_request,
      rowsPerPage: c.rows_per_page,
      historyDays: c.history_days,
      historyStart: c.history_start,
      availableAfterCloseMinutes: c.available_after_close_minutes,
      entitlement: c.entitlement,
    }));
}

/**
 * Reads what the fallback decision needs from the state store: denied capabilities, frozen
 * vendors, and each vendor's spend today against its whole budget and backfill's current share.
 */
export async function readLiveVendorState(
  state: StateStore,
  options: { nowMs: number; configured: Iterable<VendorId>; limits: Partial<Record<VendorId, VendorLimits>>; reserveReleaseMs?: number },
): Promise<LiveVendorState> {
  const { nowMs } = options;
  const budgets: LiveVendorState['budgets'] = {};
  for (const [vendor, limits] of Object.entries(options.limits) as [VendorId, VendorLimits][]) {
    const share = budgetCapFor(limits, 'backfill', nowMs, options.reserveReleaseMs ?? 3_600_000);
    budgets[vendor] = { spent: await spentToday(state, vendor, nowMs), budget: limits.dailyBudget ?? null, backfillBudget: share?.cap ?? null };
  }
  return {
    nowMs,
    configured: new Set(options.configured),
    denied: (await state.listCapabilityStatus()).filter((c) => c.status === 'denied'),
    frozen: (await state.listVendorHealth()).filter((h) => h.frozenUntilMs !== null).map((h) => ({ vendor: h.vendor, untilMs: h.frozenUntilMs as number, reason: h.reason ?? 'frozen' })),
    budgets,
  };
}

/** The adapter the loop calls each cycle: live state from the store → a plan per dataset. */
export async function livePlans(
  state: StateStore,
  options: { config: TrademlConfig; nowMs: number; configured: Iterable<VendorId>; limits: Partial<Record<VendorId, VendorLimits>>; origin?: 'backfill' | 'forward'; crossVerified?: ReadonlySet<DatasetName> },
): Promise<Map<DatasetName, DatasetVendorPlan>> {
  const live = await readLiveVendorState(state, options);
  return planDatasets({
    ...live,
    capabilities: routeCapabilitiesOf(options.config),
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.crossVerified ? { crossVerified: options.crossVerified } : {}),
  });
}
