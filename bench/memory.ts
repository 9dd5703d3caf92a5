/**
 * Peak memory of the pipeline process alone. Three processes: the benchmark (this module's
 * `memory.run`), the vendor emulator (`trademl sandbox serve --relax-limits`, run from source) and
 * the measured pipeline process, which runs only `runPipelineOnce` (Alpaca: symbols, corporate
 * actions, bars → audit → repair → curate, real clock, pacing lifted so it is CPU-bound) and samples
 * its own memory every 50 ms per phase. Its peak RSS is `process.resourceUsage().maxRSS` (the
 * kernel's high-water mark, so a spike between samples still counts).
 *
 *   node --import tsx bench/memory.ts --probe [symbols=1000] [lookbackDays=365]
 *
 * runs the measured process directly and prints its report (one JSON line).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, type Benchmark, type BenchContext, type Figure } from './support.js';

const TARGET_MB = 400;
const SELF = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(SELF), '..');
const PROBE_FLAG = '--probe';
const SANDBOX_FLAG = '--sandbox';
const MB = 1024 * 1024;
const SAMPLE_MS = 50;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryReport {
  symbols: number;
  lookbackDays: number;
  greenRatio: number;
  sessions: number;
  wallMs: number;
  /** The process's peak resident set (kernel high-water mark), MB. */
  maxRssMb: number;
  /** Per phase (in order of first appearance): the sampled peak RSS with heap/external/arrayBuffers at it, MB. */
  phasesMb: Record<string, MemorySample>;
  /** The phase during which the kernel's high-water mark was reached. */
  peakPhase: string;
  /** Rows of equities_ohlcv_adj the curator wrote (a run that lost data would show here). */
  curatedRows: number;
}

export const memory: Benchmark = {
  name: 'memory',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const size = ctx.quick ? { symbols: 300, lookbackDays: 365 } : { symbols: 5000, lookbackDays: 730 };
    ctx.log(`memory: pipeline process (backfill → audit → curate) over ${size.symbols} symbols × ${size.lookbackDays} days, sandbox in its own process`);
    const report = await runProbeProcess(size.symbols, size.lookbackDays);
    const phases = Object.entries(report.phasesMb)
      .map(([name, s]) => `${name} ${s.rss}`)
      .join(', ');
    const atPeak = report.phasesMb[report.peakPhase];
    ctx.log(`  peak RSS ${report.maxRssMb} MB in ${report.peakPhase}; per phase ${phases}; wall ${(report.wallMs / 1000).toFixed(1)} s`);
    const detail = atPeak ? ` (heap ${atPeak.heapUsed}, external ${atPeak.external}, arrayBuffers ${atPeak.arrayBuffers} MB at its sampled peak)` : '';
    return [
      figure({
        benchmark: 'memory',
        metric: `peak RSS of the pipeline process alone (${size.symbols} sym × ${size.lookbackDays} d, sandbox in its own process)`,
        unit: 'MB',
        value: report.maxRssMb,
        baseline: { name: 'target', value: TARGET_MB },
        target: '≤ 1',
        note: `peak in ${report.peakPhase}${detail}; phase peaks MB: ${phases}; ${(report.greenRatio * 100).toFixed(1)}% GREEN, ${report.curatedRows.toLocaleString('en-US')} curated rows, wall ${(report.wallMs / 1000).toFixed(0)} s`,
      }),
    ];
  },
};

/** Spawns the measured pipeline process and returns its report. */
function runProbeProcess(symbols: number, lookbackDays: number): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    // A heap ceiling far above the target, so an overshoot is measured instead of crashing the child.
    const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', SELF, PROBE_FLAG, String(symbols), String(lookbackDays)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`memory probe exited with code ${String(code)}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemoryReport);
    });
  });
}

