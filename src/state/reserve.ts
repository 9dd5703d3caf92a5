import type { ReserveRequest, ReserveResult } from './types.js';

/**
 * The decision both backends take inside their reservation transaction, from what the store holds:
 * the day's count and the vendor's newest request instants inside the window (newest first, at most
 * `rpm` of them). Budget first (a refusal the caller must not wait out), then spacing, then the
 * window. Undefined means granted.
 */
export function refusalOf(request: ReserveRequest, spent: number, newestFirst: readonly number[]): ReserveResult | undefined {
  if (request.dailyLimit !== undefined && spent >= request.dailyLimit) return { granted: false, reason: 'budget', spent };
  const last = newestFirst[0];
  if (last !== undefined && request.minIntervalMs > 0 && last + request.minIntervalMs > request.atMs) {
    return { granted: false, reason: 'interval', retryAtMs: last + request.minIntervalMs, spent };
  }
  const limit = Math.max(1, Math.floor(request.rpm));
  if (newestFirst.length >= limit) {
    const oldestThatMustLeave = newestFirst[limit - 1] as number;
    return { granted: false, reason: 'rate', retryAtMs: oldestThatMustLeave + request.windowMs, spent };
  }
  return undefined;
}

/** Instants strictly after this are inside the window ending at `atMs` (the SlidingWindow convention). */
export function windowFloor(request: ReserveRequest): number {
  return request.atMs - request.windowMs;
}
