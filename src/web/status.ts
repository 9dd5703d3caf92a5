import { DATASET_NAMES, DATASETS, RAW_DATASETS, VENDORS, type DatasetName, type VendorId } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import { budgetDay, spentToday, type VendorLimits } from '../pacing/index.js';
import { readLedger, summarizeLedger, type LedgerSummary } from '../ssot/index.js';
import type { LogLevel, QueueStats, QueueUnit, RunLogEntry, StateStore } from '../state/index.js';
import { readAllCoverage, type Coverage } from './coverage.js';

/** Per-vendor pacing limits from the configs (the CLI's `pacerLimits`). */
export type VendorLimitMap = Partial<Record<VendorId, VendorLimits>>;

export interface VendorStatus {
  vendor: VendorId;
  spentToday: number;
  dailyBudget: number | null;
  rpm: number | null;
  /** Requests recorded in the 60 s before now: the minute bucket the pacer is filling. */
  lastMinuteRequests: number;
  frozenUntil: string | null;
  frozenReason: string | null;
  consecutiveErrors: number;
  /** Endpoints the vendor refused (entitlement): the router stops asking until `until` (null: for good). */
  denied: { endpoint: string; reason: string | null; until: string | null }[];
}

export interface LogView {
  at: string;
  level: LogLevel;
  vendor: VendorId | null;
  event: string;
  detail: Record<string, unknown>;
}

export interface FreshnessRow {
  dataset: DatasetName;
  vendor: VendorId;
  latestDate: string;
  partitions: number;
}

/** The unit that has waited longest in the queue, and why it waits. */
export interface OldestUnit {
  identity: string;
  vendor: VendorId;
  dataset: string;
  endpoint: string;
  priority: number;
  origin: string;
  attempts: number;
  waitingMs: number;
  /** When it becomes claimable, if that is later than now. */
  notBefore: string | null;
  deferReason: string | null;
  lastError: string | null;
}

/** Freshness of one dataset from the ledger: how far its GREEN sessions reach. */
export interface DatasetFreshness {
  dataset: string;
  sessions: number;
  green: number;
  amber: number;
  red: number;
  unavailable: number;
  greenRatio: number;
  firstSession: string | null;
  lastSession: string | null;
  latestGreen: string | null;
  /** Graded sessions after the latest GREEN one (0: fresh up to the last audited session). */
  sessionsBehind: number;
}

export interface NodeStatus {
  at: string;
  day: string;
  vendors: VendorStatus[];
  queue: QueueStats & { oldest: OldestUnit | null };
  datasets: DatasetFreshness[];
  coverage: { equities_eod: LedgerSummary & { latestRawSession: Record<string, string> } };
  recentProblems: LogView[];
  /** Workers registered in the state store (`trademl run --worker-id`), live ones first. */
  workers: WorkerStatus[];
}

/** One worker's heartbeat lease and the units it holds claimed now. */
export interface WorkerStatus {
  id: string;
  /** Which incarnation of this worker id (the lease's fencing generation). */
  generation: number;
  /** True while its heartbeat lease has not expired. */
  alive: boolean;
  heartbeatExpiresAt: string;
  /** Units leased to it right now. */
  claims: number;
}

const MINUTE_MS = 60_000;

