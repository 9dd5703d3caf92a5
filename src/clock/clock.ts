/**
 * Every component takes a Clock (DESIGN.md "Time"): the system clock in production, a virtual one
 * in tests, the sandbox demo and benchmarks, so a day of free-tier quotas passes in seconds.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Declares I/O in flight (an HTTP call, a file write). A virtual clock does not advance while
   * work is declared busy, so simulated time passes only when every actor is waiting on the clock.
   */
  busy<T>(work: Promise<T>): Promise<T>;
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function onAbort(): void {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      }
      function done(): void {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  busy<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}

export const systemClock: Clock = new SystemClock();
