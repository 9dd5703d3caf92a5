import type pg from 'pg';
import type { VendorId } from '../../catalog/index.js';
import { StateClosedError } from '../errors.js';
import type {
  BadSymbol,
  CapabilityStatus,
  ClaimRequest,
  EnqueueOptions,
  FailOptions,
  Lease,
  QueueFilter,
  QueueStats,
  QueueUnit,
  QueueUnitInput,
  ReserveRequest,
  RunLogEntry,
  StateStore,
  VendorHealth,
} from '../types.js';
import { bookmarkOps } from './bookmarks.js';
import { createPool, openError, redactedUrl, type PostgresOpenOptions } from './db.js';
import { healthOps } from './health.js';
import { leaseOps } from './leases.js';
import { migrate } from './migrations.js';
import { enqueueOp } from './queue-enqueue.js';
import { queueViewOps } from './queue-stats.js';
import { queueOps } from './queue.js';
import { requestOps } from './requests.js';
import { runLogOps } from './runlog.js';

export interface PostgresStoreLocation {
  /** Connection string (without the `schema` parameter). */
  url: string;
  /** Schema holding the tables (created on open); undefined: the role's default search_path. */
  schema: string | undefined;
}

/**
 * The PostgreSQL state store, shared by every worker of a fleet: one database coordinates queue
 * claims (`FOR UPDATE SKIP LOCKED`), leases with fencing generations, and the budgets every worker
 * spends from. Open it with `PostgresStateStore.open` (connects and migrates) or `openStateStore`.
 */
export class PostgresStateStore implements StateStore {
  /** The url with its password masked, for logs and messages. */
  readonly location: string;
  #pool: pg.Pool | undefined;
  readonly #bookmarks: ReturnType<typeof bookmarkOps>;
  readonly #requests: ReturnType<typeof requestOps>;
  readonly #health: ReturnType<typeof healthOps>;
  readonly #leases: ReturnType<typeof leaseOps>;
  readonly #enqueue: ReturnType<typeof enqueueOp>;
  readonly #queue: ReturnType<typeof queueOps>;
  readonly #views: ReturnType<typeof queueViewOps>;
  readonly #log: ReturnType<typeof runLogOps>;

  private constructor(pool: pg.Pool, location: string) {
    this.location = location;
    this.#pool = pool;
    this.#bookmarks = bookmarkOps(pool);
    this.#requests = requestOps(pool);
    this.#health = healthOps(pool);
    this.#leases = leaseOps(pool);
    this.#enqueue = enqueueOp(pool);
    this.#queue = queueOps(pool);
    this.#views = queueViewOps(pool);
    this.#log = runLogOps(pool);
  }

  /** Connects, brings the schema up to date, and returns the open store; `StateConfigError` when it cannot. */
  static async open(location: PostgresStoreLocation, options: PostgresOpenOptions = {}): Promise<PostgresStateStore> {
    const pool = createPool(location.url, location.schema, options);
    try {
      await migrate(pool, location.schema);
    } catch (cause) {
      await pool.end().catch(() => undefined);
      throw openError(location.url, cause);
    }
    const shown = redactedUrl(location.url) + (location.schema === undefined ? '' : ` (schema ${location.schema})`);
    return new PostgresStateStore(pool, shown);
  }

