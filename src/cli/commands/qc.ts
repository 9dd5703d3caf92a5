import { systemClock } from '../../clock/index.js';
import { UsageError } from '../../errors/index.js';
import { QC_DATASETS, runQc, summarizeVerdicts } from '../../ssot/qc/index.js';
import type { DatasetName } from '../../catalog/index.js';
import { emitJsonLine, parseListOption } from '../context.js';
import { action } from '../main.js';
import { withLake } from '../offline.js';
import { resolveConfigDir } from '../paths.js';
import type { RegisterCommand } from './index.js';

export const register: RegisterCommand = (program, io) => {
  program
    .command('qc')
    .description('data-quality checks per dataset and partition (required columns, duplicate keys, OHLC sanity, outliers, null rates, row bounds) → qc/verdicts.parquet; exit 1 on any failure')
    .option('--dataset <names>', `datasets to check, comma-separated (default: every raw dataset with data: ${QC_DATASETS.join(', ')})`)
    .option('--all', 'print every verdict, not only warnings and failures')
    .addHelpText('after', '\nExamples:\n  $ trademl qc\n  $ trademl qc --dataset equities_eod --json')
    .action(
      action(io, async ({ global, options }) => {
        const names = parseListOption(options.dataset as string | undefined);
        const unknown = (names ?? []).filter((d) => !(QC_DATASETS as string[]).includes(d));
        if (unknown.length > 0) throw new UsageError(`unknown dataset ${unknown.join(', ')} for --dataset; expected one of ${QC_DATASETS.join(', ')}`);
        const configDir = resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined);
        return withLake(configDir, global.dataDir, async ({ lake }) => {
          const verdicts = await runQc({ lake, clock: systemClock, ...(names ? { datasets: names as DatasetName[] } : {}) });
          const shown = options.all === true ? verdicts : verdicts.filter((v) => v.status !== 'pass');
          const summary = summarizeVerdicts(verdicts);
          if (global.json) {
            for (const v of shown) emitJsonLine(io, v);
            emitJsonLine(io, { summary });
          } else {
            for (const v of shown) io.stdout(`${v.status.toUpperCase().padEnd(4)} ${v.dataset} ${v.date} ${v.check}: ${v.detail}\n`);
            io.stdout(`${verdicts.length} checks: ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail\n`);
          }
          return summary.fail > 0 ? 1 : 0;
        });
      }),
    );
};
