import type { DatasetName, EndpointId, VendorId } from '../catalog/index.js';

/**
 * The state store: the one durable place for what the pipeline must remember across restarts and
 * share between processes (bookmarks, request accounting, vendor health, capability status, bad
 * symbols, leases, the work queue and the run log).
 *
 * Guarantees every implementation gives (SQLite now, PostgreSQL later):
 * - Every method is atomic: it either happens completely or not at all, also when several
 *   processes share the store.
 * - Time is the caller's: every instant is an epoch-ms number passed in; the store never reads a
 *   clock, so a virtual clock drives it exactly like the real one.
 * - What a method has resolved survives a crash or a restart (durable on commit).
 */
export interface StateStore {
  /** The value of a bookmark, undefined when never set. */
  getBookmark(key: string): Promise<string | undefined>;
  /**
   * Sets a bookmark (insert or overwrite). The store does not order values: callers advance a
   * bookmark only over contiguous completed work (a failed day never lets it jump past).
   */
  setBookmark(key: string, value: string, nowMs: number): Promise<void>;

  /**
   * Records one outbound HTTP request (retries and failures included, each exactly once) in the
   * daily spend of (vendor, day) and in the per-request log used for sliding windows. Atomic across
   * processes: two processes recording at once both count. Returns the new count for (vendor, day).
   */
  recordRequest(vendor: VendorId, day: string, atMs: number): Promise<number>;
  /** Requests recorded for (vendor, day); 0 when none. */
  getSpend(vendor: VendorId, day: string): Promise<number>;
  /** Instants of the vendor's requests at or after `sinceMs`, ascending, so a restart rebuilds its window. */
  recentRequests(vendor: VendorId, sinceMs: number): Promise<number[]>;
  /**
   * Reserves one request slot for a vendor in ONE transaction shared by every process on the store:
   * refuses with `budget` when (vendor, day) already counts `dailyLimit` requests, with `interval`
   * when the vendor's last request is less than `minIntervalMs` old, with `rate` when `rpm`
   * requests fall inside the sliding `windowMs` ending at `atMs`; otherwise records the request
   * exactly like `recordRequest` and returns the new count. Checks and record cannot interleave
   * with another reservation of the same vendor, so N workers together never exceed the limits.
   */
  reserveRequest(request: ReserveRequest): Promise<ReserveResult>;
  /** Forgets request instants before `beforeMs` (daily spend counts are kept). */
  pruneRequests(beforeMs: number): Promise<void>;

  /** Freeze / circuit-breaker state of a vendor, undefined when never set. */
  getVendorHealth(vendor: VendorId): Promise<VendorHealth | undefined>;
  /** Replaces the vendor's health row. */
  setVendorHealth(health: VendorHealth): Promise<void>;
  /** Every vendor's health row, ordered by vendor. */
  listVendorHealth(): Promise<VendorHealth[]>;

  /** Replaces the status of one (vendor, endpoint) capability, e.g. `denied` after an entitlement error. */
  setCapabilityStatus(status: CapabilityStatus): Promise<void>;
  /** Every recorded capability status, ordered by vendor then endpoint. */
  listCapabilityStatus(): Promise<CapabilityStatus[]>;

  /** Marks (or re-marks, replacing expiry and reason) a symbol bad for a vendor until `untilMs`. */
  markBadSymbol(entry: BadSymbol): Promise<void>;
  /** The vendor's bad symbols whose `untilMs` is after `nowMs`, ordered by symbol. */
  badSymbols(vendor: VendorId, nowMs: number): Promise<BadSymbol[]>;

  /**
   * Takes the named lease for `ttlMs` when it is free, released, expired or already held by
   * `owner`. Every acquisition gets a generation strictly greater than any earlier one of that
   * name (also across releases and restarts), which is the fencing token. Undefined when another
   * owner holds it unexpired.
   */
  acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<Lease | undefined>;
  /**
   * Extends a lease to `nowMs + ttlMs`, keeping its generation. Undefined when it was lost: taken
   * over (generation changed) or released. A lease that expired but nobody took can be renewed.
   */
  renewLease(lease: Lease, ttlMs: number, nowMs: number): Promise<Lease | undefined>;
  /** Releases a lease if it is still this one (same owner and generation); otherwise does nothing. */
  releaseLease(lease: Lease): Promise<void>;
  /** The fencing check a commit must pass: same owner, same generation, not expired at `nowMs`. */
  isLeaseCurrent(lease: Lease, nowMs: number): Promise<boolean>;
  /**
   * Leases currently held (owner set, released ones excluded) whose name starts with `prefix`, ordered
   * by name, expired ones included: the caller compares `expiresAtMs` with its clock (e.g. live
   * workers are the `worker:` leases that have not expired).
   */
  listLeases(prefix: string): Promise<Lease[]>;

