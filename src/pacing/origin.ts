import { AsyncLocalStorage } from 'node:async_hooks';
import type { UnitOrigin } from '../state/index.js';

const origins = new AsyncLocalStorage<UnitOrigin>();

/**
 * Runs `work` with every request it makes (through any vendor client, however deep) attributed to
 * `origin`, so the pacer can apply the forward reserve without the origin being threaded through
 * every client call. The executor wraps each unit's handler in it.
 */
export function withRequestOrigin<T>(origin: UnitOrigin, work: () => Promise<T>): Promise<T> {
  return origins.run(origin, work);
}

/** The origin of the unit whose handler is running here; undefined outside one (CLI fetch, probes). */
export function currentRequestOrigin(): UnitOrigin | undefined {
  return origins.getStore();
}