interface SandboxProcess {
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/** The vendor emulator in its own process, from source (no build needed), limits lifted. */
async function startSandboxProcess(symbols: number): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, SANDBOX_FLAG, String(symbols)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (!text.includes('Ctrl-C')) return;
      resolve(Object.fromEntries([...text.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string])));
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${String(code)} before listening`)));
  });
  return {
    env,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Copies configs/ with Alpaca's pacing lifted (the sandbox is relaxed too) and the eod lookback set. */
async function probeConfig(configDir: string, lookbackDays: number): Promise<void> {
  await cp(path.join(REPO, 'configs'), configDir, { recursive: true });
  const endpoints = path.join(configDir, 'endpoints.yml');
  await writeFile(endpoints, (await readFile(endpoints, 'utf8')).replace(/rpm: 200\b/, 'rpm: 100000').replace(/min_interval_ms: \d+/g, 'min_interval_ms: 0'));
  const backfill = path.join(configDir, 'backfill.yml');
  await writeFile(backfill, (await readFile(backfill, 'utf8')).replace(/(equities_eod:\s*\n(?:\s+#.*\n|\s+\w+:.*\n)*?\s+lookback_days:\s*)\d+/, `$1${lookbackDays}`));
}

/** Samples this process's memory and keeps each phase's peak. */
class PhaseSampler {
  readonly phases = new Map<string, MemorySample>();
  private phase = 'startup';
  private highWaterKb = process.resourceUsage().maxRSS;
  peakPhase = 'startup';

  sample(): void {
    const m = process.memoryUsage();
    const current = this.phases.get(this.phase);
    if (!current || m.rss > current.rss) this.phases.set(this.phase, { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers });
    // The kernel's high-water mark grows only while a new peak is being set: that phase holds the peak.
    const maxRss = process.resourceUsage().maxRSS;
    if (maxRss > this.highWaterKb) {
      this.highWaterKb = maxRss;
      this.peakPhase = this.phase;
    }
  }

  enter(phase: string): void {
    this.sample();
    this.phase = phase;
  }
}

/** In the measured process: the real pipeline against a sandbox process; returns the memory report. */
export async function probePipelineMemory(symbols: number, lookbackDays: number): Promise<MemoryReport> {
  // Imported here, not at the top: the benchmark runner that spawns this never loads the pipeline.
  const [{ systemClock }, { openRuntime }, { loadConfig, loadEnvironment }, { runPipelineOnce }] = await Promise.all([
    import('../src/clock/index.js'),
    import('../src/cli/runtime.js'),
    import('../src/config/index.js'),
    import('../src/scheduler/index.js'),
  ]);
  const work = await mkdtemp(path.join(os.tmpdir(), 'trademl-memory-'));
  const configDir = path.join(work, 'configs');
  await probeConfig(configDir, lookbackDays);
  const sandbox = await startSandboxProcess(symbols);
  const sampler = new PhaseSampler();
  const timer = setInterval(() => sampler.sample(), SAMPLE_MS);
  const started = Date.now();
  try {
    const env = loadEnvironment({ ...sandbox.env, ALPACA_API_KEY_ID: 'PKMEMORY', ALPACA_API_SECRET_KEY: 'memory-secret', TRADEML_STATE_URL: `sqlite:${path.join(work, 'state.sqlite')}` });
    const runtime = await openRuntime({ configDir, config: await loadConfig(configDir), dataDir: path.join(work, 'lake'), env, clock: systemClock, owner: 'memory', vendors: ['alpaca'], tasks: ['alpaca_bars', 'alpaca_assets', 'alpaca_corporate_actions'] });
    try {
      const report = await runPipelineOnce(runtime, { onEvent: (event) => event.kind === 'phase' && sampler.enter(event.phase) });
      sampler.enter('done');
      const round = (s: MemorySample): MemorySample => ({ rss: Math.round(s.rss / MB), heapUsed: Math.round(s.heapUsed / MB), external: Math.round(s.external / MB), arrayBuffers: Math.round(s.arrayBuffers / MB) });
      return {
        symbols,
        lookbackDays,
        greenRatio: report.ledger.greenRatio,
        sessions: report.ledger.sessions,
        wallMs: Date.now() - started,
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        phasesMb: Object.fromEntries([...sampler.phases].map(([name, s]) => [name, round(s)])),
        peakPhase: sampler.peakPhase,
        curatedRows: report.curate.rows,
      };
    } finally {
      await runtime.close();
    }
  } finally {
    clearInterval(timer);
    await sandbox.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** In the sandbox process: `trademl sandbox serve --relax-limits` from source, until SIGTERM. */
async function serveSandbox(symbols: number): Promise<void> {
  const { main } = await import('../src/cli/main.js');
  process.exitCode = await main([process.argv[0] as string, 'trademl', 'sandbox', 'serve', '--relax-limits', '--symbols', String(symbols)]);
}

if (process.argv[2] === PROBE_FLAG) {
  const report = await probePipelineMemory(Number(process.argv[3] ?? 1000), Number(process.argv[4] ?? 365));
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else if (process.argv[2] === SANDBOX_FLAG) {
  await serveSandbox(Number(process.argv[3]));
}