  /**
   * Adds units to the durable queue in one transaction; returns how many were newly queued. An
   * identity already queued or leased is not duplicated (a queued unit's priority is raised if the
   * new one is higher). A `done` identity is re-queued only with `redoDone`; a `dead` one only with
   * `reviveDead`, so a producer that re-emits every cycle cannot resurrect dead-lettered work.
   */
  enqueue(units: QueueUnitInput[], nowMs: number, options?: EnqueueOptions): Promise<number>;
  /**
   * Atomically claims up to `limit` units (select and update in one write transaction, so two
   * processes never claim the same unit): queued units whose `notBeforeMs <= nowMs` and leased units
   * whose lease expired, ordered by priority descending then FIFO. Sets owner, lease expiry
   * (`nowMs + leaseMs`) and attempts + 1.
   */
  claim(request: ClaimRequest): Promise<QueueUnit[]>;
  /**
   * Marks a claimed unit done. False (nothing changed) when `owner` no longer holds the claim, i.e.
   * its lease expired and another claim took the unit. An expired claim nobody took is still the
   * holder's to settle (no one else can have done the work).
   */
  complete(id: number, owner: string, nowMs: number): Promise<boolean>;
  /**
   * Puts a claimed unit back in the queue until `notBeforeMs` without counting an attempt (the claim's
   * increment is undone), e.g. when budget or a freeze refused it. False when the claim was lost.
   */
  defer(id: number, owner: string, notBeforeMs: number, reason: string, nowMs: number): Promise<boolean>;
  /**
   * Records a failed attempt with its error: `permanent` dead-letters the unit (status `dead`),
   * otherwise it is queued again, eligible at `retryAtMs` (default `nowMs`). False when the claim was lost.
   */
  fail(id: number, owner: string, error: string, nowMs: number, options: FailOptions): Promise<boolean>;
  /**
   * The fencing check before a claimed unit commits anything: true, and the claim extended to
   * `nowMs + leaseMs`, only while the unit is leased to `owner` and that lease has not expired at
   * `nowMs`. False when the claim expired (another worker may take it at any moment) or was lost.
   */
  extendClaim(id: number, owner: string, leaseMs: number, nowMs: number): Promise<boolean>;
  /** Counts by status and by priority, the age of the oldest waiting unit, the next wake-up time. */
  /**
   * Puts every unit leased by `owner` back in the queue (attempt not counted). A worker calls it at
   * start: claims held by its own previous incarnation died with that process, and waiting out
   * their leases would only delay the work. Returns how many were released.
   */
  releaseClaims(owner: string, nowMs: number): Promise<number>;
  /**
   * A worker's heartbeat over its claims: extends to `nowMs + leaseMs` every unit leased by `owner`
   * whose lease has not expired at `nowMs`; returns how many. An expired claim is not revived (a
   * paused worker that wakes up must not win back work another worker may already be doing).
   */
  renewClaims(owner: string, leaseMs: number, nowMs: number): Promise<number>;
  queueStats(nowMs: number): Promise<QueueStats>;
  /** Units in claim order (priority descending, then FIFO), optionally filtered; all when no limit. */
  listQueue(filter?: QueueFilter): Promise<QueueUnit[]>;

  /** Appends one scheduler decision (what ran, what waited and why). */
  appendLog(entry: RunLogEntry): Promise<void>;
  /** The newest `limit` entries, newest first, optionally filtered by vendor and/or event. */
  recentLog(limit: number, filter?: { vendor?: VendorId; event?: string }): Promise<RunLogEntry[]>;
  /** Deletes entries before `beforeMs` (bounded retention). */
  pruneLog(beforeMs: number): Promise<void>;

