import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CRASH_KINDS, type CrashCounts, type CrashKind } from '../../src/crashpoints/index.js';
import { describeBackends, type E2eBackend, type ProvisionedBackend } from '../support/backends.js';
import { removeDir, runCli, shortWindowConfigs, tempDir } from '../support/cli.js';
import { fingerprint, LONG, pool, seededRandom, type LakeFingerprint } from './support/fingerprint.js';

/**
 * Crash at the k-th side effect (SIGKILL from inside the process: no handler runs, nothing is
 * flushed), restart to completion, and compare with an uninterrupted run. Points are drawn from a
 * seed over every kind; each kind's first and last point are always included.
 * Replay one by hand: TRADEML_CRASH_AT=<kind>:<k> trademl demo --data-dir D --as-of 2026-11-20 --symbols 20
 */
const AS_OF = '2026-11-20';
const SYMBOLS = '20';
const POINTS = Number(process.env.TRADEML_CRASH_POINTS ?? (LONG ? 200 : 50));
/** PostgreSQL + S3 runs one seeded point of each kind in CI; test:long runs this many there. */
const REMOTE_POINTS_LONG = 50;
const SEED = Number(process.env.TRADEML_CRASH_SEED ?? 20261124);
let configs: string;

const demoArgs = (dataDir: string): string[] => ['demo', '--json', '--data-dir', dataDir, '--config-dir', configs, '--as-of', AS_OF, '--symbols', SYMBOLS];

beforeAll(async () => {
  // Every dataset runs, over windows short enough that one run takes seconds: the shipped treasury
  // and macro windows (back to 2000 and 1990) write hundreds of daily partitions that add run time,
  // not kinds of side effect. Still over 500 points of each kind but state (over 2,000).
  configs = await shortWindowConfigs(20, { treasuries: 60, macro_series: 400 });
});
afterAll(async () => {
  await removeDir(configs);
});

/** `per` distinct points of each kind: 1, the last, and seeded draws in between. */
function choosePoints(counts: CrashCounts, total: number): { kind: CrashKind; at: number }[] {
  const random = seededRandom(SEED);
  const per = Math.ceil(total / CRASH_KINDS.length);
  return CRASH_KINDS.flatMap((kind) => {
    const n = counts[kind];
    const chosen = new Set<number>([1, n]);
    while (chosen.size < Math.min(per, n)) chosen.add(1 + Math.floor(random() * n));
    return [...chosen].sort((a, b) => a - b).map((at) => ({ kind, at }));
  });
}

/** The representative subset PostgreSQL + S3 runs: one seeded point of each kind (first and last excluded when there are more). */
function onePerKind(counts: CrashCounts): { kind: CrashKind; at: number }[] {
  const random = seededRandom(SEED);
  return CRASH_KINDS.map((kind) => {
    const n = counts[kind];
    return { kind, at: n > 2 ? 2 + Math.floor(random() * (n - 2)) : n };
  });
}

interface Outcome {
  spec: string;
  /** False when this run had fewer events of the kind than the reference (counts vary a little with timing). */
  crashed: boolean;
  problems: string[];
  /** Staging files the crash left on disk (never visible to readers; counted as a disk-space figure). */
  leftoverTempFiles: number;
}

async function crashAndResume(backend: E2eBackend, work: string, reference: LakeFingerprint, point: { kind: CrashKind; at: number }, index: number): Promise<Outcome> {
  const spec = `${point.kind}:${point.at}`;
  const dataDir = path.join(work, `p${index}`);
  const storage = await backend.provision();
  try {
    return await crashAndResumeIn(storage, dataDir, reference, spec);
  } finally {
    await Promise.all([removeDir(dataDir), storage.dispose()]);
  }
}

