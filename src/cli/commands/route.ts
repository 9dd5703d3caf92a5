import { lastCompletedSession } from '../../calendar/index.js';
import { systemClock } from '../../clock/index.js';
import { VENDORS } from '../../catalog/index.js';
import { configuredVendors, inspectEnvironment } from '../../config/index.js';
import { activeVendors, CROSS_VERIFIED_DATASETS, readLiveVendorState, route, routeCapabilitiesOf, type DatasetVendorPlan, type RoutePlan } from '../../router/index.js';
import { readLedger } from '../../ssot/index.js';
import { openStateStore } from '../../state/index.js';
import { loadUniverse } from '../../universe/index.js';
import { emitJsonLine, parseDateOption } from '../context.js';
import { localDotenv, parseDataset } from '../fetch.js';
import { action } from '../main.js';
import { withLake } from '../offline.js';
import { resolveConfigDir } from '../paths.js';
import { defaultStateUrl, pacerLimits } from '../runtime.js';
import type { RegisterCommand } from './index.js';

export const register: RegisterCommand = (program, io) => {
  program
    .command('route')
    .description('the ordered vendor plan for one partition, with every score part and why excluded vendors are out')
    .argument('<dataset>', 'equities_eod, options_chain, …')
    .option('--date <date>', 'the session (default: the last completed one)')
    .option('--universe <n>', 'symbols the partition should hold (default: the symbol reference, else 500)')
    .addHelpText('after', '\nExamples:\n  $ trademl route equities_eod\n  $ trademl route equities_eod --date 2026-11-20 --json')
    .action(
      action(io, async ({ global, options, args }) => {
        const dataset = parseDataset(args[0] as string);
        const now = systemClock.now();
        const date = parseDateOption(options.date as string | undefined, '--date') ?? lastCompletedSession(now);
        const configDir = resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined);
        const plan = await withLake(configDir, global.dataDir, async ({ config, lake }) => {
          const state = await openStateStore(io.env.TRADEML_STATE_URL ?? defaultStateUrl(global.dataDir));
          try {
            const env = inspectEnvironment(io.env, localDotenv()).environment;
            const limits = pacerLimits(config, [...VENDORS]);
            const live = await readLiveVendorState(state, { nowMs: now, configured: configuredVendors(env), limits });
            const universe = options.universe === undefined ? (await loadUniverse(lake)).length || 500 : Number(options.universe);
            const capabilities = routeCapabilitiesOf(config, dataset);
            const plan = route({ ...live, dataset, date, capabilities, ledger: (await readLedger(lake, dataset)).find((r) => r.date === date), universeSize: universe });
            // Which vendors the scheduler gives this dataset's work to right now (fallback and standby included).
            const vendors = activeVendors({ ...live, dataset, capabilities, keepAlternates: CROSS_VERIFIED_DATASETS.has(dataset) });
            return { ...plan, vendors };
          } finally {
            await state.close();
          }
        });
        if (global.json) emitJsonLine(io, plan);
        else io.stdout(renderPlan(plan));
      }),
    );
};

function renderPlan(plan: RoutePlan & { vendors: DatasetVendorPlan }): string {
  const lines = [`${plan.dataset} ${plan.date}`, 'rank  vendor    endpoint                        score   unique  gap    budget  recency  dup  requests'];
  for (const p of plan.plan) {
    const q = p.parts;
    lines.push(
      `${String(p.rank).padStart(4)}  ${p.vendor.padEnd(8)}  ${p.endpoint.padEnd(30)}  ${p.score.toFixed(3).padStart(6)}  ${q.is_unique.toFixed(1).padStart(6)}  ${q.coverage_gap.toFixed(2).padStart(4)}  ${q.budget_headroom.toFixed(2).padStart(6)}  ${q.recency_need.toFixed(2).padStart(7)}  ${String(q.duplication_risk).padStart(3)}  ${String(p.requestsPerPartition).padStart(8)}`,
    );
  }
  if (plan.plan.length === 0) lines.push('  (no vendor can serve this partition now)');
  for (const e of plan.excluded) lines.push(`   -  ${e.vendor.padEnd(8)}  ${e.endpoint.padEnd(30)}  ${e.reason}`);
  lines.push('', `scheduler now (${plan.dataset}): active ${plan.vendors.active.join(', ') || 'none'}`);
  for (const c of plan.vendors.capabilities) lines.push(`  ${c.status.padEnd(8)}  ${c.vendor.padEnd(8)}  ${c.endpoint.padEnd(30)}  ${c.reason}`);
  return `${lines.join('\n')}\n`;
}
