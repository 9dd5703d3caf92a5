import type { ObjectStore } from '../lake/index.js';
import type { StateStore } from '../state/index.js';
import { crashPointsFromEnv, type CrashPoints } from './crashpoints.js';

let processPoints: { points: CrashPoints | undefined } | undefined;
let fetchInstalled = false;

/** The crash points of this process, read once from its environment (one counter per process). */
export function processCrashPoints(): CrashPoints | undefined {
  processPoints ??= { points: crashPointsFromEnv(process.env) };
  return processPoints.points;
}

/** The lake's store wrapper for `Lake.open({ wrapStore })`; undefined when no crash points are set. */
export function crashStoreWrapper(): ((store: ObjectStore) => ObjectStore) | undefined {
  const points = processCrashPoints();
  return points ? (store) => points.wrapStore(store) : undefined;
}

/**
 * Puts the process's crash points (if any) around a runtime's other side effects: the state store
 * (returned wrapped) and the global fetch every vendor client calls (the lake's store is wrapped at
 * `Lake.open` through `crashStoreWrapper`). Without `TRADEML_CRASH_AT`/`TRADEML_CRASH_TALLY` it
 * returns `state` untouched.
 */
export function installCrashPoints(state: StateStore): StateStore {
  const points = processCrashPoints();
  if (!points) return state;
  if (!fetchInstalled) {
    const original = globalThis.fetch.bind(globalThis);
    globalThis.fetch = points.wrapFetch(original);
    fetchInstalled = true;
  }
  return points.wrapState(state);
}
