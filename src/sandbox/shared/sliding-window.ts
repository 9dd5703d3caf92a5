export interface WindowVerdict {
  allowed: boolean;
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** Epoch ms when the oldest counted request leaves the window (a slot frees). */
  resetMs: number;
}

/**
 * A sliding-window request limiter per key, counting rejected requests too (as Alpaca and Polygon
 * do: hammering through a 429 keeps the window full). A limit of Infinity never rejects.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  hit(key: string, now: number): WindowVerdict {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const allowed = recent.length < this.limit;
    if (Number.isFinite(this.limit)) recent.push(now);
    this.hits.set(key, recent);
    const oldest = recent[0] ?? now;
    return { allowed, limit: this.limit, remaining: Math.max(0, this.limit - recent.length), resetMs: oldest + this.windowMs };
  }
}
