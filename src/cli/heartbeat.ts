import type { Clock } from '../clock/index.js';
import type { Lease, StateStore } from '../state/index.js';

/** Name of the lease a worker holds while it runs (`trademl status` lists them). */
export const WORKER_LEASE_PREFIX = 'worker:';

export interface HeartbeatOptions {
  state: StateStore;
  clock: Clock;
  workerId: string;
  /** How long the worker lease and each unit claim last without a renewal (edge.yml locks.lease_seconds). */
  leaseMs: number;
  /** How often both are renewed (edge.yml locks.renew_seconds); must be below leaseMs. */
  renewMs: number;
  /** A newer incarnation with the same worker id took the lease over: this one should stop. */
  onSuperseded: (by: string) => void;
  /** A renewal failed (e.g. the database was unreachable); the next beat tries again. */
  onError: (error: unknown) => void;
}

export interface WorkerHeartbeat {
  /** The worker lease as acquired at start; its generation numbers this incarnation. */
  readonly lease: Lease;
  /** Units the previous incarnation of this worker id still held, put back in the queue at start. */
  readonly released: number;
  /** Stops renewing and releases the worker lease (claims are settled by the executors). */
  stop(): Promise<void>;
}

/**
 * Registers a worker in the shared state store and keeps it alive: takes the lease
 * `worker:<id>` (a restart of the same id takes it over with a new generation), puts back the
 * claims its previous incarnation died with, then every `renewMs` on the clock renews the lease
 * and extends the worker's unexpired unit claims. A worker that stops beating (killed, paused,
 * partitioned) lets its claims expire after `leaseMs`, and other workers' claims pick them up.
 */
export async function startHeartbeat(options: HeartbeatOptions): Promise<WorkerHeartbeat> {
  const { state, clock, workerId, leaseMs, renewMs } = options;
  const name = `${WORKER_LEASE_PREFIX}${workerId}`;
  const acquired = await state.acquireLease(name, workerId, leaseMs, clock.now());
  // The owner is the id itself, so acquisition only fails if the store broke its contract.
  if (acquired === undefined) throw new Error(`could not take the worker lease ${name}`);
  let lease: Lease = acquired;
  const released = await state.releaseClaims(workerId, clock.now());
  const stopping = new AbortController();

  const beat = async (): Promise<boolean> => {
    const renewed = await state.renewLease(lease, leaseMs, clock.now());
    if (renewed === undefined) {
      const holder = (await state.listLeases(name)).find((l) => l.name === name);
      options.onSuperseded(holder ? `${holder.owner} (generation ${holder.generation})` : 'a release');
      return false;
    }
    lease = renewed;
    await state.renewClaims(workerId, leaseMs, clock.now());
    return true;
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await clock.sleep(renewMs, stopping.signal).catch(() => undefined);
      if (stopping.signal.aborted) return;
      try {
        if (!(await beat())) return;
      } catch (error) {
        options.onError(error);
      }
    }
  })();

  return {
    lease: acquired,
    released,
    async stop() {
      stopping.abort();
      await loop;
      await state.releaseLease(lease);
    },
  };
}
