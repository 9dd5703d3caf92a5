import { lastCompletedSession, nyDate, previousSession, sessionOf } from '../../../calendar/index.js';
import { vendorOfEndpoint, type EndpointId } from '../../../catalog/index.js';
import type { TaskName } from '../../../config/index.js';
import type { QueueUnitInput } from '../../../state/index.js';
import type { CapabilitySettings } from '../../settings.js';
import { fetchUnit } from '../fetch-unit.js';
import { unitPriority } from '../priority.js';
import type { PlanContext, TaskPlanner } from '../types.js';
import { coverageSpans } from './coverage.js';
import { needsProbe, usableCapability } from './gate.js';
import { targetUnderliers } from './targets.js';

const MINUTE = 60_000;
/**
 * How long after the primary's data is due the alternate waits before filling an underlier the
 * primary has not captured (the primary may still be working through its queue).
 */
export const ALTERNATE_GRACE_MS = 120 * MINUTE;

/**
 * The session a chain captured at `ms` describes (both vendors' fetchers date rows this way):
 * today's once it has opened, else the previous one.
 */
export function snapshotSessionAt(ms: number): string {
  const today = nyDate(ms);
  const session = sessionOf(today);
  return session !== undefined && session.openMs <= ms ? today : previousSession(today);
}

/**
 * The session a chain taken now would be the daily snapshot of: the last completed session, once
 * its data has settled, and only until the next session opens (a capture then describes that
 * session). Undefined while a session is in progress: its snapshot is due after its close.
 */
export function snapshotSession(nowMs: number, capability: CapabilitySettings): string | undefined {
  const settled = lastCompletedSession(nowMs, capability.availableAfterCloseMinutes * MINUTE);
  return snapshotSessionAt(nowMs) === settled ? settled : undefined;
}

/** Underliers some vendor already captured (even an empty chain) for `session`. */
async function capturedOn(ctx: PlanContext, session: string): Promise<Set<string>> {
  const spans = await coverageSpans(ctx.lake, 'options_chain', { endOnOrAfter: session });
  return new Set(spans.filter((s) => snapshotSessionAt(Date.parse(s.recordedAt)) === session).map((s) => s.scope));
}

/** Whether a probed capability has answered once (any completed unit's coverage), i.e. is entitled. */
async function probed(ctx: PlanContext, endpoint: EndpointId): Promise<boolean> {
  if (!needsProbe(ctx, endpoint)) return true;
  const dataset = ctx.config.endpoints.capabilities.find((c) => c.endpoint === endpoint)?.dataset;
  if (dataset === undefined) return false;
  return (await coverageSpans(ctx.lake, dataset, { endpoints: [endpoint] })).length > 0;
}

function chainUnit(ctx: PlanContext, endpoint: 'alpaca.options.chain' | 'finnhub.option_chain', underlier: string, session: string): QueueUnitInput {
  return fetchUnit({
    endpoint,
    dataset: 'options_chain',
    params: { symbols: [underlier] },
    priority: unitPriority(ctx.config, 'options_chain', 'forward'),
    origin: 'forward',
    tag: `as-of=${session}`,
  });
}

/**
 * One snapshot per target underlier and session, taken between the session's settle time and the
 * next open; tagged `as-of=<session>` so re-planning the same evening never duplicates it. Chains
 * cannot be backfilled (a snapshot is of now; past chains are options_chain_hist). An endpoint
 * whose free-tier access is uncertain (entitlement: probe) gets one unit until it has answered once.
 */
function chainPlanner(task: TaskName, endpoint: 'alpaca.options.chain' | 'finnhub.option_chain', alternateOf?: 'alpaca.options.chain'): TaskPlanner {
  return {
    task,
    async plan(ctx: PlanContext): Promise<QueueUnitInput[]> {
      const capability = await usableCapability(ctx, endpoint);
      if (capability === undefined) return [];
      const session = snapshotSession(ctx.nowMs, capability);
      if (session === undefined) return [];
      if (alternateOf !== undefined && !(await primaryMissed(ctx, alternateOf, session))) return [];
      const captured = await capturedOn(ctx, session);
      // The alternate leaves alone what the primary still has queued: it fills misses, not the primary's backlog.
      const pending = alternateOf === undefined ? new Set<string>() : await pendingUnderliers(ctx, alternateOf, session);
      const owed = (await targetUnderliers(ctx, task, session)).filter((u) => !captured.has(u) && !pending.has(u));
      const units = owed.map((u) => chainUnit(ctx, endpoint, u, session));
      return (await probed(ctx, endpoint)) ? units : units.slice(0, 1);
    },
  };
}

/** Underliers with a queued or leased chain unit of `endpoint` for `session`. */
async function pendingUnderliers(ctx: PlanContext, endpoint: EndpointId, session: string): Promise<Set<string>> {
  const vendor = vendorOfEndpoint(endpoint);
  const open = [...(await ctx.state.listQueue({ status: 'queued', vendor })), ...(await ctx.state.listQueue({ status: 'leased', vendor }))];
  const tag = `as-of=${session}`;
  return new Set(open.filter((u) => u.endpoint === endpoint && u.identity.endsWith(tag)).flatMap((u) => (Array.isArray(u.params.symbols) ? (u.params.symbols as string[]) : [])));
}

/** The alternate fills in when the primary cannot serve, or has had its grace period for `session`. */
async function primaryMissed(ctx: PlanContext, primary: EndpointId, session: string): Promise<boolean> {
  const capability = await usableCapability(ctx, primary);
  if (capability === undefined) return true;
  const due = (sessionOf(session)?.closeMs ?? 0) + capability.availableAfterCloseMinutes * MINUTE;
  return ctx.nowMs >= due + ALTERNATE_GRACE_MS;
}

/** alpaca_options_chain → options_chain: the primary daily snapshot. */
export const alpacaOptionsChainPlanner = chainPlanner('alpaca_options_chain', 'alpaca.options.chain');
/** finnhub_options → options_chain: the alternate, for underlier-sessions Alpaca did not capture. */
export const finnhubOptionsPlanner = chainPlanner('finnhub_options', 'finnhub.option_chain', 'alpaca.options.chain');
