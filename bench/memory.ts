import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runAlpacaOnly } from './requests-to-green.js';
import { figure, type Benchmark, type BenchContext, type Figure } from './support.js';

const TARGET_MB = 400;
const SELF = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--memory-child';

export const memory: Benchmark = {
  name: 'memory',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const size = ctx.quick ? { symbols: 300, lookbackDays: 365 } : { symbols: 5000, lookbackDays: 730 };
    ctx.log(`memory: child process backfilling ${size.symbols} symbols × ${size.lookbackDays} days (Alpaca only, sandbox, virtual clock)`);
    // A heap ceiling above the target, so an overshoot is measured instead of crashing the child.
    const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', SELF, CHILD_FLAG, String(size.symbols), String(size.lookbackDays)], { maxBuffer: 1 << 20 });
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { maxRssKb: number; requests: number; greenRatio: number; wallMs: number };
    const mb = report.maxRssKb / 1024;
    ctx.log(`  peak RSS ${mb.toFixed(0)} MB, ${report.requests} requests, wall ${(report.wallMs / 1000).toFixed(1)} s`);
    return [
      figure({
        benchmark: 'memory',
        metric: `peak RSS of a backfill (${size.symbols} sym × ${size.lookbackDays} d)`,
        unit: 'MB',
        value: mb,
        baseline: { name: 'target', value: TARGET_MB },
        target: '≤ 1',
        note: `${report.requests} requests, ${(report.greenRatio * 100).toFixed(1)}% GREEN, wall ${(report.wallMs / 1000).toFixed(0)} s`,
      }),
    ];
  },
};

/** In the child: run the backfill and print one JSON line with the peak resident set. */
async function child(symbols: number, lookbackDays: number): Promise<void> {
  const { outcome } = await runAlpacaOnly({ symbols, lookbackDays });
  const line = { maxRssKb: process.resourceUsage().maxRSS, requests: outcome.requests, greenRatio: outcome.greenRatio, wallMs: outcome.wallMs };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

if (process.argv[2] === CHILD_FLAG) {
  await child(Number(process.argv[3]), Number(process.argv[4]));
}
