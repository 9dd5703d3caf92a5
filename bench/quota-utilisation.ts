import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import PQueue from 'p-queue';
import type { Clock } from '../src/clock/index.js';
import { Pacer } from '../src/pacing/index.js';
import { openStateStore } from '../src/state/index.js';
import { figure, type Benchmark, type BenchContext, type Figure } from './support.js';

/** Scaled-down free tier: LIMIT requests per INTERVAL_MS, on the real clock. */
const LIMIT = 10;
const INTERVAL_MS = 1000;
/** The pacer's windows are one minute; this clock runs it 60× faster so a minute lasts INTERVAL_MS. */
const SCALE = 60_000 / INTERVAL_MS;
/** A request's own duration: the time a vendor takes to answer. */
const TASK_MS = 20;
const CONCURRENCY = 4;
/**
 * Violations are also counted in windows this much shorter: p-queue's strict mode reads Date.now
 * (whole milliseconds), so it can start the 11th request 999.x ms after the first one.
 */
const JITTER_MS = 5;

interface Trial {
  name: string;
  /** Start instants (ms since the trial began) of every request. */
  starts: number[];
}

export const quotaUtilisation: Benchmark = {
  name: 'quota-utilisation',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const durationMs = ctx.quick ? 3_000 : 10_000;
    ctx.log(`quota-utilisation: ${LIMIT} per ${INTERVAL_MS} ms over ${durationMs} ms, always-ready work, real clock`);
    const trials = [await pacerTrial(durationMs), await pQueueTrial(durationMs, false), await pQueueTrial(durationMs, true)];
    const ideal = (LIMIT * durationMs) / INTERVAL_MS;
    const figures: Figure[] = [];
    for (const trial of trials) {
      const achieved = trial.starts.filter((t) => t < durationMs).length;
      const v = violations(trial.starts, INTERVAL_MS);
      const loose = violations(trial.starts, INTERVAL_MS - JITTER_MS);
      figures.push(
        figure({
          benchmark: 'quota-utilisation',
          metric: `${trial.name}: share of limit, always-ready`,
          unit: 'req',
          value: achieved,
          baseline: { name: `limit × duration`, value: ideal },
          target: '≥ 0.95',
          note: `${v.count} windows over the limit (max ${v.max} in ${INTERVAL_MS} ms); ${loose.count} beyond ${JITTER_MS} ms of timer jitter (max ${loose.max})`,
        }),
      );
    }
    return figures;
  },
};

/** Always-ready work: twice what the limit allows over the trial, all queued at the start. */
function arrivals(durationMs: number): number[] {
  return new Array<number>(Math.ceil((LIMIT * durationMs) / INTERVAL_MS) * 2).fill(0);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Real time, with the pacer's one-minute windows compressed SCALE times. */
function scaledClock(): Clock {
  const epoch = Date.now();
  const origin = performance.now();
  return {
    now: () => epoch + (performance.now() - origin) * SCALE,
    sleep: (ms) => sleep(ms / SCALE),
    busy: (work) => work,
  };
}

async function pacerTrial(durationMs: number): Promise<Trial> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-bench-pacer-'));
  const state = await openStateStore(`sqlite:${path.join(dir, 'state.sqlite')}`);
  try {
    const clock = scaledClock();
    const pacer = await Pacer.create({ clock, state, limits: { polygon: { rpm: LIMIT } } });
    return { name: 'pacer (sliding window)', starts: await drive(durationMs, async (task) => {
      await pacer.acquire('polygon', 'polygon.aggs.grouped_daily');
      await task();
    }) };
  } finally {
    await state.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function pQueueTrial(durationMs: number, strict: boolean): Promise<Trial> {
  const queue = new PQueue({ concurrency: CONCURRENCY, intervalCap: LIMIT, interval: INTERVAL_MS, strict });
  const starts = await drive(durationMs, (task) => queue.add(task));
  queue.clear();
  await queue.onIdle();
  return { name: `p-queue ${strict ? 'strict' : 'non-strict'}`, starts };
}

/**
 * Feeds the arrivals to `submit` (at most CONCURRENCY in flight for the pacer's workers), records
 * each request's start and stops accepting work at the end of the trial.
 */
async function drive(durationMs: number, submit: (task: () => Promise<void>) => Promise<void>): Promise<number[]> {
  const origin = performance.now();
  const starts: number[] = [];
  const pending = arrivals(durationMs);
  const stopAt = origin + durationMs;
  const task = async (): Promise<void> => {
    const at = performance.now();
    if (at >= stopAt) return;
    starts.push(at - origin);
    await sleep(TASK_MS);
  };
  let next = 0;
  const slots = new Set<Promise<void>>();
  while (next < pending.length && performance.now() < stopAt) {
    const due = origin + (pending[next] as number);
    if (due > performance.now()) await sleep(due - performance.now());
    if (slots.size >= CONCURRENCY * 4) await Promise.race(slots);
    const job = submit(task).finally(() => slots.delete(job));
    slots.add(job);
    next += 1;
  }
  await sleep(stopAt - performance.now());
  await Promise.allSettled(slots);
  return starts;
}

/** Windows [t, t + windowMs) anchored at each request holding more than LIMIT requests. */
function violations(starts: readonly number[], windowMs: number): { count: number; max: number } {
  const sorted = [...starts].sort((a, b) => a - b);
  let count = 0;
  let max = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    while (j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + windowMs) j += 1;
    const inWindow = j - i;
    max = Math.max(max, inWindow);
    if (inWindow > LIMIT) count += 1;
  }
  return { count, max };
}
