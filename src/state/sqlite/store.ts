import type Database from 'better-sqlite3';
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
import { openDatabase, type SqliteOpenOptions } from './db.js';
import { healthOps } from './health.js';
import { leaseOps } from './leases.js';
import { enqueueOp } from './queue-enqueue.js';
import { queueViewOps } from './queue-stats.js';
import { queueOps } from './queue.js';
import { requestOps } from './requests.js';
import { runLogOps } from './runlog.js';

/**
 * The SQLite state store (better-sqlite3, WAL). Calls run synchronously on this thread and are
 * returned as settled promises, so the interface matches the networked PostgreSQL store; several
 * processes may open the same file and coordinate through SQLite's write lock.
 */
export class SqliteStateStore implements StateStore {
  readonly path: string;
  #db: Database.Database | undefined;
  readonly #bookmarks: ReturnType<typeof bookmarkOps>;
  readonly #requests: ReturnType<typeof requestOps>;
  readonly #health: ReturnType<typeof healthOps>;
  readonly #leases: ReturnType<typeof leaseOps>;
  readonly #enqueue: ReturnType<typeof enqueueOp>;
  readonly #queue: ReturnType<typeof queueOps>;
  readonly #views: ReturnType<typeof queueViewOps>;
  readonly #log: ReturnType<typeof runLogOps>;

  constructor(path: string, options: SqliteOpenOptions = {}) {
    this.path = path;
    const db = openDatabase(path, options);
    this.#db = db;
    this.#bookmarks = bookmarkOps(db);
    this.#requests = requestOps(db);
    this.#health = healthOps(db);
    this.#leases = leaseOps(db);
    this.#enqueue = enqueueOp(db);
    this.#queue = queueOps(db);
    this.#views = queueViewOps(db);
    this.#log = runLogOps(db);
  }

  /** Runs one operation after checking the store is open; a thrown error becomes a rejection. */
  async #run<T>(operation: () => T): Promise<T> {
    if (this.#db === undefined) throw new StateClosedError(`state store ${this.path} is closed`);
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
  releaseClaims = (owner: string, nowMs: number): Promise<number> => this.#run(() => this.#queue.releaseClaims(owner, nowMs));
  renewClaims = (owner: string, leaseMs: number, nowMs: number): Promise<number> =>
    this.#run(() => this.#queue.renewClaims(owner, leaseMs, nowMs));
  queueStats = (nowMs: number): Promise<QueueStats> => this.#run(() => this.#views.queueStats(nowMs));
  listQueue = (filter?: QueueFilter) => this.#run(() => this.#views.listQueue(filter));

  appendLog = (entry: RunLogEntry) => this.#run(() => this.#log.appendLog(entry));
  recentLog = (limit: number, filter?: { vendor?: VendorId; event?: string }) =>
    this.#run(() => this.#log.recentLog(limit, filter));
  pruneLog = (beforeMs: number) => this.#run(() => this.#log.pruneLog(beforeMs));

  /** Closes the database (idempotent); the last connection to close folds the WAL back into the file. */
  async close(): Promise<void> {
    const db = this.#db;
    if (db === undefined) return;
    this.#db = undefined;
    db.close();
  }
}
