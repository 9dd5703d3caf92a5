import type { Lake, ObjectStore } from '../lake/index.js';
import type { StateStore } from '../state/index.js';
import { crashPointsFromEnv, type CrashPoints } from './crashpoints.js';

let processPoints: { points: CrashPoints | undefined } | undefined;
let fetchInstalled = false;

/** The crash points of this process, read once from its environment (one counter per process). */
export function processCrashPoints(): CrashPoints | undefined {
  processPoints ??= { points: crashPointsFromEnv(process.env) };
  return processPoints.points;
}

/**
 * Puts the process's crash points (if any) around a runtime's side effects: the lake's object
 * store, the state store (returned wrapped) and the global fetch every vendor client calls.
 * Without `TRADEML_CRASH_AT`/`TRADEML_CRASH_TALLY` it returns `state` untouched.
 */
export function installCrashPoints(lake: Lake, state: StateStore): StateStore {
  const points = processCrashPoints();
  if (!points) return state;
  wrapLakeStore(points, lake);
  if (!fetchInstalled) {
    const original = globalThis.fetch.bind(globalThis);
    globalThis.fetch = points.wrapFetch(original);
    fetchInstalled = true;
  }
  return points.wrapState(state);
}

/**
 * The Lake builds its store itself and offers no hook, so the test-only wrapper swaps the field.
 * Fails loudly if the Lake's shape changes, so the harness cannot silently stop crashing.
 */
function wrapLakeStore(points: CrashPoints, lake: Lake): void {
  const holder = lake as unknown as { store?: ObjectStore };
  const store = holder.store;
  if (!store || typeof store.putIfAbsent !== 'function' || typeof store.replace !== 'function') {
    throw new Error('crashpoints: Lake no longer keeps its ObjectStore in `store`; update src/crashpoints/install.ts');
  }
  holder.store = points.wrapStore(store);
}
