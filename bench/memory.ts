/**
 * Peak memory of the pipeline as users run it: `trademl run --once` from the built CLI (dist/,
 * rebuilt first), Alpaca only (symbols, corporate actions, two years of daily bars → compact →
 * audit → repair → curate), against `trademl sandbox serve --relax-limits` in its own process (the
 * vendor is not part of the pipeline). Real clock, pacing lifted, so the run is CPU-bound.
 *
 * The benchmark samples the pipeline process's /proc/<pid>/status every 50 ms: VmHWM, the kernel's
 * high-water mark of its resident set (a spike between samples still counts), and VmRSS per phase,
 * the phase read from the CLI's JSON progress log on stderr.
 *
 *   node --import tsx bench/memory.ts --probe [symbols=1000] [lookbackDays=365]
 *
 * runs one measurement and prints its report (one JSON line). TRADEML_BENCH_KEEP_WORK=1 keeps the
 * run's configs, lake and state directory instead of deleting it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, type Benchmark, type BenchContext, type Figure } from './support.js';

const TARGET_MB = 400;
const SELF = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(SELF), '..');
const BIN = path.join(REPO, 'bin', 'trademl.js');
const PROBE_FLAG = '--probe';
const SAMPLE_MS = 50;
const TASKS = ['alpaca_bars', 'alpaca_assets', 'alpaca_corporate_actions'];

export interface MemoryReport {
  symbols: number;
  lookbackDays: number;
  greenRatio: number;
  sessions: number;
  curatedRows: number;
  wallMs: number;
  /** The pipeline process's peak resident set (VmHWM), MB. */
  maxRssMb: number;
  /** The phase during which the high-water mark last rose. */
  peakPhase: string;
  /** Per phase, in order: the largest sampled resident set, MB. */
  phasesMb: Record<string, number>;
}

export const memory: Benchmark = {
  name: 'memory',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const size = ctx.quick ? { symbols: 300, lookbackDays: 365 } : { symbols: 5000, lookbackDays: 730 };
    ctx.log(`memory: trademl run --once (built CLI) over ${size.symbols} symbols × ${size.lookbackDays} days, the sandbox in its own process`);
    const report = await measurePipelineMemory(size.symbols, size.lookbackDays, ctx.log);
    const phases = Object.entries(report.phasesMb)
      .map(([name, mb]) => `${name} ${mb}`)
      .join(', ');
    ctx.log(`  peak RSS ${report.maxRssMb} MB in ${report.peakPhase}; per phase ${phases}; wall ${(report.wallMs / 1000).toFixed(1)} s`);
    return [
      figure({
        benchmark: 'memory',
        metric: `peak RSS of trademl run --once (${size.symbols} sym × ${size.lookbackDays} d, sandbox in its own process)`,
        unit: 'MB',
        value: report.maxRssMb,
        baseline: { name: 'target', value: TARGET_MB },
        target: '≤ 1',
        note: `peak in ${report.peakPhase}; phase peaks MB: ${phases}; ${(report.greenRatio * 100).toFixed(1)}% GREEN, ${report.curatedRows.toLocaleString('en-US')} curated rows, wall ${(report.wallMs / 1000).toFixed(0)} s`,
      }),
    ];
  },
};

