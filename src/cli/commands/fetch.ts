import { systemClock } from '../../clock/index.js';
import { loadEnvironment } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import type { FetchArgs } from '../../vendors/shared/index.js';
import { emitJsonLine, parseDateOption, parseListOption } from '../context.js';
import { fetchRows, localDotenv, parseDataset, parseVendor, selectFetcher, writeRows } from '../fetch.js';
import { action } from '../main.js';
import { resolveConfigDir } from '../paths.js';
import { openRuntime } from '../runtime.js';
import type { RegisterCommand } from './index.js';

const SHOWN_ROWS = 20;

export const register: RegisterCommand = (program, io) => {
  program
    .command('fetch')
    .description('one connector call: canonical rows on stdout (--write also commits them to the lake)')
    .argument('<vendor>', 'alpaca, polygon (massive), …')
    .argument('<dataset>', 'equities_eod, corp_actions, symbols, …')
    .option('--endpoint <id>', 'endpoint id, e.g. polygon.aggs.day (default: chosen from the arguments)')
    .option('--symbols <list>', 'comma-separated symbols')
    .option('--date <date>', 'one session / as-of date')
    .option('--start <date>', 'window start (inclusive)')
    .option('--end <date>', 'window end (inclusive)')
    .option('--series <list>', 'FRED series ids')
    .option('--statement <kind>', 'income | balance | cashflow')
    .option('--period <period>', 'annual | quarter')
    .option('--write', 'commit the rows to the lake as well')
    .addHelpText(
      'after',
      `
Examples:
  $ trademl fetch alpaca equities_eod --symbols AAPL,MSFT --start 2026-01-02 --end 2026-01-30 --json
  $ trademl fetch polygon equities_eod --date 2026-11-20 --write
  $ trademl fetch massive corp_actions --endpoint polygon.reference.splits --start 2026-01-01`,
    )
    .action(
      action(io, async ({ global, options, args }) => {
        const [vendorName, datasetName] = args as [string, string];
        const vendor = parseVendor(vendorName);
        const dataset = parseDataset(datasetName);
        const fetchArgs = fetchArgsOf(options);
        const fetcher = selectFetcher(vendor, dataset, options.endpoint as string | undefined, fetchArgs);
        const env = loadEnvironment(io.env, localDotenv());
        const runtime = await openRuntime({
          configDir: resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined),
          dataDir: global.dataDir,
          env,
          clock: systemClock,
          vendors: [vendor],
        });
        try {
          const rows = await fetchRows(runtime, vendor, fetcher, fetchArgs);
          const written = options.write ? await writeRows(runtime.lake, vendor, dataset, rows) : undefined;
          if (global.json) {
            for (const row of rows) emitJsonLine(io, row);
          } else {
            for (const row of rows.slice(0, SHOWN_ROWS)) io.stdout(`${JSON.stringify(row)}\n`);
            if (rows.length > SHOWN_ROWS) io.stdout(`… ${rows.length - SHOWN_ROWS} more\n`);
            io.stdout(`${rows.length} ${dataset} rows from ${fetcher.endpoint}\n`);
          }
          if (written) io.stderr(`wrote ${written.parts} new part(s), ${written.deduped} identical part(s) skipped, under ${runtime.lake.root}\n`);
        } finally {
          await runtime.close();
        }
      }),
    );
};

function fetchArgsOf(options: Record<string, unknown>): FetchArgs {
  const args: FetchArgs = {};
  const symbols = parseListOption(options.symbols as string | undefined);
  const series = parseListOption(options.series as string | undefined);
  const date = parseDateOption(options.date as string | undefined, '--date');
  const start = parseDateOption(options.start as string | undefined, '--start');
  const end = parseDateOption(options.end as string | undefined, '--end');
  if (symbols) args.symbols = symbols.map((s) => s.toUpperCase());
  if (series) args.series = series;
  if (date) args.date = date;
  if (start) args.start = start;
  if (end) args.end = end;
  if (start && end && start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
  const statement = options.statement as string | undefined;
  if (statement !== undefined) {
    if (!['income', 'balance', 'cashflow'].includes(statement)) throw new UsageError(`--statement: expected income, balance or cashflow, got ${JSON.stringify(statement)}`);
    args.statement = statement;
  }
  const period = options.period as string | undefined;
  if (period !== undefined) {
    if (period !== 'annual' && period !== 'quarter') throw new UsageError(`--period: expected annual or quarter, got ${JSON.stringify(period)}`);
    args.period = period;
  }
  return args;
}
