import type { Clock } from '../clock/index.js';
import { TrademlError } from '../errors/index.js';
import type { LedgerRow, VendorId } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import type { StateStore, QueueUnitInput } from '../state/index.js';
import { auditEquitiesEod, curateEquities, missingSymbols, summarizeLedger, writeLedger, type CurateResult, type LedgerSummary } from '../ssot/index.js';
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
  | { kind: 'phase'; phase: 'reference' | 'ingest' | 'audit' | 'repair' | 'curate'; detail: string }
  | { kind: 'enqueued'; phase: string; units: number; byVendor: Partial<Record<VendorId, number>> }
  | ExecutorEvent;

export interface RunOnceReport {
  window: EodWindow;
  executors: ExecutorReport[];
  ledger: LedgerSummary;
  curate: CurateResult;
  universe: number;
  /** Units each task planned this cycle (before the queue's identity dedupe). */
  planned: Partial<Record<TaskName, number>>;
}

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
  await enqueue(deps, 'reference', await planAll(deps, planners.filter(isReference), [], planned), emit);
  executors.push(...(await drain(deps, options)));
  stopIfAsked(options.signal);

  const everyone = await loadUniverse(lake);
  const universe = membersDuring(everyone, window.start, window.end);
  emit({ kind: 'phase', phase: 'ingest', detail: `${universe.length} symbols, equities_eod ${window.start} .. ${window.end}, and every other enabled task` });
  await enqueue(deps, 'ingest', await planAll(deps, planners.filter((p) => !isReference(p)), everyone, planned), emit);
  executors.push(...(await drain(deps, options)));
  stopIfAsked(options.signal);

  let ledger = await audit(deps, window, emit);
  for (let round = 0; round < (options.repairRounds ?? 2); round += 1) {
    const bad = ledger.filter((row) => row.status === 'AMBER' || row.status === 'RED');
    if (bad.length === 0 || options.signal?.aborted) break;
    const missing = await missingSymbols(lake, bad.map((row) => row.date));
    const units = repairUnits({ settings, ledger: bad, missing, nowMs: clock.now(), round });
    emit({ kind: 'phase', phase: 'repair', detail: `round ${round + 1}: ${bad.length} sessions below GREEN` });
    if ((await enqueue(deps, 'repair', units, emit)) === 0) continue;
    executors.push(...(await drain(deps, options)));
    stopIfAsked(options.signal);
    ledger = await audit(deps, window, emit);
  }

  emit({ kind: 'phase', phase: 'curate', detail: 'equities_ohlcv_adj' });
  const curate = await curateEquities({ lake, vendorPrecedence: settings.vendorPrecedence, corpActionsPrecedence: settings.corpActionsPrecedence });
  return { window, executors, ledger: summarizeLedger(ledger), curate, universe: universe.length, planned };
}

/** Every planner's units, in planner order; a planner that fails is logged and skipped, never fatal to the cycle. */
async function planAll(deps: PipelineDeps, planners: readonly TaskPlanner[], universe: readonly UniverseMember[], planned: Partial<Record<TaskName, number>>): Promise<QueueUnitInput[]> {
  const ctx: PlanContext = { lake: deps.lake, state: deps.state, config: deps.config, settings: deps.settings, nowMs: deps.clock.now(), universe };
  const units: QueueUnitInput[] = [];
  for (const planner of planners) {
    try {
      const mine = await planner.plan(ctx);
      planned[planner.task] = (planned[planner.task] ?? 0) + mine.length;
      units.push(...mine);
    } catch (error) {
      await deps.state.appendLog({ atMs: deps.clock.now(), level: 'error', event: 'plan.failed', vendor: TASKS[planner.task].vendor, detail: { task: planner.task, error: error instanceof Error ? error.message : String(error) } });
    }
  }
  return units;
}

async function audit(deps: PipelineDeps, window: EodWindow, emit: (event: PipelineEvent) => void): Promise<LedgerRow[]> {
  emit({ kind: 'phase', phase: 'audit', detail: `equities_eod ${window.start} .. ${window.end}` });
  const rows = await auditEquitiesEod({ lake: deps.lake, clock: deps.clock, window, thresholds: deps.settings.thresholds });
  await writeLedger(deps.lake, rows);
  return rows;
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
