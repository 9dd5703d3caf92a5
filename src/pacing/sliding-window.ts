/**
 * "At most `limit` requests in any window of `windowMs`" plus a minimum spacing between requests.
 *
 * A sliding window, not a fixed one: fixed windows allow 2× bursts at the seam, which trips a
 * vendor like Polygon (5/min, multi-minute lockout after a burst). `marginMs` widens the window so
 * clock skew against the vendor's own counter never makes us the one that is early.
 */
export interface SlidingWindowOptions {
  limit: number;
  windowMs: number;
  minIntervalMs?: number;
  marginMs?: number;
}

export class SlidingWindow {
  private readonly stamps: number[] = [];
  private readonly limit: number;
  private readonly span: number;
  private readonly minIntervalMs: number;

  constructor(options: SlidingWindowOptions) {
    if (!(options.limit >= 1)) throw new RangeError(`limit: expected a number >= 1, got ${options.limit}`);
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs: expected a positive number, got ${options.windowMs}`);
    this.limit = Math.floor(options.limit);
    this.span = options.windowMs + (options.marginMs ?? 0);
    this.minIntervalMs = options.minIntervalMs ?? 0;
  }

  /** Seeds the window with requests made before a restart, so a new process does not burst. */
  seed(instants: readonly number[]): void {
    for (const at of [...instants].sort((a, b) => a - b)) this.stamps.push(at);
  }

  /** The earliest instant ≥ now at which one more request fits. */
  nextAllowedAt(now: number): number {
    this.prune(now);
    let at = now;
    const last = this.stamps[this.stamps.length - 1];
    if (last !== undefined) at = Math.max(at, last + this.minIntervalMs);
    if (this.stamps.length >= this.limit) {
      const oldestThatMustExpire = this.stamps[this.stamps.length - this.limit] as number;
      at = Math.max(at, oldestThatMustExpire + this.span);
    }
    return at;
  }

  record(at: number): void {
    this.stamps.push(at);
  }

  /** Requests counted in the window ending at `now`. */
  inWindow(now: number): number {
    this.prune(now);
    return this.stamps.length;
  }

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= now - this.span) this.stamps.shift();
  }
}
