import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { auditCurate } from './audit-curate.js';
import { ingest } from './ingest.js';
import { memory } from './memory.js';
import { quotaUtilisation } from './quota-utilisation.js';
import { requestsToGreen } from './requests-to-green.js';
import { renderTable, type Benchmark, type Figure } from './support.js';

const BENCHMARKS: readonly Benchmark[] = [requestsToGreen, quotaUtilisation, ingest, auditCurate, memory];
const RESULTS = path.join(import.meta.dirname, 'results.json');
/** Quick runs (CI) keep their figures apart, so they never replace the recorded full run. */
const QUICK_RESULTS = path.join(import.meta.dirname, 'results.quick.json');
const SELF = fileURLToPath(import.meta.url);

const USAGE = `npm run bench [-- --quick] [-- --only name,name]
  --quick   every benchmark at small sizes (CI keeps them working with this)
  --only    run only these benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}
  --out     where to write the JSON results (default bench/results.json; bench/results.quick.json with --quick)
Prints a table (value, baseline from the same run, ratio) and writes bench/results.json. No figure is asserted.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean', default: false }, child: { type: 'string' }, out: { type: 'string' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  if (values.child !== undefined) {
    const benchmark = BENCHMARKS.find((b) => b.name === values.child);
    if (!benchmark) throw new Error(`unknown benchmark ${values.child}`);
    process.stdout.write(`${JSON.stringify(await benchmark.run({ quick: values.quick, log }))}\n`);
    return;
  }
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; expected ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const started = Date.now();
  const figures: Figure[] = [];
  for (const benchmark of BENCHMARKS.filter((b) => only === undefined || only.includes(b.name))) {
    const t0 = performance.now();
    figures.push(...(await runInChild(benchmark.name, values.quick)));
    log(`${benchmark.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const machine = { nproc: os.availableParallelism(), memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)), cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` };
  process.stdout.write(`${renderTable(figures)}\n`);
  const out = values.out ?? (values.quick ? QUICK_RESULTS : RESULTS);
  await writeFile(out, `${JSON.stringify({ mode: values.quick ? 'quick' : 'full', startedAt: new Date(started).toISOString(), wallSeconds: (Date.now() - started) / 1000, machine, figures }, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), out)}`);
}

/** Each benchmark runs in a fresh process, so one's heap (a 5,000-symbol market) never weighs on the next. */
function runInChild(name: string, quick: boolean): Promise<Figure[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', SELF, '--child', name, ...(quick ? ['--quick'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`benchmark ${name} exited with code ${String(code)}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '[]') as Figure[]);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
