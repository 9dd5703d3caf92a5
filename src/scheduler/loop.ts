import type { Clock } from '../clock/index.js';
import { TrademlError } from '../errors/index.js';
import { RAW_DATASETS, type LedgerRow, type VendorId } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import type { StateStore, QueueUnitInput } from '../state/index.js';
import { missingSymbols, runCuratorJobs, summarizeLedger, type CurateResult, type CuratorJobResult, type LedgerSummary } from '../ssot/index.js';
import { auditAll, type AuditAllReport } from './audit-all.js';
import { livePlans } from '../router/index.js';
import { loadUniverse, membersDuring, type UniverseMember } from '../universe/index.js';
import { TASKS, type TaskName, type TrademlConfig } from '../config/index.js';
import { runVendorExecutor, type ExecutorEvent, type ExecutorReport } from './executor.js';
import type { VendorClients } from './handlers.js';
import { eodWindow, repairUnits, type EodWindow } from './producers.js';
import { ALL_PLANNERS, REFERENCE_PLANNERS, type PlanContext, type TaskPlanner } from './tasks/index.js';
import type { PipelineSettings } from './settings.js';

/** The run was asked to stop (SIGINT/SIGTERM) between units; everything done so far is durable. */
export class ShutdownRequested extends TrademlError {
  constructor() {
    super('stopped on request: units in flight finished, the rest stay queued for the next run');
  }
}

function stopIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShutdownRequested();
}

export interface PipelineDeps {
  clock: Clock;
  lake: Lake;
  state: StateStore;
  clients: VendorClients;
  settings: PipelineSettings;
  config: TrademlConfig;
  owner: string;
}

export interface RunOnceOptions {
  /** Give up waiting for a vendor when its next runnable unit is further away than this. */
  maxWaitMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Repair rounds after the first audit (primary vendor first, then alternates). */
  repairRounds?: number;
  /** The task planners to run (default: every planner; tests narrow it). */
  planners?: readonly TaskPlanner[];
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
}

export type PipelineEvent =
  | { kind: 'phase'; phase: 'reference' | 'ingest' | 'compact' | 'audit' | 'repair' | 'curate'; detail: string }
  | { kind: 'enqueued'; phase: string; units: number; byVendor: Partial<Record<VendorId, number>> }
  | ExecutorEvent;

export interface RunOnceReport {
  window: EodWindow;
  executors: ExecutorReport[];
  ledger: LedgerSummary;
  /** equities_ohlcv_adj totals after this cycle's curation. */
  curate: CurateResult;
  /** Every curator job's result. */
  curatorJobs: CuratorJobResult[];
  /** Rollup per audited dataset (NO_SESSION days left out). */
  datasets: AuditAllReport['datasets'];
  universe: number;
  /** Units each task planned this cycle (before the queue's identity dedupe). */
  planned: Partial<Record<TaskName, number>>;
}

/**
 * Planning rounds per cycle, at most: bars → liquidity-ranked chains and minutes → the chains' option
 * bars, and option slots passed on from names without listed options. A cycle normally reaches its
 * fixpoint (nothing new planned) in 3–5 rounds; the cap only bounds a planner that never settles.
 */
const PLANNING_ROUNDS = 8;

/** Datasets every other task reads: symbol lists and delistings build the universe first. */
const REFERENCE_DATASETS = new Set(['symbols', 'delistings']);

/**
 * One pass of the node loop, in dependency order: symbol lists and delistings first (the universe),
 * then every other task — corporate actions, bars, minutes, options, fundamentals, macro — planned
 * from what the lake lacks and queued durably, then run by one executor per vendor concurrently,
 * then the audit grades every session from the lake, repair units go after what is still missing,
 * and the curator rebuilds. A crash at any point resumes where it stopped.
 */
