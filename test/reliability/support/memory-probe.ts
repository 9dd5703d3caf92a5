/**
 * Honest memory figure for the pipeline: the vendor emulator runs in its own process (`trademl
 * sandbox serve`), this process runs only the pipeline (Alpaca backfill → audit → curate, real
 * clock, pacing lifted so it is CPU-bound) and samples its own memory every 100 ms, per phase.
 *
 *   node --import tsx test/reliability/support/memory-probe.ts [symbols=1000] [lookbackDays=365]
 *
 * Prints one JSON line: peak RSS overall and per phase, with heap/external/arrayBuffers at the peak.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../../src/clock/index.js';
import { openRuntime } from '../../../src/cli/runtime.js';
import { loadConfig, loadEnvironment } from '../../../src/config/index.js';
import { runPipelineOnce } from '../../../src/scheduler/index.js';
import { BIN, REPO } from '../../support/cli.js';

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
const MB = 1024 * 1024;
const symbols = Number(process.argv[2] ?? 1000);
const lookbackDays = Number(process.argv[3] ?? 365);

async function startSandboxProcess(): Promise<{ env: Record<string, string>; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'serve', '--relax-limits', '--symbols', String(symbols)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (!text.includes('Ctrl-C')) return;
      resolve(Object.fromEntries([...text.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string])));
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  return { env, pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'trademl-memory-'));
  const configDir = path.join(work, 'configs');
  await cp(path.join(REPO, 'configs'), configDir, { recursive: true });
  const endpoints = path.join(configDir, 'endpoints.yml');
  await writeFile(endpoints, (await readFile(endpoints, 'utf8')).replace(/rpm: 200\b/, 'rpm: 100000').replace(/min_interval_ms: \d+/g, 'min_interval_ms: 0'));
  const backfill = path.join(configDir, 'backfill.yml');
  await writeFile(backfill, (await readFile(backfill, 'utf8')).replace(/(equities_eod:\s*\n(?:\s+#.*\n|\s+\w+:.*\n)*?\s+lookback_days:\s*)\d+/, `$1${lookbackDays}`));
  const sandbox = await startSandboxProcess();
  const phases = new Map<string, Sample>();
  let phase = 'startup';
  const peak = (into: string): void => {
    const m = process.memoryUsage();
    const current = phases.get(into);
    if (!current || m.rss > current.rss) phases.set(into, { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers });
  };
  const timer = setInterval(() => peak(phase), 100);
  const started = Date.now();
  try {
    const env = loadEnvironment({ ...sandbox.env, ALPACA_API_KEY_ID: 'PKMEMORY', ALPACA_API_SECRET_KEY: 'memory-secret', TRADEML_STATE_URL: `sqlite:${path.join(work, 'state.sqlite')}` });
    const runtime = await openRuntime({ configDir, config: await loadConfig(configDir), dataDir: path.join(work, 'lake'), env, clock: systemClock, owner: 'memory', vendors: ['alpaca'], tasks: ['alpaca_bars', 'alpaca_assets', 'alpaca_corporate_actions'] });
    try {
      const report = await runPipelineOnce(runtime, {
        onEvent: (event) => {
          if (event.kind !== 'phase') return;
          peak(phase);
          phase = event.phase;
        },
      });
      peak(phase);
      const round = (s: Sample): Record<keyof Sample, number> => ({ rss: Math.round(s.rss / MB), heapUsed: Math.round(s.heapUsed / MB), external: Math.round(s.external / MB), arrayBuffers: Math.round(s.arrayBuffers / MB) });
      process.stdout.write(
        `${JSON.stringify({
          symbols,
          lookbackDays,
          greenRatio: report.ledger.greenRatio,
          sessions: report.ledger.sessions,
          wallMs: Date.now() - started,
          maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
          phasesMb: Object.fromEntries([...phases].map(([name, s]) => [name, round(s)])),
        })}\n`,
      );
    } finally {
      await runtime.close();
    }
  } finally {
    clearInterval(timer);
    sandbox.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
