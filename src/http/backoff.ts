/** A source of uniform numbers in [0, 1): injected so retry jitter is reproducible in tests. */
export type RandomSource = () => number;

/** Deterministic PRNG (mulberry32): same seed, same jitter sequence. */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return function seededRandom(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(cap, base·2^attempt)). Spreads
 * retries of many clients instead of synchronising them (AWS architecture blog, 2015).
 * `attempt` counts from 0 for the first retry.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: RandomSource): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
