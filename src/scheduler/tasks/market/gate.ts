import type { EndpointId } from '../../../catalog/index.js';
import type { TaskName, TaskSetting } from '../../../config/index.js';
import { capabilitySettingsOf, type CapabilitySettings } from '../../settings.js';
import type { PlanContext } from '../types.js';

/** The edge.yml entry of a task (options such as top_n and underliers), if the file names it. */
export function taskSetting(ctx: PlanContext, task: TaskName): TaskSetting | undefined {
  return ctx.config.edge.tasks.find((t) => t.name === task);
}

/** Whether the executor recorded this capability as refused (and the refusal has not lapsed). */
export async function isDenied(ctx: PlanContext, endpoint: EndpointId): Promise<boolean> {
  const statuses = await ctx.state.listCapabilityStatus();
  return statuses.some((s) => s.endpoint === endpoint && s.status === 'denied' && (s.untilMs === null || s.untilMs > ctx.nowMs));
}

/**
 * The capability a task may plan for now: its endpoint is enabled (edge.yml, --tasks), its vendor
 * is configured (has keys) and the vendor has not refused it. `premium` capabilities are left out
 * of the settings (free keys are refused); a task that names one and is explicitly enabled gets it
 * back from endpoints.yml, since enabling it says the key is paid — a refusal still stops it.
 */
export async function usableCapability(ctx: PlanContext, endpoint: EndpointId): Promise<CapabilitySettings | undefined> {
  if (!ctx.settings.enabledEndpoints.has(endpoint)) return undefined;
  const capability = ctx.settings.capabilities.find((c) => c.endpoint === endpoint) ?? premiumCapability(ctx, endpoint);
  if (capability === undefined) return undefined;
  return (await isDenied(ctx, endpoint)) ? undefined : capability;
}

function premiumCapability(ctx: PlanContext, endpoint: EndpointId): CapabilitySettings | undefined {
  const c = ctx.config.endpoints.capabilities.find((cap) => cap.endpoint === endpoint);
  if (c === undefined || !ctx.settings.capabilities.some((other) => other.vendor === c.vendor)) return undefined;
  return capabilitySettingsOf(c);
}

/**
 * endpoints.yml says a free key may be refused (entitlement probe or premium): one unit finds out
 * before more are planned, so a refusal costs one request instead of one per queued unit.
 */
export function needsProbe(ctx: PlanContext, endpoint: EndpointId): boolean {
  return ctx.config.endpoints.capabilities.some((c) => c.endpoint === endpoint && (c.entitlement === 'probe' || c.entitlement === 'premium'));
}

/** The fixed first date the vendor serves through this endpoint (endpoints.yml history_start), if any. */
export function historyStart(ctx: PlanContext, endpoint: EndpointId): string | null {
  return ctx.config.endpoints.capabilities.find((c) => c.endpoint === endpoint)?.history_start ?? null;
}
