import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../../clock/index.js';
import { UsageError } from '../../errors/index.js';
import { eodWindow } from '../../scheduler/index.js';
import {
  runCuratorJobs,
  AUDITED_DATASETS,
  auditDataset,
  gateDependencies,
  isAuditedDataset,
  isGreen,
  readLedger,
  renderHeatmap,
  resolveAudit,
  summarizeLedger,
  type AuditedDataset,
  type QcThresholds,
} from '../../ssot/index.js';
import type { Lake } from '../../lake/index.js';
import { emitJsonLine, parseDateOption, parseListOption, type CliIO } from '../context.js';
import { action } from '../main.js';
import { withLake } from '../offline.js';
import { createProgress } from '../progress.js';
import { resolveConfigDir } from '../paths.js';
import { coverageCell, renderCoveragePage, renderHeatmapSvg } from '../../web/index.js';
import type { RegisterCommand } from './index.js';

function configDirOf(program: Parameters<RegisterCommand>[0], explicit: string): string {
  return resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? explicit : undefined);
}

export const registerAudit: RegisterCommand = (program, io) => {
  program
    .command('audit')
    .description('grade every partition of a dataset from what is in the lake (qc/partition_status.parquet, qc/ledger/); --gate checks a training window')
    .option('--dataset <names>', `datasets to audit, comma-separated, or "all" (${AUDITED_DATASETS.join(', ')})`, 'equities_eod')
    .option('--start <date>', 'window start (default: the dataset\'s backfill.yml window)')
    .option('--end <date>', 'window end (default: the last completed session)')
    .option('--symbols <list>', 'symbols / underliers / series to expect (default: what the lake holds; corp_actions: the universe)')
    .option('--gate <dataset>', 'training gate: exit 0 only when every dependency of DATASET is GREEN over --start..--end (reads the ledger)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ trademl audit\n  $ trademl audit --data-dir data/demo --start 2025-01-02 --end 2025-12-31 --json\n  $ trademl audit --dataset all\n  $ trademl audit --gate equities_ohlcv_adj --start 2025-01-02 --end 2025-12-31 --json',
    )
    .action(
      action(io, async ({ global, options }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ config, settings, lake }) => {
          const start = parseDateOption(options.start as string | undefined, '--start');
          const end = parseDateOption(options.end as string | undefined, '--end');
          if (start !== undefined && end !== undefined && start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
          if (options.gate !== undefined) return runGate(io, global.json, lake, options.gate as string, start, end, settings.thresholds);
          const names = parseListOption(options.dataset as string) ?? ['equities_eod'];
          const datasets = names.includes('all') ? [...AUDITED_DATASETS] : names;
          const unknown = datasets.filter((d) => !isAuditedDataset(d));
          if (unknown.length > 0) throw new UsageError(`unknown dataset ${unknown.join(', ')}; expected one of ${AUDITED_DATASETS.join(', ')} or all`);
          const symbols = parseListOption(options.symbols as string | undefined);
          let allGreen = true;
          for (const dataset of datasets as AuditedDataset[]) {
            const resolved = await resolveAudit(config, lake, dataset, systemClock.now(), { start, end, ...(symbols ? { symbols } : {}) });
            // equities_eod keeps the node loop's window (its settle time comes from the capabilities).
            const eod = eodWindow(settings, systemClock.now());
            const window = dataset === 'equities_eod' ? { start: start ?? eod.start, end: end ?? eod.end } : resolved.window;
            if (window.start > window.end) throw new UsageError(`--start ${window.start} is after the window end ${window.end}`);
            const result = await auditDataset({ lake, clock: systemClock, window, thresholds: resolved.thresholds, spec: resolved.spec, ...(dataset === 'equities_eod' ? {} : { reach: resolved.reach }) });
            const summary = { dataset, start: window.start, end: window.end, ...summarizeLedger(result.ledger), unavailable: result.ledger.filter((r) => r.status === 'UNAVAILABLE').length, regraded: result.stats.regraded.length, files_read: result.stats.filesRead };
            allGreen &&= summary.sessions > 0 && summary.greenRatio >= settings.thresholds.green_min_ratio;
            if (global.json) emitJsonLine(io, summary);
            else io.stdout(`${dataset} ${window.start} .. ${window.end}: ${summary.green}/${summary.sessions} sessions GREEN (${(summary.greenRatio * 100).toFixed(2)}%), ${summary.amber} AMBER, ${summary.red} RED, ${summary.unavailable} UNAVAILABLE; ${summary.regraded} re-graded\n`);
          }
          return allGreen ? 0 : 1;
        }),
      ),
    );
};

/** `audit --gate`: every dependency's ledger over the window; 0 only when all are GREEN. */
async function runGate(io: CliIO, json: boolean, lake: Lake, dataset: string, start: string | undefined, end: string | undefined, thresholds: QcThresholds): Promise<number> {
  if (start === undefined || end === undefined) throw new UsageError('--gate needs --start and --end');
  const deps = gateDependencies(dataset);
  if (deps.length === 0) throw new UsageError(`unknown dataset ${dataset} for --gate`);
  const results = [];
  for (const dep of deps) results.push(await isGreen(lake, dep, { start, end }, thresholds));
  const green = results.every((r) => r.green);
  if (json) emitJsonLine(io, { gate: dataset, start, end, green, dependencies: results });
  else {
    for (const r of results) {
      io.stdout(`${r.dataset} ${start} .. ${end}: ${r.green ? 'GREEN' : 'NOT GREEN'} (${r.green_sessions}/${r.sessions} partitions GREEN)\n`);
      for (const f of r.failing) io.stdout(`  ${f.date} ${f.status}: ${f.reason}\n`);
    }
    io.stdout(`gate ${dataset}: ${green ? 'open' : 'closed'}\n`);
  }
  return green ? 0 : 1;
}

export const registerCurate: RegisterCommand = (program, io) => {
  program
    .command('curate')
    .description('run the curator jobs of curator.yml: adjusted daily bars, minute bars, reference tables (incremental, from the watermark)')
    .option('--jobs <list>', 'only these jobs (names in curator.yml)')
    .addHelpText('after', '\nOne line per job. A job whose inputs did not change since its watermark reports `unchanged`.\n\nExamples:\n  $ trademl curate --data-dir data/demo\n  $ trademl curate --jobs equities_ohlcv_adj --json')
    .action(
      action(io, async ({ global, options }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ config, lake }) => {
          const jobs = parseListOption(options.jobs as string | undefined);
          for (const job of jobs ?? []) {
            if (!(job in config.curator.jobs)) throw new UsageError(`--jobs: unknown job ${JSON.stringify(job)} (curator.yml has ${Object.keys(config.curator.jobs).join(', ')})`);
          }
          const progress = createProgress(io, systemClock, { tty: io.isTTY, json: global.json });
          progress.phase('curate', undefined, (jobs ?? Object.keys(config.curator.jobs)).join(', '));
          const results = await runCuratorJobs({ lake, config: config.curator, clock: systemClock, ...(jobs ? { jobs } : {}) });
          progress.finish({ jobs: results.length, filesWritten: results.reduce((n, r) => n + r.filesWritten, 0) });
          for (const result of results) {
            const { written: _written, ...line } = result;
            if (global.json) emitJsonLine(io, line);
            else io.stdout(`${result.output.padEnd(20)} ${result.status.padEnd(9)} ${result.rows} rows recomputed; ${result.filesWritten} files written, ${result.filesUnchanged} unchanged; content ${result.contentHash.slice(0, 16)}…\n`);
          }
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
