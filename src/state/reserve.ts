import type { ReserveRequest, ReserveResult } from './types.js';

/**
 * The decision both backends take inside their reservation transaction, from what the store holds:
 * each daily counter's count (in `dayKeys` order) and the vendor's newest request instants inside the window (newest first, at most
 * `rpm` of them). Budget first (a refusal the caller must not wait out), then spacing, then the
 * window. Undefined means granted.
 */
export function refusalOf(request: ReserveRequest, spentByDay: readonly number[], newestFirst: readonly number[]): ReserveResult | undefined {
  const days = dayKeys(request);
  const limit = request.dailyLimit;
  const fullDays = limit === undefined ? [] : days.filter((_, i) => (spentByDay[i] ?? 0) >= limit);
  if (fullDays.length > 0) return { granted: false, reason: 'budget', spent: Math.max(...spentByDay), fullDays };
  const spent = spentByDay[0] ?? 0;
  const last = newestFirst[0];
  if (last !== undefined && request.minIntervalMs > 0 && last + request.minIntervalMs > request.atMs) {
    return { granted: false, reason: 'interval', retryAtMs: last + request.minIntervalMs, spent };
  }
  const perWindow = Math.max(1, Math.floor(request.rpm));
  if (newestFirst.length >= perWindow) {
    const oldestThatMustLeave = newestFirst[perWindow - 1] as number;
    return { granted: false, reason: 'rate', retryAtMs: oldestThatMustLeave + request.windowMs, spent };
  }
  return undefined;
}

/** Instants strictly after this are inside the window ending at `atMs` (the SlidingWindow convention). */
export function windowFloor(request: ReserveRequest): number {
  return request.atMs - request.windowMs;
}

/** Every daily counter the request counts against: its budget day first, then the extra days. */
export function dayKeys(request: Pick<ReserveRequest, 'day' | 'extraDays'>): string[] {
  return [request.day, ...(request.extraDays ?? []).filter((d) => d !== request.day)];
}