  /** Closes the store; further calls reject. */
  close(): Promise<void>;
}

export interface ReserveRequest {
  vendor: VendorId;
  /** Budget day the request counts against. */
  day: string;
  /** Further daily counters the request also counts against, each held to the same `dailyLimit` (e.g. the New York day). */
  extraDays?: readonly string[] | undefined;
  atMs: number;
  /** Sliding window span (the vendor's minute plus any safety margin). */
  windowMs: number;
  /** Requests allowed inside one window. */
  rpm: number;
  minIntervalMs: number;
  /** Most requests (vendor, day) may count after this one is refused; undefined = no daily limit. */
  dailyLimit?: number | undefined;
}

export type ReserveResult =
  | { granted: true; spent: number }
  /**
   * `fullDays`: every counter (of `day`, then `extraDays`) at the limit — the request may run again
   * only once all of them have turned over; `spent`: the fullest counter's count.
   */
  | { granted: false; reason: 'budget'; spent: number; fullDays: string[] }
  /** `retryAtMs`: the earliest instant the same reservation can succeed, as far as the store knows now. */
  | { granted: false; reason: 'rate' | 'interval'; retryAtMs: number; spent: number };

export interface VendorHealth {
  vendor: VendorId;
  frozenUntilMs: number | null;
  reason: string | null;
  consecutiveErrors: number;
  updatedAtMs: number;
}

export interface CapabilityStatus {
  vendor: VendorId;
  endpoint: EndpointId;
  status: 'available' | 'denied';
  reason: string | null;
  untilMs: number | null;
  updatedAtMs: number;
}

export interface BadSymbol {
  vendor: VendorId;
  symbol: string;
  untilMs: number;
  reason: string;
}

export interface Lease {
  name: string;
  owner: string;
  generation: number;
  expiresAtMs: number;
}

export const QUEUE_STATUSES = ['queued', 'leased', 'done', 'dead'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
export const UNIT_ORIGINS = ['forward', 'backfill', 'smoke', 'reference'] as const;
export type UnitOrigin = (typeof UNIT_ORIGINS)[number];

export interface QueueUnitInput {
  /** Unique identity of the work (e.g. `polygon:equities_eod:grouped_daily:2024-05-01`). */
  identity: string;
  vendor: VendorId;
  dataset: DatasetName;
  endpoint: EndpointId;
  params: Record<string, unknown>;
  priority: number;
  origin: UnitOrigin;
  cost: number;
  notBeforeMs?: number;
}

export interface QueueUnit extends QueueUnitInput {
  id: number;
  status: QueueStatus;
  attempts: number;
  notBeforeMs: number;
  leaseOwner: string | null;
  leaseExpiresAtMs: number | null;
  lastError: string | null;
  /** Why the unit was last deferred (budget, freeze…), null when never deferred since queued. */
  deferReason: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface EnqueueOptions {
  /** Re-queue identities whose unit is `done` (an explicit redo). */
  redoDone?: boolean;
  /** Re-queue identities whose unit is `dead` (an explicit retry of dead-lettered work). */
  reviveDead?: boolean;
}

export interface FailOptions {
  retryAtMs?: number;
  permanent?: boolean;
}

export interface ClaimRequest {
  owner: string;
  nowMs: number;
  leaseMs: number;
  limit: number;
  vendor?: VendorId;
  dataset?: DatasetName;
}

export interface QueueFilter {
  status?: QueueStatus;
  vendor?: VendorId;
  limit?: number;
}

export interface QueueStats {
  byStatus: Record<QueueStatus, number>;
  /** Queued units per priority, highest priority first. */
  byPriority: { priority: number; queued: number }[];
  /** Queued units eligible now (`notBeforeMs <= nowMs`). */
  ready: number;
  /** Leased units whose lease expired (claimable again). */
  expiredLeases: number;
  /** `nowMs` minus the enqueue time of the oldest queued unit; null when none is queued. */
  oldestQueuedAgeMs: number | null;
  /** The earliest `notBeforeMs` among queued units not yet eligible; null when none waits. */
  nextNotBeforeMs: number | null;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RunLogEntry {
  atMs: number;
  level: LogLevel;
  event: string;
  vendor?: VendorId;
  detail?: Record<string, unknown>;
}
