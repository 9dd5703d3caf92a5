import { DATASET_NAMES, DATASETS, VENDORS, type DatasetName, type VendorId } from '../catalog/index.js';
import type { Lake } from '../lake/index.js';
import { budgetDay, type VendorLimits } from '../pacing/index.js';
import { readLedger, summarizeLedger, type LedgerSummary } from '../ssot/index.js';
import type { LogLevel, QueueStats, RunLogEntry, StateStore } from '../state/index.js';

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

export interface NodeStatus {
  at: string;
  day: string;
  vendors: VendorStatus[];
  queue: QueueStats;
  coverage: { equities_eod: LedgerSummary & { latestRawSession: Record<string, string> } };
  recentProblems: LogView[];
}

const MINUTE_MS = 60_000;

/** Budget, minute bucket and freeze state of every vendor as of `nowMs`. */
export async function vendorStatuses(state: StateStore, limits: VendorLimitMap, nowMs: number): Promise<VendorStatus[]> {
  const health = new Map((await state.listVendorHealth()).map((h) => [h.vendor, h]));
  const day = budgetDay(nowMs);
  return Promise.all(
    VENDORS.map(async (vendor) => {
      const h = health.get(vendor);
      const frozen = h?.frozenUntilMs != null && h.frozenUntilMs > nowMs;
      const recent = await state.recentRequests(vendor, nowMs - MINUTE_MS);
      return {
        vendor,
        spentToday: await state.getSpend(vendor, day),
        dailyBudget: limits[vendor]?.dailyBudget ?? null,
        rpm: limits[vendor]?.rpm ?? null,
        lastMinuteRequests: recent.filter((at) => at <= nowMs).length,
        frozenUntil: frozen ? new Date(h.frozenUntilMs as number).toISOString() : null,
        frozenReason: frozen ? (h.reason ?? null) : null,
        consecutiveErrors: h?.consecutiveErrors ?? 0,
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
  for (const dataset of DATASET_NAMES.filter((d) => DATASETS[d].kind === 'raw')) {
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
    queue: await state.queueStats(nowMs),
    coverage: { equities_eod: { ...ledger, latestRawSession } },
    recentProblems: await recentEntries(state, { minLevel: 'warn', limit: 10 }),
  };
}
