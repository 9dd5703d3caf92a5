import { abortReason, type Clock } from './clock.js';

interface Waiter {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export interface VirtualClockOptions {
  /** Start instant, epoch ms. */
  start: number;
  /**
   * Real milliseconds after which a busy() hold stops pinning virtual time. A hung request must not
   * freeze simulated time forever: past this, its virtual timeout timer can fire.
   */
  maxHoldRealMs?: number;
  /** Event-loop turns with nothing busy before time advances; lets I/O callbacks settle first. */
  idleTurns?: number;
}

/**
 * Discrete-event clock. `sleep` registers a waiter; when nothing is busy and the event loop has been
 * idle for a few turns, time jumps to the earliest waiter and wakes it. Concurrent actors therefore
 * see one consistent timeline, and waiters due at the same instant wake in registration order.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private holds = 0;
  private waiters: Waiter[] = [];
  private checkPending = false;
  private idleSeen = 0;
  private readonly maxHoldRealMs: number;
  private readonly idleTurns: number;

  constructor(options: VirtualClockOptions) {
    this.t = options.start;
    this.maxHoldRealMs = options.maxHoldRealMs ?? 5_000;
    this.idleTurns = options.idleTurns ?? 3;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.insert(waiter);
      this.scheduleCheck();
    });
  }

  busy<T>(work: Promise<T>): Promise<T> {
    this.holds += 1;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(cap);
      this.holds -= 1;
      this.scheduleCheck();
    };
    const cap = setTimeout(release, this.maxHoldRealMs);
    cap.unref?.();
    return work.finally(release);
  }

  /** Moves time forward by hand (tests), waking every waiter due by then. */
  advanceBy(ms: number): void {
    this.advanceTo(this.t + ms);
  }

  advanceTo(instant: number): void {
    if (instant > this.t) this.t = instant;
    this.wakeDue();
  }

  /** Number of actors currently sleeping on this clock. */
  get pendingSleepers(): number {
    return this.waiters.length;
  }

  private insert(waiter: Waiter): void {
    const index = this.waiters.findIndex((w) => w.at > waiter.at || (w.at === waiter.at && w.seq > waiter.seq));
    if (index === -1) this.waiters.push(waiter);
    else this.waiters.splice(index, 0, waiter);
  }

  private wakeDue(): void {
    while (this.waiters.length > 0 && (this.waiters[0] as Waiter).at <= this.t) {
      (this.waiters.shift() as Waiter).resolve();
    }
  }

  private scheduleCheck(): void {
    if (this.checkPending) return;
    this.checkPending = true;
    setImmediate(() => this.check());
  }

  private check(): void {
    this.checkPending = false;
    if (this.holds > 0 || this.waiters.length === 0) {
      this.idleSeen = 0;
      return;
    }
    this.idleSeen += 1;
    if (this.idleSeen < this.idleTurns) {
      this.scheduleCheck();
      return;
    }
    this.idleSeen = 0;
    const next = this.waiters[0] as Waiter;
    if (next.at > this.t) this.t = next.at;
    this.wakeDue();
    this.scheduleCheck();
  }
}
