import { writeFileSync, writeSync } from 'node:fs';
import type { ObjectBody, ObjectStore } from '../lake/index.js';
import type { StateStore } from '../state/index.js';

/**
 * Side effects a crash can be placed at:
 * - `http`: the k-th HTTP response received (headers in, before the body is read or acted on);
 * - `part`: the k-th lake object about to be committed (its bytes are staged on disk, not yet visible);
 * - `rename`: the k-th lake commit that just completed (rename/link of a part, replace of a table);
 * - `state`: the k-th state-store mutation that just completed (durable, nothing after it happened).
 */
export const CRASH_KINDS = ['http', 'part', 'rename', 'state'] as const;
export type CrashKind = (typeof CRASH_KINDS)[number];

export interface CrashPlan {
  kind: CrashKind;
  /** 1-based: crash at the `at`-th event of `kind`. */
  at: number;
}

export type CrashCounts = Record<CrashKind, number>;

export class CrashSpecError extends Error {
  override readonly name = 'CrashSpecError';
}

/** Parses `TRADEML_CRASH_AT`, e.g. `rename:12`. */
export function parseCrashAt(text: string): CrashPlan {
  const match = /^(\w+):(\d+)$/.exec(text.trim());
  const kind = match?.[1];
  const at = Number(match?.[2]);
  if (!match || !(CRASH_KINDS as readonly string[]).includes(kind ?? '') || !Number.isInteger(at) || at < 1) {
    throw new CrashSpecError(`TRADEML_CRASH_AT: expected <${CRASH_KINDS.join('|')}>:<k> with k >= 1, got ${JSON.stringify(text)}`);
  }
  return { kind: kind as CrashKind, at };
}

/**
 * State-store methods that only read. Every other method but `close` is a mutation and a crash
 * point, so a method added to the store later is covered without touching this list.
 */
const STATE_READS: ReadonlySet<string> = new Set<string>([
  'getBookmark',
  'getSpend',
  'recentRequests',
  'getVendorHealth',
  'listVendorHealth',
  'listCapabilityStatus',
  'badSymbols',
  'isLeaseCurrent',
  'listLeases',
  'queueStats',
  'listQueue',
  'recentLog',
  'close',
]);

export type FetchFunction = typeof globalThis.fetch;

export interface CrashPointsOptions {
  plan?: CrashPlan | undefined;
  /** What a crash does; default: SIGKILL this process (no handler, no flush, like a power cut). */
  crash?: ((kind: CrashKind, at: number) => void) | undefined;
}

/**
 * Counts side effects and crashes at the planned one. Wrappers delegate everything else unchanged;
 * without a plan they only count (the counts tell a harness how many points a run has).
 */
export class CrashPoints {
  readonly plan: CrashPlan | undefined;
  private readonly tally: CrashCounts = { http: 0, part: 0, rename: 0, state: 0 };
  private readonly crash: (kind: CrashKind, at: number) => void;

  constructor(options: CrashPointsOptions = {}) {
    this.plan = options.plan;
    this.crash = options.crash ?? killSelf;
  }

  counts(): CrashCounts {
    return { ...this.tally };
  }

  /** Records one event of `kind`; crashes when it is the planned one. */
  hit(kind: CrashKind): void {
    this.tally[kind] += 1;
    if (this.plan?.kind === kind && this.plan.at === this.tally[kind]) this.crash(kind, this.tally[kind]);
  }

  wrapFetch(fetch: FetchFunction): FetchFunction {
    return async (input, init) => {
      const response = await fetch(input, init);
      this.hit('http');
      return response;
    };
  }

  wrapStore(store: ObjectStore): ObjectStore {
    const commit = async <T>(run: () => Promise<T>): Promise<T> => {
      this.hit('part');
      const result = await run();
      this.hit('rename');
      return result;
    };
    return {
      get location() {
        return store.location;
      },
      stage: (key) => store.stage(key),
      discard: (staged) => store.discard(staged),
      putIfAbsent: (key: string, body: ObjectBody) => commit(() => store.putIfAbsent(key, body)),
      replace: (key: string, body: ObjectBody) => commit(() => store.replace(key, body)),
      get: (key) => store.get(key),
      list: (prefix) => store.list(prefix),
      delete: (key) => store.delete(key),
      readablePaths: (keys) => store.readablePaths(keys),
    };
  }

  wrapState(state: StateStore): StateStore {
    return new Proxy(state, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (typeof property !== 'string' || STATE_READS.has(property)) return method.bind(target);
        return async (...args: unknown[]) => {
          const result = await method.apply(target, args);
          this.hit('state');
          return result;
        };
      },
    });
  }
}

function killSelf(kind: CrashKind, at: number): void {
  // Synchronous write: a SIGKILL drops anything still queued on a pipe.
  writeSync(2, `crashpoint: SIGKILL at ${kind}:${at}\n`);
  process.kill(process.pid, 'SIGKILL');
}

/**
 * The crash points `TRADEML_CRASH_AT` asks for (undefined when neither it nor `TRADEML_CRASH_TALLY`
 * is set: then nothing is wrapped and nothing costs). `TRADEML_CRASH_TALLY=<file>` writes the
 * event counts as JSON when the process exits normally.
 */
export function crashPointsFromEnv(env: Readonly<Record<string, string | undefined>>): CrashPoints | undefined {
  const spec = env.TRADEML_CRASH_AT;
  const tallyFile = env.TRADEML_CRASH_TALLY;
  if (!spec && !tallyFile) return undefined;
  const points = new CrashPoints({ plan: spec ? parseCrashAt(spec) : undefined });
  if (tallyFile) process.once('exit', () => writeFileSync(tallyFile, JSON.stringify(points.counts())));
  return points;
}
