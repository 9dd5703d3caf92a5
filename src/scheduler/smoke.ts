import { DATASETS, type DatasetName, type VendorId } from '../catalog/index.js';
import { TASKS, type TaskName } from '../config/index.js';
import { EntitlementDenied } from '../http/index.js';
import type { QueueUnit, QueueUnitInput } from '../state/index.js';
import { loadUniverse } from '../universe/index.js';
import { handlerFor } from './handlers.js';
import type { PipelineDeps } from './loop.js';
import type { PlanContext, TaskPlanner } from './tasks/types.js';
import type { TrademlConfig } from '../config/index.js';

export type SmokeOutcome = 'ok' | 'empty' | 'up_to_date' | 'denied' | 'failed' | 'skipped';

export interface SmokeTaskResult {
  task: TaskName;
  vendor: VendorId;
  dataset: DatasetName;
  outcome: SmokeOutcome;
  unit: string | null;
  rows: number;
  detail: string;
}

export interface SmokeTableCount {
  dataset: DatasetName;
  /** Raw datasets: session partitions; reference datasets: snapshot parts (all vendors). */
  partitions: number;
  /** True when an enabled task of a configured vendor targets this table. */
  targeted: boolean;
  /** True when every task targeting it was refused by entitlement (premium on these keys). */
  denied: boolean;
}

export interface SmokeReport {
  tasks: SmokeTaskResult[];
  tables: SmokeTableCount[];
  /** Targeted tables, not denied, with no partition at all: smoke fails on these. */
  missing: DatasetName[];
  ok: boolean;
}

/**
 * Touches one unit of every enabled task of every configured vendor — the newest one its planner
 * owes — straight through its handler (the queue is left alone, the pacer still gates every
 * request), then counts partitions per table. Fails when a table some task should fill has none.
 */
export async function runSmoke(deps: PipelineDeps & { config: TrademlConfig }, planners: readonly TaskPlanner[]): Promise<SmokeReport> {
  const enabled = new Set(deps.config.edge.tasks.filter((t) => t.enabled).map((t) => t.name));
  const configured = new Set(Object.keys(deps.clients) as VendorId[]);
  const ordered = [...planners].sort((a, b) => phaseOf(a.task) - phaseOf(b.task));
  const results: SmokeTaskResult[] = [];
  for (const planner of ordered) {
    const spec = TASKS[planner.task];
    const base = { task: planner.task, vendor: spec.vendor, dataset: spec.dataset };
    if (!enabled.has(planner.task) || !configured.has(spec.vendor)) {
      results.push({ ...base, outcome: 'skipped', unit: null, rows: 0, detail: enabled.has(planner.task) ? 'vendor not configured' : 'task disabled' });
      continue;
    }
    results.push({ ...base, ...(await touchOne(deps, planner)) });
  }
  const tables = await countTables(deps, results);
  const missing = tables.filter((t) => t.targeted && !t.denied && t.partitions === 0).map((t) => t.dataset);
  return { tasks: results, tables, missing, ok: missing.length === 0 && results.every((r) => r.outcome !== 'failed') };
}

/** Reference lists first: the other planners read the universe they build. */
function phaseOf(task: TaskName): number {
  const dataset = TASKS[task].dataset;
  return dataset === 'symbols' || dataset === 'delistings' ? 0 : 1;
}