export async function runPipelineOnce(deps: PipelineDeps, options: RunOnceOptions = {}): Promise<RunOnceReport> {
  const { clock, lake, settings } = deps;
  const emit = options.onEvent ?? (() => undefined);
  const window = eodWindow(settings, clock.now());
  const executors: ExecutorReport[] = [];
  const planners = options.planners ?? ALL_PLANNERS;
  const planned: Partial<Record<TaskName, number>> = {};
  const isReference = (p: TaskPlanner): boolean => REFERENCE_DATASETS.has(TASKS[p.task].dataset) || REFERENCE_PLANNERS.includes(p);

  emit({ kind: 'phase', phase: 'reference', detail: 'symbols, delistings and corporate actions' });
  await planAndEnqueue(deps, 'reference', planners.filter(isReference), [], planned, emit);
  executors.push(...(await drain(deps, options)));
  stopIfAsked(options.signal);

  await logRoutePlans(deps);
  const everyone = await loadUniverse(lake);
  const universe = membersDuring(everyone, window.start, window.end);
  emit({ kind: 'phase', phase: 'ingest', detail: `${universe.length} symbols, equities_eod ${window.start} .. ${window.end}, and every other enabled task` });
  // Some tasks plan from what others wrote this cycle (minute bars and option chains pick the most
  // liquid names from the daily bars; option bars follow the chains' contracts), so planning repeats
  // until no planner has anything new, a few rounds at most.
  for (let round = 0; round < PLANNING_ROUNDS; round += 1) {
    const added = await planAndEnqueue(deps, 'ingest', planners.filter((p) => !isReference(p)), everyone, planned, emit);
    if (added === 0 && round > 0) break;
    if (round === PLANNING_ROUNDS - 1) {
      await deps.state.appendLog({ atMs: clock.now(), level: 'warn', event: 'plan.unsettled', detail: { rounds: PLANNING_ROUNDS, lastAdded: added } });
    }
    executors.push(...(await drain(deps, options)));
    stopIfAsked(options.signal);
  }

  emit({ kind: 'phase', phase: 'compact', detail: 'raw partitions written in several parts' });
  await compactRawDatasets(deps);

  emit({ kind: 'phase', phase: 'audit', detail: `every dataset, equities_eod ${window.start} .. ${window.end}` });
  let audit = await auditAll(deps, { window, universe: everyone });
  for (let round = 0; round < (options.repairRounds ?? 2); round += 1) {
    const bad = audit.eod.filter((row) => row.status === 'AMBER' || row.status === 'RED');
    if (bad.length === 0 || options.signal?.aborted) break;
    const missing = await missingSymbols(lake, bad.map((row) => row.date));
    const units = repairUnits({ settings, ledger: bad, missing, nowMs: clock.now(), round });
    emit({ kind: 'phase', phase: 'repair', detail: `round ${round + 1}: ${bad.length} sessions below GREEN` });
    if ((await enqueue(deps, 'repair', units, emit)) === 0) continue;
    executors.push(...(await drain(deps, options)));
    stopIfAsked(options.signal);
    emit({ kind: 'phase', phase: 'audit', detail: `after repair round ${round + 1}` });
    audit = await auditAll(deps, { window, universe: everyone });
  }

  emit({ kind: 'phase', phase: 'curate', detail: Object.keys(deps.config.curator.jobs).join(', ') });
  const jobs = await runCuratorJobs({ lake, config: deps.config.curator, clock });
  const curate = await curatedSummary(lake, jobs);
  return { window, executors, ledger: summarizeLedger(audit.eod), datasets: audit.datasets, curate, curatorJobs: jobs, universe: universe.length, planned };
}

/**
 * Merges each raw partition that units wrote in several parts (one per unit: ten or more a session
 * at scale) into one, so the audit, verification and curation that follow open one file a session.
 * Logged with what it did; readers see the same rows throughout.
 */
async function compactRawDatasets(deps: PipelineDeps): Promise<void> {
  for (const dataset of RAW_DATASETS) {
    const done = await deps.lake.compactRaw(dataset);
    if (done.partitions === 0 && done.removed === 0) continue;
    await deps.state.appendLog({ atMs: deps.clock.now(), level: 'info', event: 'lake.compacted', detail: { dataset, ...done } });
  }
}

/** The equities_ohlcv_adj figures of a curator run, with table totals read back from the lake. */
async function curatedSummary(lake: Lake, jobs: readonly CuratorJobResult[]): Promise<CurateResult> {
  const job = jobs.find((j) => j.output === 'equities_ohlcv_adj');
  const [totals] = await lake.query<{ rows: number; symbols: number }>('SELECT count(*)::BIGINT AS rows, count(DISTINCT symbol)::BIGINT AS symbols FROM equities_ohlcv_adj').catch(() => [{ rows: 0, symbols: 0 }]);
  const [log] = await lake.query<{ n: number }>('SELECT count(*)::BIGINT AS n FROM adjustment_log').catch(() => [{ n: 0 }]);
  return {
    rows: Number(totals?.rows ?? 0),
    symbols: Number(totals?.symbols ?? 0),
    filesWritten: job?.filesWritten ?? 0,
    filesUnchanged: job?.filesUnchanged ?? 0,
    contentHash: job?.contentHash ?? '',
    adjustmentsApplied: Number(log?.n ?? 0),
    adjustmentsSkipped: 0,
  };
}

