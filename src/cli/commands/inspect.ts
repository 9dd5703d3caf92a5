import { systemClock } from '../../clock/index.js';
import { VENDORS } from '../../catalog/index.js';
import { openStateStore } from '../../state/index.js';
import { nodeStatus } from '../../web/index.js';
import { emitJsonLine } from '../context.js';
import { action } from '../main.js';
import { withLake } from '../offline.js';
import { resolveConfigDir } from '../paths.js';
import { defaultStateUrl, pacerLimits } from '../runtime.js';
import type { RegisterCommand } from './index.js';

function configDirOf(program: Parameters<RegisterCommand>[0], explicit: string): string {
  return resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? explicit : undefined);
}

export const registerQuery: RegisterCommand = (program, io) => {
  program
    .command('query')
    .description('DuckDB SQL over views of the lake: raw_<dataset>, ref_<dataset>, equities_ohlcv_adj, partition_status, …')
    .argument('<sql>', 'the query')
    .addHelpText(
      'after',
      `
Examples:
  $ trademl query "select symbol, date, adj_close from equities_ohlcv_adj where symbol = 'AAPL' order by date desc limit 5"
  $ trademl query "select status, count(*) from partition_status group by all" --json`,
    )
    .action(
      action(io, async ({ global, args }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ lake }) => {
          const rows = await lake.query(args[0] as string);
          if (global.json) for (const row of rows) emitJsonLine(io, row);
          else io.stdout(renderTable(rows));
        }),
      ),
    );
};

export const registerStatus: RegisterCommand = (program, io) => {
  program
    .command('status')
    .description("the node's state: budgets spent today, frozen vendors and why, the work queue, coverage, recent problems")
    .addHelpText('after', '\nExamples:\n  $ trademl status\n  $ trademl status --data-dir data/demo --json')
    .action(
      action(io, async ({ global }) =>
        withLake(configDirOf(program, global.configDir), global.dataDir, async ({ config, lake }) => {
          const state = await openStateStore(io.env.TRADEML_STATE_URL ?? defaultStateUrl(global.dataDir));
          try {
            const status = await nodeStatus({ lake, state, limits: pacerLimits(config, [...VENDORS]), nowMs: systemClock.now() });
            const { vendors } = status;
            const ledger = status.coverage.equities_eod;
            const latest = ledger.latestRawSession;
            const problems = status.recentProblems;
            if (global.json) {
              emitJsonLine(io, status);
              return;
            }
            io.stdout(`vendor    spent today / budget     rpm   frozen\n`);
            for (const v of vendors) {
              io.stdout(`${v.vendor.padEnd(8)} ${String(v.spentToday).padStart(8)} / ${String(v.dailyBudget ?? '∞').padEnd(10)} ${String(v.rpm ?? '-').padStart(6)}   ${v.frozenUntil ? `until ${v.frozenUntil}: ${v.frozenReason}` : 'no'}\n`);
            }
            const q = status.queue;
            io.stdout(`\nqueue    ${q.byStatus.queued} queued (${q.ready} ready), ${q.byStatus.leased} leased, ${q.byStatus.done} done, ${q.byStatus.dead} dead\n`);
            if (q.oldest) io.stdout(`         oldest waiting ${Math.round(q.oldest.waitingMs / 60_000)} min: ${q.oldest.vendor} ${q.oldest.identity}${q.oldest.deferReason ? ` (${q.oldest.deferReason})` : ''}\n`);
            io.stdout(`coverage equities_eod ${ledger.green}/${ledger.sessions} sessions GREEN · latest raw session ${Object.entries(latest).map(([v, d]) => `${v} ${d}`).join(', ') || 'none'}\n`);
            for (const d of status.datasets.filter((x) => x.dataset !== 'equities_eod')) {
              io.stdout(`         ${d.dataset} ${d.green}/${d.sessions} sessions GREEN · latest GREEN ${d.latestGreen ?? 'never'}${d.unavailable ? ` · ${d.unavailable} unavailable` : ''}\n`);
            }
            if (problems.length > 0) {
              io.stdout(`\nrecent problems\n`);
              for (const p of status.recentProblems) io.stdout(`  ${p.at} ${p.vendor ?? ''} ${p.event} ${String((p.detail as Record<string, unknown>).error ?? (p.detail as Record<string, unknown>).reason ?? '')}\n`);
            }
          } finally {
            await state.close();
          }
        }),
      ),
    );
};

function renderTable(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const columns = Object.keys(rows[0] as Record<string, unknown>);
  const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = columns.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => text(r[c]).length))));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.slice(0, widths[i]).padEnd(widths[i] as number)).join('  ').trimEnd();
  return `${[line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join('\n')}\n${rows.length} row(s)\n`;
}