async function crashAndResumeIn(storage: ProvisionedBackend, dataDir: string, reference: LakeFingerprint, spec: string): Promise<Outcome> {
  const first = await runCli(demoArgs(dataDir), { env: { ...storage.env, TRADEML_CRASH_AT: spec } });
  const problems: string[] = [];
  const crashed = first.signal === 'SIGKILL' && first.stderr.includes(`crashpoint: SIGKILL at ${spec}`);
  if (!crashed && first.code !== 0) problems.push(`first run neither crashed nor finished (code ${first.code}, signal ${first.signal}): ${first.stderr.slice(-300)}`);
  const resumed = await runCli(demoArgs(dataDir), { env: storage.env });
  if (resumed.code !== 0) problems.push(`resume exited ${resumed.code}: ${resumed.stderr.slice(-300)}`);
  const got = await fingerprint(storage, dataDir);
  if (got.curatedHash !== reference.curatedHash) problems.push('curated content hash differs');
  if (got.curatedRows !== reference.curatedRows) problems.push(`curated rows differ (${got.curatedCount} vs ${reference.curatedCount})`);
  if (got.ledger !== reference.ledger) problems.push('ledger differs');
  for (const table of new Set([...Object.keys(reference.tables), ...Object.keys(got.tables)])) {
    if (got.tables[table] !== reference.tables[table]) problems.push(`${table} rows differ (${got.tables[table]} vs ${reference.tables[table]})`);
  }
  if (got.duplicateRawKeys !== 0) problems.push(`${got.duplicateRawKeys} duplicate raw keys`);
  if (got.visibleTempKeys !== 0) problems.push(`${got.visibleTempKeys} staging files visible to readers`);
  return { spec, crashed, leftoverTempFiles: got.leftoverTempFiles, problems: problems.map((p) => `TRADEML_CRASH_AT=${spec}: ${p}`) };
}

describeBackends(`SIGKILL at the k-th side effect, then resume (${POINTS} seeded points on sqlite+file; ${LONG ? REMOTE_POINTS_LONG : 'one per kind'} on postgres+s3)`, (backend) => {
  let storage: ProvisionedBackend;
  let work: string;
  let counts: CrashCounts;
  let reference: LakeFingerprint;
  beforeAll(async () => {
    storage = await backend.provision();
    work = await tempDir('crash-points');
    const tally = path.join(work, 'tally.json');
    const run = await runCli(demoArgs(path.join(work, 'reference')), { env: { ...storage.env, TRADEML_CRASH_TALLY: tally } });
    if (run.code !== 0) throw new Error(`reference run failed: ${run.stderr}`);
    counts = JSON.parse(await readFile(tally, 'utf8')) as CrashCounts;
    reference = await fingerprint(storage, path.join(work, 'reference'));
  }, 600_000);
  afterAll(async () => {
    await Promise.all([removeDir(work), storage?.dispose()]);
  });

  it('the uninterrupted run has crash points of every kind and nothing left over', () => {
    for (const kind of CRASH_KINDS) expect(counts[kind], kind).toBeGreaterThan(5);
    expect(reference.duplicateRawKeys).toBe(0);
    expect(reference.leftoverTempFiles).toBe(0);
    expect(reference.curatedCount).toBeGreaterThan(0);
  });

  const remote = backend.name !== 'sqlite+file';
  const remoteSubset = remote && !LONG;
  it(`every resumed run equals the uninterrupted one (${remoteSubset ? 'one seeded point of each kind' : `${remote ? REMOTE_POINTS_LONG : POINTS} seeded points`} over http, part, rename, state)`, async () => {
    const points = remoteSubset ? onePerKind(counts) : choosePoints(counts, remote ? REMOTE_POINTS_LONG : POINTS);
    expect(points.length).toBeGreaterThanOrEqual(Math.min(POINTS, 4));
    const started = Date.now();
    const outcomes = await pool(2, points.map((point, i) => () => crashAndResume(backend, work, reference, point, i)));
    console.log(`crash points: ${outcomes.filter((o) => o.crashed).length}/${outcomes.length} crashed and resumed in ${((Date.now() - started) / 1000).toFixed(1)} s; staging files left on disk: ${outcomes.reduce((n, o) => n + o.leftoverTempFiles, 0)}; not reached: ${outcomes.filter((o) => !o.crashed).map((o) => o.spec).join(' ') || 'none'}`);
    const problems = outcomes.flatMap((o) => o.problems);
    // Printed in full: the assertion's diff truncates long arrays, and each line is its own replay.
    for (const problem of problems) console.log(problem);
    expect(problems).toEqual([]);
    expect(outcomes.filter((o) => o.crashed).length).toBeGreaterThanOrEqual(Math.ceil(outcomes.length * 0.9));
    // A hang guard: 52 points took 18 min alone on two cores, and CI shares them with another file.
  }, 3_600_000);
});