/**
 * Records, per dataset, which vendors serve it this cycle and why the others do not (frozen, out of
 * budget, denied, unkeyed): the run log's account of every fallback. Planners of alternates read the
 * same state (capability status, health) and take over when the primary cannot serve.
 */
async function logRoutePlans(deps: PipelineDeps): Promise<void> {
  const plans = await livePlans(deps.state, { config: deps.config, nowMs: deps.clock.now(), configured: Object.keys(deps.clients) as VendorId[], limits: {} });
  for (const plan of plans.values()) {
    const excluded = plan.capabilities.filter((c) => c.status === 'excluded');
    const fallback = plan.capabilities.filter((c) => c.reason.startsWith('fallback'));
    if (excluded.length === 0 && fallback.length === 0) continue;
    await deps.state.appendLog({
      atMs: deps.clock.now(),
      level: 'info',
      event: 'route.plan',
      detail: { dataset: plan.dataset, active: plan.active, excluded: excluded.map((c) => ({ vendor: c.vendor, endpoint: c.endpoint, reason: c.reason })), fallback: fallback.map((c) => c.vendor) },
    });
  }
}

/**
 * Runs the planners in order and queues each one's units before the next plans, so a later planner
 * (an alternate vendor) sees what an earlier one (the primary) has queued. A planner that fails is
 * logged and skipped, never fatal to the cycle. Returns how many units were newly queued.
 */
async function planAndEnqueue(deps: PipelineDeps, phase: string, planners: readonly TaskPlanner[], universe: readonly UniverseMember[], planned: Partial<Record<TaskName, number>>, emit: (event: PipelineEvent) => void): Promise<number> {
  const ctx: PlanContext = { lake: deps.lake, state: deps.state, config: deps.config, settings: deps.settings, nowMs: deps.clock.now(), universe };
  let added = 0;
  const byVendor: Partial<Record<VendorId, number>> = {};
  for (const planner of planners) {
    try {
      const mine = await planner.plan(ctx);
      planned[planner.task] = (planned[planner.task] ?? 0) + mine.length;
      added += await deps.state.enqueue(mine, deps.clock.now());
      for (const unit of mine) byVendor[unit.vendor] = (byVendor[unit.vendor] ?? 0) + 1;
    } catch (error) {
      await deps.state.appendLog({ atMs: deps.clock.now(), level: 'error', event: 'plan.failed', vendor: TASKS[planner.task].vendor, detail: { task: planner.task, error: error instanceof Error ? error.message : String(error) } });
    }
  }
  emit({ kind: 'enqueued', phase, units: added, byVendor });
  return added;
}

async function enqueue(deps: PipelineDeps, phase: string, units: QueueUnitInput[], emit: (event: PipelineEvent) => void): Promise<number> {
  const added = await deps.state.enqueue(units, deps.clock.now());
  const byVendor: Partial<Record<VendorId, number>> = {};
  for (const unit of units) byVendor[unit.vendor] = (byVendor[unit.vendor] ?? 0) + 1;
  emit({ kind: 'enqueued', phase, units: added, byVendor });
  return added;
}

/** Runs one executor per configured vendor concurrently until none has runnable work. */
async function drain(deps: PipelineDeps, options: RunOnceOptions): Promise<ExecutorReport[]> {
  const vendors = [...new Set(deps.settings.capabilities.map((c) => c.vendor))].filter((v) => deps.clients[v as keyof VendorClients] !== undefined);
  return Promise.all(
    vendors.map((vendor) =>
      runVendorExecutor({
        vendor,
        owner: deps.owner,
        clock: deps.clock,
        state: deps.state,
        handlers: { lake: deps.lake, clients: deps.clients, nowMs: () => deps.clock.now() },
        leaseMs: options.leaseMs ?? 10 * 60_000,
        maxWaitMs: options.maxWaitMs ?? 15 * 60_000,
        maxAttempts: options.maxAttempts ?? 4,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
    ),
  );
}
