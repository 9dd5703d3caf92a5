import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../../clock/index.js';
import { UsageError } from '../../errors/index.js';
import { eodWindow } from '../../scheduler/index.js';
import { auditEquitiesEod, curateEquities, readLedger, renderHeatmap, summarizeLedger, writeLedger } from '../../ssot/index.js';
import { emitJsonLine, parseDateOption } from '../context.js';
import { action } from '../main.js';
import { withLake } from '../offline.js';
import { resolveConfigDir } from '../paths.js';
import { coverageCell, renderCoveragePage, renderHeatmapSvg } from '../../web/index.js';
import type { RegisterCommand } from './index.js';

function configDirOf(program: Parameters<RegisterCommand>[0], explicit: string): string {
  return resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? explicit : undefined);
}

export const registerAudit: RegisterCommand = (program, io) => {
  program
    .command('audit')
    .description('grade every session of equities_eod from what is in the lake; writes qc/partition_status.parquet')
    .option('--start <date>', 'window start (default: backfill.yml equities_eod window)')
    .option('--end <date>', 'window end (default: the last completed session)')
    .addHelpText('after', '\nExamples:\n  $ trademl audit\n  $ trademl audit --data-dir data/demo --start 2025-01-02 --end 2025-12-31 --json')
    .action(
      action(io, async ({ global, options }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ settings, lake }) => {
          const window = eodWindow(settings, systemClock.now());
          const start = parseDateOption(options.start as string | undefined, '--start') ?? window.start;
          const end = parseDateOption(options.end as string | undefined, '--end') ?? window.end;
          if (start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
          const rows = await auditEquitiesEod({ lake, clock: systemClock, window: { start, end }, thresholds: settings.thresholds });
          await writeLedger(lake, rows);
          const summary = { dataset: 'equities_eod', start, end, ...summarizeLedger(rows) };
          if (global.json) emitJsonLine(io, summary);
          else io.stdout(`equities_eod ${start} .. ${end}: ${summary.green}/${summary.sessions} sessions GREEN (${(summary.greenRatio * 100).toFixed(2)}%), ${summary.amber} AMBER, ${summary.red} RED\n`);
          return summary.sessions > 0 && summary.greenRatio >= settings.thresholds.green_min_ratio ? 0 : 1;
        }),
      ),
    );
};

export const registerCurate: RegisterCommand = (program, io) => {
  program
    .command('curate')
    .description('rebuild curated/equities_ohlcv_adj (split- and dividend-adjusted) from raw bars and corporate actions')
    .addHelpText('after', '\nExample:\n  $ trademl curate --data-dir data/demo --json')
    .action(
      action(io, async ({ global }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ settings, lake }) => {
          const result = await curateEquities({ lake, vendorPrecedence: settings.vendorPrecedence, corpActionsPrecedence: settings.corpActionsPrecedence });
          if (global.json) emitJsonLine(io, result);
          else io.stdout(`equities_ohlcv_adj: ${result.rows} rows, ${result.symbols} symbols, ${result.adjustmentsApplied} adjustments; ${result.filesWritten} files written, ${result.filesUnchanged} unchanged; content ${result.contentHash.slice(0, 16)}…\n`);
        }),
      ),
    );
};

export const registerCoverage: RegisterCommand = (program, io) => {
  program
    .command('coverage')
    .description('the coverage heatmap from the ledger (run `audit` first)')
    .option('--dataset <name>', 'dataset', 'equities_eod')
    .option('--since <date>', 'first session to show')
    .option('--svg <file>', 'also write the heatmap as an SVG image (one cell per session, figures in tooltips)')
    .option('--html <file>', 'also write a standalone HTML page with the heatmap (click a cell for its figures)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ trademl coverage\n  $ trademl coverage --since 2026-01-01 --json\n  $ trademl coverage --svg coverage.svg --html coverage.html',
    )
    .action(
      action(io, async ({ global, options }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ lake }) => {
          const since = parseDateOption(options.since as string | undefined, '--since');
          const dataset = options.dataset as string;
          const rows = (await readLedger(lake, dataset)).filter((r) => since === undefined || r.date >= since);
          if (global.json) for (const row of rows) emitJsonLine(io, row);
          else io.stdout(renderHeatmap(rows, { title: `coverage: ${dataset}`, color: io.isTTY }));
          const files: [string, string][] = [];
          const cells = rows.map(coverageCell);
          if (options.svg !== undefined) files.push([options.svg as string, `${renderHeatmapSvg(cells, { title: `coverage ${dataset}` })}\n`]);
          if (options.html !== undefined) {
            const coverage = { dataset, since: since ?? null, summary: summarizeLedger(rows), cells };
            files.push([options.html as string, renderCoveragePage(coverage, new Date().toISOString())]);
          }
          for (const [file, text] of files) {
            await writeFile(path.resolve(file), text);
            if (!global.json) io.stdout(`wrote ${path.resolve(file)}\n`);
          }
        }),
      ),
    );
};