/** Budget, minute bucket and freeze state of every vendor as of `nowMs`. */
export async function vendorStatuses(state: StateStore, limits: VendorLimitMap, nowMs: number): Promise<VendorStatus[]> {
  const health = new Map((await state.listVendorHealth()).map((h) => [h.vendor, h]));
  const denied = (await state.listCapabilityStatus()).filter((c) => c.status === 'denied' && (c.untilMs === null || c.untilMs > nowMs));
  return Promise.all(
    VENDORS.map(async (vendor) => {
      const h = health.get(vendor);
      const frozen = h?.frozenUntilMs != null && h.frozenUntilMs > nowMs;
      const recent = await state.recentRequests(vendor, nowMs - MINUTE_MS);
      return {
        vendor,
        spentToday: await spentToday(state, vendor, nowMs),
        dailyBudget: limits[vendor]?.dailyBudget ?? null,
        rpm: limits[vendor]?.rpm ?? null,
        lastMinuteRequests: recent.filter((at) => at <= nowMs).length,
        frozenUntil: frozen ? new Date(h.frozenUntilMs as number).toISOString() : null,
        frozenReason: frozen ? (h.reason ?? null) : null,
        consecutiveErrors: h?.consecutiveErrors ?? 0,
        denied: denied
          .filter((c) => c.vendor === vendor)
          .map((c) => ({ endpoint: c.endpoint, reason: c.reason, until: c.untilMs === null ? null : new Date(c.untilMs).toISOString() })),
      };
    }),
  );
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The newest run-log entries at or above `minLevel`, newest first. */
export async function recentEntries(state: StateStore, options: { minLevel?: LogLevel; limit: number }): Promise<LogView[]> {
  const floor = LEVEL_RANK[options.minLevel ?? 'debug'];
  // Read a wider window than asked so a filter on level still fills the page.
  const entries = await state.recentLog(options.minLevel === undefined ? options.limit : options.limit * 10);
  return entries
    .filter((e) => LEVEL_RANK[e.level] >= floor)
    .slice(0, options.limit)
    .map(logView);
}

function logView(e: RunLogEntry): LogView {
  return { at: new Date(e.atMs).toISOString(), level: e.level, vendor: e.vendor ?? null, event: e.event, detail: e.detail ?? {} };
}

/** The newest raw partition of every (raw dataset, vendor) in the lake. */
export async function freshness(lake: Lake): Promise<FreshnessRow[]> {
  const out: FreshnessRow[] = [];
  for (const dataset of RAW_DATASETS) {
    const latest = new Map<VendorId, FreshnessRow>();
    for (const p of await lake.listRawPartitions(dataset)) {
      const row = latest.get(p.vendor) ?? { dataset, vendor: p.vendor, latestDate: p.date, partitions: 0 };
      row.partitions += 1;
      if (p.date > row.latestDate) row.latestDate = p.date;
      latest.set(p.vendor, row);
    }
    out.push(...latest.values());
  }
  return out;
}

/** What `trademl status` prints and `/api/status` serves: one snapshot of the node. */
export async function nodeStatus(options: { lake: Lake; state: StateStore; limits: VendorLimitMap; nowMs: number }): Promise<NodeStatus> {
  const { lake, state, limits, nowMs } = options;
  const ledger = summarizeLedger(await readLedger(lake, 'equities_eod'));
  const latestRawSession: Record<string, string> = {};
  for (const row of (await freshness(lake)).filter((r) => r.dataset === 'equities_eod')) latestRawSession[row.vendor] = row.latestDate;
  return {
    at: new Date(nowMs).toISOString(),
    day: budgetDay(nowMs),
    vendors: await vendorStatuses(state, limits, nowMs),
    queue: { ...(await state.queueStats(nowMs)), oldest: await oldestQueued(state, nowMs) },
    datasets: (await readAllCoverage(lake)).map(datasetFreshness),
    coverage: { equities_eod: { ...ledger, latestRawSession } },
    recentProblems: await recentEntries(state, { minLevel: 'warn', limit: 10 }),
    workers: await workerStatuses(state, nowMs),
  };
}

/** Workers from their `worker:<id>` heartbeat leases, live ones first, each with its current claims. */
export async function workerStatuses(state: StateStore, nowMs: number): Promise<WorkerStatus[]> {
  const claims = new Map<string, number>();
  for (const unit of await state.listQueue({ status: 'leased' })) if (unit.leaseOwner) claims.set(unit.leaseOwner, (claims.get(unit.leaseOwner) ?? 0) + 1);
  return (await state.listLeases('worker:'))
    .map((lease) => ({
      id: lease.name.slice('worker:'.length),
      generation: lease.generation,
      alive: lease.expiresAtMs > nowMs,
      heartbeatExpiresAt: new Date(lease.expiresAtMs).toISOString(),
      claims: claims.get(lease.owner) ?? 0,
    }))
    .sort((a, b) => Number(b.alive) - Number(a.alive) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The queued unit enqueued first (whatever its priority): the one a stuck queue shows first. */
export async function oldestQueued(state: StateStore, nowMs: number): Promise<OldestUnit | null> {
  let oldest: QueueUnit | undefined;
  for (const unit of await state.listQueue({ status: 'queued' })) if (!oldest || unit.createdAtMs < oldest.createdAtMs) oldest = unit;
  if (!oldest) return null;
  return {
    identity: oldest.identity,
    vendor: oldest.vendor,
    dataset: oldest.dataset,
    endpoint: oldest.endpoint,
    priority: oldest.priority,
    origin: oldest.origin,
    attempts: oldest.attempts,
    waitingMs: nowMs - oldest.createdAtMs,
    notBefore: oldest.notBeforeMs > nowMs ? new Date(oldest.notBeforeMs).toISOString() : null,
    deferReason: oldest.deferReason,
    lastError: oldest.lastError,
  };
}

export function datasetFreshness(coverage: Coverage): DatasetFreshness {
  const graded = coverage.cells.filter((c) => c.status !== 'NO_SESSION');
  const greens = graded.filter((c) => c.status === 'GREEN');
  const latestGreen = greens.length === 0 ? null : (greens[greens.length - 1] as Coverage['cells'][number]).date;
  return {
    dataset: coverage.dataset,
    ...coverage.summary,
    unavailable: graded.filter((c) => c.status === 'UNAVAILABLE').length,
    firstSession: graded[0]?.date ?? null,
    lastSession: graded[graded.length - 1]?.date ?? null,
    latestGreen,
    sessionsBehind: graded.filter((c) => latestGreen === null || c.date > latestGreen).length,
  };
}
