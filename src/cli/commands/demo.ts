import path from 'node:path';
import { UsageError } from '../../errors/index.js';
import { renderHeatmap } from '../../ssot/index.js';
import { emitJsonLine, parseDateOption } from '../context.js';
import { demoSecrets, demoStorageSecrets, runDemo, renderDemoSummary, type DemoParams } from '../demo.js';
import { action } from '../main.js';
import { createProgress, type Progress } from '../progress.js';
import { resolveConfigDir } from '../paths.js';
import type { RegisterCommand } from './index.js';
import { faultsOption } from './sandbox.js';

function positiveInt(value: string | undefined, option: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${option}: expected a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('demo')
    .description('run the whole pipeline keyless against the built-in sandbox on a virtual clock')
    .option('--symbols <n>', 'size of the simulated universe (default 300)')
    .option('--seed <n>', 'market seed (default 42)')
    .option('--as-of <date>', 'the virtual "today" (default: today)')
    .option('--fresh', 'delete this demo data directory first and start over')
    .option('--faults <spec>', 'inject vendor faults, e.g. polygon=5xx:0.05,alpaca=truncate:0.02 (see `trademl sandbox serve --help`)')
    .option('--fault-seed <n>', 'seed of the fault draws (same seed, same faults)', '1')
    .addHelpText(
      'after',
      `
Data goes to --data-dir (default ./data/demo). Re-running resumes; a finished run makes no vendor calls.
As for \`run\`, TRADEML_STATE_URL (e.g. postgres://…) and TRADEML_LAKE_URL (e.g. s3://bucket/prefix, with
the AWS_* variables) put the state and the lake elsewhere; they must be empty or hold this demo.

Examples:
  $ trademl demo
  $ trademl demo --fresh --symbols 500 --json
  $ TRADEML_STATE_URL=postgres://u@db/demo TRADEML_LAKE_URL=s3://lake/demo trademl demo`,
    )
    .action(
      action(io, async ({ global, options }) => {
        const explicitDataDir = program.opts().dataDir !== undefined || io.env.TRADEML_DATA_DIR !== undefined;
        const dataDir = explicitDataDir ? global.dataDir : path.resolve('data', 'demo');
        const params: Partial<DemoParams> = {};
        const seed = positiveInt(options.seed as string | undefined, '--seed', 2 ** 31 - 1);
        const symbols = positiveInt(options.symbols as string | undefined, '--symbols', 20_000);
        const asOf = parseDateOption(options.asOf as string | undefined, '--as-of');
        if (seed !== undefined) params.seed = seed;
        if (symbols !== undefined) params.symbols = symbols;
        if (asOf !== undefined) params.asOf = asOf;
        let progress: Progress | undefined;
        const { summary, ledger } = await runDemo({
          dataDir,
          configDir: resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined),
          params,
          fresh: Boolean(options.fresh),
          env: io.env,
          ...(options.faults === undefined ? {} : { faults: faultsOption(options.faults as string, options.faultSeed as string) }),
          observe: (clock) => {
            progress = createProgress(io, clock, { tty: io.isTTY, json: global.json, secrets: [...demoSecrets(), ...demoStorageSecrets(io.env)] });
            return progress.onEvent;
          },
        });
        progress?.finish({ greenRatio: summary.ledger.greenRatio, sessions: summary.ledger.sessions, curatedRows: summary.curated.rows });
        if (global.json) {
          emitJsonLine(io, summary);
        } else {
          io.stdout(renderDemoSummary(summary));
          io.stdout(renderHeatmap(ledger, { title: `coverage: equities_eod (${summary.window.start} .. ${summary.window.end})`, color: io.isTTY }));
        }
        return summary.ledger.greenRatio >= 0.98 ? 0 : 1;
      }),
    );
};
