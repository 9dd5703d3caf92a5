import { lastCompletedSession } from '../../calendar/index.js';
import { systemClock } from '../../clock/index.js';
import { VENDORS, type DatasetName, type VendorId } from '../../catalog/index.js';
import { configuredVendors, inspectEnvironment, type TrademlConfig } from '../../config/index.js';
import { budgetDay } from '../../pacing/index.js';
import { route, type RouteCapability, type RoutePlan } from '../../router/index.js';
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
            const budgets: Partial<Record<VendorId, { spent: number; budget: number | null }>> = {};
            for (const vendor of VENDORS) budgets[vendor] = { spent: await state.getSpend(vendor, budgetDay(now)), budget: limits[vendor]?.dailyBudget ?? null };
            const universe = options.universe === undefined ? (await loadUniverse(lake)).length || 500 : Number(options.universe);
            return route({
              dataset,
              date,
              nowMs: now,
              capabilities: capabilitiesOf(config, dataset),
              configured: new Set(configuredVendors(env)),
              denied: (await state.listCapabilityStatus()).filter((c) => c.status === 'denied'),
              frozen: (await state.listVendorHealth()).filter((h) => h.frozenUntilMs !== null).map((h) => ({ vendor: h.vendor, untilMs: h.frozenUntilMs as number, reason: h.reason ?? 'frozen' })),
              budgets,
              ledger: (await readLedger(lake, dataset)).find((r) => r.date === date),
              universeSize: universe,
            });
          } finally {
            await state.close();
          }
        });
        if (global.json) emitJsonLine(io, plan);
        else io.stdout(renderPlan(plan));
      }),
    );
};

function capabilitiesOf(config: TrademlConfig, dataset: DatasetName): RouteCapability[] {
  return config.endpoints.capabilities
    .filter((c) => c.dataset === dataset)
    .map((c) => ({
      vendor: c.vendor,
      endpoint: c.endpoint,
      role: c.role,
      unique: c.unique,
      weight: c.weight,
      symbolsPerRequest: c.symbols_per_request,
      rowsPerPage: c.rows_per_page,
      historyDays: c.history_days,
      historyStart: c.history_start,
      availableAfterCloseMinutes: c.available_after_close_minutes,
      entitlement: c.entitlement,
    }));
}

function renderPlan(plan: RoutePlan): string {
  const lines = [`${plan.dataset} ${plan.date}`, 'rank  vendor    endpoint                        score   unique  gap    budget  recency  dup  requests'];
  for (const p of plan.plan) {
    const q = p.parts;
    lines.push(
      `${String(p.rank).padStart(4)}  ${p.vendor.padEnd(8)}  ${p.endpoint.padEnd(30)}  ${p.score.toFixed(3).padStart(6)}  ${q.is_unique.toFixed(1).padStart(6)}  ${q.coverage_gap.toFixed(2).padStart(4)}  ${q.budget_headroom.toFixed(2).padStart(6)}  ${q.recency_need.toFixed(2).padStart(7)}  ${String(q.duplication_risk).padStart(3)}  ${String(p.requestsPerPartition).padStart(8)}`,
    );
  }
  if (plan.plan.length === 0) lines.push('  (no vendor can serve this partition now)');
  for (const e of plan.excluded) lines.push(`   -  ${e.vendor.padEnd(8)}  ${e.endpoint.padEnd(30)}  ${e.reason}`);
  return `${lines.join('\n')}\n`;
}