  /** Runs one operation after checking the store is open. */
  async #run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#pool === undefined) throw new StateClosedError(`state store ${this.location} is closed`);
    return operation();
  }

  getBookmark = (key: string) => this.#run(() => this.#bookmarks.getBookmark(key));
  setBookmark = (key: string, value: string, nowMs: number) =>
    this.#run(() => this.#bookmarks.setBookmark(key, value, nowMs));

  recordRequest = (vendor: VendorId, day: string, atMs: number) =>
    this.#run(() => this.#requests.recordRequest(vendor, day, atMs));
  reserveRequest = (request: ReserveRequest) => this.#run(() => this.#requests.reserveRequest(request));
  getSpend = (vendor: VendorId, day: string) => this.#run(() => this.#requests.getSpend(vendor, day));
  recentRequests = (vendor: VendorId, sinceMs: number) =>
    this.#run(() => this.#requests.recentRequests(vendor, sinceMs));
  pruneRequests = (beforeMs: number) => this.#run(() => this.#requests.pruneRequests(beforeMs));

  getVendorHealth = (vendor: VendorId) => this.#run(() => this.#health.getVendorHealth(vendor));
  setVendorHealth = (health: VendorHealth) => this.#run(() => this.#health.setVendorHealth(health));
  listVendorHealth = () => this.#run(() => this.#health.listVendorHealth());
  setCapabilityStatus = (status: CapabilityStatus) => this.#run(() => this.#health.setCapabilityStatus(status));
  listCapabilityStatus = () => this.#run(() => this.#health.listCapabilityStatus());
  markBadSymbol = (entry: BadSymbol) => this.#run(() => this.#health.markBadSymbol(entry));
  badSymbols = (vendor: VendorId, nowMs: number) => this.#run(() => this.#health.badSymbols(vendor, nowMs));

  acquireLease = (name: string, owner: string, ttlMs: number, nowMs: number) =>
    this.#run(() => this.#leases.acquireLease(name, owner, ttlMs, nowMs));
  renewLease = (lease: Lease, ttlMs: number, nowMs: number) =>
    this.#run(() => this.#leases.renewLease(lease, ttlMs, nowMs));
  releaseLease = (lease: Lease) => this.#run(() => this.#leases.releaseLease(lease));
  isLeaseCurrent = (lease: Lease, nowMs: number) => this.#run(() => this.#leases.isLeaseCurrent(lease, nowMs));
  listLeases = (prefix: string) => this.#run(() => this.#leases.listLeases(prefix));

  enqueue = (units: QueueUnitInput[], nowMs: number, options?: EnqueueOptions) =>
    this.#run(() => this.#enqueue(units, nowMs, options));
  claim = (request: ClaimRequest): Promise<QueueUnit[]> => this.#run(() => this.#queue.claim(request));
  complete = (id: number, owner: string, nowMs: number) => this.#run(() => this.#queue.complete(id, owner, nowMs));
  extendClaim = (id: number, owner: string, leaseMs: number, nowMs: number) =>
    this.#run(() => this.#queue.extendClaim(id, owner, leaseMs, nowMs));
  defer = (id: number, owner: string, notBeforeMs: number, reason: string, nowMs: number) =>
    this.#run(() => this.#queue.defer(id, owner, notBeforeMs, reason, nowMs));
  fail = (id: number, owner: string, error: string, nowMs: number, options: FailOptions) =>
    this.#run(() => this.#queue.fail(id, owner, error, nowMs, options));
  releaseClaims = (owner: string, nowMs: number): Promise<number> =>
    this.#run(() => this.#queue.releaseClaims(owner, nowMs));
  renewClaims = (owner: string, leaseMs: number, nowMs: number): Promise<number> =>
    this.#run(() => this.#queue.renewClaims(owner, leaseMs, nowMs));
  queueStats = (nowMs: number): Promise<QueueStats> => this.#run(() => this.#views.queueStats(nowMs));
  listQueue = (filter?: QueueFilter) => this.#run(() => this.#views.listQueue(filter));

  appendLog = (entry: RunLogEntry) => this.#run(() => this.#log.appendLog(entry));
  recentLog = (limit: number, filter?: { vendor?: VendorId; event?: string }) =>
    this.#run(() => this.#log.recentLog(limit, filter));
  pruneLog = (beforeMs: number) => this.#run(() => this.#log.pruneLog(beforeMs));

  /** Closes the pool (idempotent), waiting for calls in flight. */
  async close(): Promise<void> {
    const pool = this.#pool;
    if (pool === undefined) return;
    this.#pool = undefined;
    await pool.end();
  }
}