/** Builds dist/, starts the sandbox, runs the pipeline once and returns what it used. */
export async function measurePipelineMemory(symbols: number, lookbackDays: number, log: (line: string) => void = () => undefined): Promise<MemoryReport> {
  await runToEnd(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(REPO, 'tsconfig.build.json')], 'tsc');
  const work = await mkdtemp(path.join(os.tmpdir(), 'trademl-memory-'));
  const configDir = path.join(work, 'configs');
  await probeConfig(configDir, lookbackDays);
  const sandbox = await startSandboxProcess(symbols);
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      ...sandbox.env,
      ALPACA_API_KEY_ID: 'PKMEMORY',
      ALPACA_API_SECRET_KEY: 'memory-secret',
      TRADEML_STATE_URL: `sqlite:${path.join(work, 'state.sqlite')}`,
      TRADEML_LOG_LEVEL: 'info',
      // The one setting a measurement may vary (DuckDB's budget); nothing else of this shell leaks in.
      ...(process.env.TRADEML_DUCKDB_MEMORY_LIMIT ? { TRADEML_DUCKDB_MEMORY_LIMIT: process.env.TRADEML_DUCKDB_MEMORY_LIMIT } : {}),
    };
    const args = ['run', '--once', '--json', '--vendors', 'alpaca', '--tasks', TASKS.join(','), '--config-dir', configDir, '--data-dir', path.join(work, 'lake')];
    const started = Date.now();
    // The executable itself, as `npx trademl` runs it: its shebang's node flags are part of what is measured.
    const child = spawn(BIN, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = new ProcSampler(child, log);
    const { stdout } = await sampler.done;
    const summary = JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}') as {
      ledger?: { greenRatio: number; sessions: number };
      curated?: { rows: number };
    };
    return {
      symbols,
      lookbackDays,
      greenRatio: summary.ledger?.greenRatio ?? 0,
      sessions: summary.ledger?.sessions ?? 0,
      curatedRows: summary.curated?.rows ?? 0,
      wallMs: Date.now() - started,
      maxRssMb: Math.round(sampler.highWaterKb / 1024),
      peakPhase: sampler.peakPhase,
      phasesMb: Object.fromEntries([...sampler.phases].map(([name, kb]) => [name, Math.round(kb / 1024)])),
    };
  } finally {
    await sandbox.stop();
    if (process.env.TRADEML_BENCH_KEEP_WORK) log(`  kept ${work} (its lake and state, to inspect or re-run a phase)`);
    else await rm(work, { recursive: true, force: true });
  }
}

/**
 * Follows a child: its phase from the JSON log lines on stderr, and every 50 ms its VmRSS (kept per
 * phase) and VmHWM (the phase in which it last rose holds the peak). Resolves with its stdout when
 * it exits 0.
 */
class ProcSampler {
  readonly phases = new Map<string, number>();
  highWaterKb = 0;
  peakPhase = 'startup';
  private phase = 'startup';
  readonly done: Promise<{ stdout: string }>;

  constructor(child: ChildProcess, log: (line: string) => void) {
    let stdout = '';
    let stderrTail = '';
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.read(line, log);
    });
    const timer = setInterval(() => void this.sample(child.pid), SAMPLE_MS);
    this.done = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => {
        clearInterval(timer);
        if (code !== 0) reject(new Error(`trademl run exited with ${String(code)}: ${stderrTail}`));
        else resolve({ stdout });
      });
    });
  }

  private read(line: string, log: (line: string) => void): void {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as { event?: string; phase?: string };
    if (entry.event !== 'phase.start' || entry.phase === undefined) return;
    log(`  ${this.phase} peaked at ${Math.round((this.phases.get(this.phase) ?? 0) / 1024)} MB resident; now ${entry.phase}`);
    this.phase = entry.phase;
  }

  private async sample(pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
    if (status === undefined) return;
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    this.phases.set(this.phase, Math.max(this.phases.get(this.phase) ?? 0, rss));
    if (hwm > this.highWaterKb) {
      this.highWaterKb = hwm;
      this.peakPhase = this.phase;
    }
  }
}

interface SandboxProcess {
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/** `trademl sandbox serve --relax-limits` from the built CLI, until stopped. */
async function startSandboxProcess(symbols: number): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'serve', '--relax-limits', '--symbols', String(symbols)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
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

function runToEnd(command: string, args: string[], label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${label} exited with ${String(code)}`))));
  });
}

if (process.argv[2] === PROBE_FLAG) {
  const report = await measurePipelineMemory(Number(process.argv[3] ?? 1000), Number(process.argv[4] ?? 365), (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