async function touchOne(deps: PipelineDeps & { config: TrademlConfig }, planner: TaskPlanner): Promise<Omit<SmokeTaskResult, 'task' | 'vendor' | 'dataset'>> {
  const ctx: PlanContext = { lake: deps.lake, state: deps.state, config: deps.config, settings: deps.settings, nowMs: deps.clock.now(), universe: await loadUniverse(deps.lake) };
  let units: QueueUnitInput[];
  try {
    units = await planner.plan(ctx);
  } catch (error) {
    return { outcome: 'failed', unit: null, rows: 0, detail: `planning failed: ${messageOf(error)}` };
  }
  const now = deps.clock.now();
  // Units not runnable yet (a vendor's data for the newest session is not complete) are not smoke material.
  const candidates = rankNewest(units.filter((u) => (u.notBeforeMs ?? 0) <= now));
  if (candidates.length === 0) {
    return units.length === 0
      ? { outcome: 'up_to_date', unit: null, rows: 0, detail: 'nothing owed: the lake already holds what this task plans' }
      : { outcome: 'up_to_date', unit: null, rows: 0, detail: `${units.length} unit(s) owed, none runnable before ${new Date(Math.min(...units.map((u) => u.notBeforeMs ?? 0))).toISOString()}` };
  }
  // An empty answer (a symbol without splits, an underlier without listed options) is legitimate;
  // a few more units tell an empty table from a broken one.
  let last: Omit<SmokeTaskResult, 'task' | 'vendor' | 'dataset'> | undefined;
  for (const unit of candidates.slice(0, EMPTY_RETRIES)) {
    last = await runOne(deps, unit);
    if (last.outcome !== 'empty') return last;
  }
  return last as Omit<SmokeTaskResult, 'task' | 'vendor' | 'dataset'>;
}

/** Units a task may try before its answer counts as empty. */
const EMPTY_RETRIES = 3;

async function runOne(deps: PipelineDeps, unit: QueueUnitInput): Promise<Omit<SmokeTaskResult, 'task' | 'vendor' | 'dataset'>> {
  const handler = handlerFor(unit.endpoint);
  if (!handler) return { outcome: 'failed', unit: unit.identity, rows: 0, detail: `no handler for ${unit.endpoint}` };
  const now = deps.clock.now();
  const claimed: QueueUnit = { ...unit, origin: 'smoke', id: 0, status: 'leased', attempts: 1, notBeforeMs: now, leaseOwner: deps.owner, leaseExpiresAtMs: null, lastError: null, deferReason: null, createdAtMs: now, updatedAtMs: now };
  try {
    const result = await handler(claimed, { lake: deps.lake, clients: deps.clients, nowMs: () => deps.clock.now() });
    await deps.state.appendLog({ atMs: deps.clock.now(), level: 'info', event: 'smoke.done', vendor: unit.vendor, detail: { identity: unit.identity, rows: result.rows } });
    return { outcome: result.rows > 0 ? 'ok' : 'empty', unit: unit.identity, rows: result.rows, detail: `${result.partitionsWritten} partitions written, ${result.partitionsDeduped} already there` };
  } catch (error) {
    if (error instanceof EntitlementDenied) {
      // Only a whole-capability refusal is remembered; a symbol outside a free sample says nothing about the rest.
      if (error.scope === 'capability') {
        await deps.state.setCapabilityStatus({ vendor: unit.vendor, endpoint: unit.endpoint, status: 'denied', reason: messageOf(error), untilMs: null, updatedAtMs: deps.clock.now() });
        return { outcome: 'denied', unit: unit.identity, rows: 0, detail: messageOf(error) };
      }
      return { outcome: 'failed', unit: unit.identity, rows: 0, detail: messageOf(error) };
    }
    return { outcome: 'failed', unit: unit.identity, rows: 0, detail: messageOf(error) };
  }
}

/** Forward work first (the newest data), then the highest priority; identities break ties. */
function rankNewest(units: readonly QueueUnitInput[]): QueueUnitInput[] {
  const rank = (u: QueueUnitInput): number => (u.origin === 'forward' ? 2 : u.origin === 'reference' ? 1 : 0);
  return [...units].sort((a, b) => rank(b) - rank(a) || b.priority - a.priority || (a.identity < b.identity ? 1 : -1));
}

async function countTables(deps: PipelineDeps & { config: TrademlConfig }, results: readonly SmokeTaskResult[]): Promise<SmokeTableCount[]> {
  const tables: SmokeTableCount[] = [];
  for (const dataset of Object.keys(DATASETS) as DatasetName[]) {
    const touching = results.filter((r) => r.dataset === dataset && r.outcome !== 'skipped');
    const partitions = DATASETS[dataset].kind === 'raw' ? (await deps.lake.listRawPartitions(dataset)).length : (await deps.lake.referenceFiles(dataset)).length;
    tables.push({ dataset, partitions, targeted: touching.length > 0, denied: touching.length > 0 && touching.every((r) => r.outcome === 'denied') });
  }
  return tables;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
