import { lastCompletedSession, nyDate } from '../calendar/index.js';
import type { DatasetName, LedgerRow, VendorId } from '../catalog/index.js';
import { TASKS } from '../config/index.js';
import { auditDataset, disagreementsByDate, resolveAudit, summarizeLedger, verifyDataset, writeLedger, AUDITED_DATASETS, type AuditedDataset, type LedgerSummary } from '../ssot/index.js';
import { liquidityRanking, type UniverseMember } from '../universe/index.js';
import type { PipelineDeps } from './loop.js';
import type { EodWindow } from './producers.js';
import { snapshotSessionAt, targetUnderliers } from './tasks/market/index.js';
import { fmpSymbolsWithoutStatements, fmpUncoveredSymbols, fundamentalsSymbols, optionsHistUnderliers, usableCapability } from './tasks/slow/index.js';
import type { PlanContext } from './tasks/types.js';

export interface AuditAllReport {
  /** equities_eod session rows (the repair rounds work from them). */
  eod: LedgerRow[];
  /** Per audited dataset: its rollup summary. */
  datasets: Partial<Record<AuditedDataset, LedgerSummary>>;
}

/**
 * Audits every dataset an enabled task of a configured vendor fills, from the lake, incrementally:
 * equities_eod over the pipeline's window (with cross-vendor disagreements turning sessions AMBER),
 * minute bars and option chains over the names the planners target, the rest over their
 * backfill.yml windows. The ledger in qc/ is rewritten per dataset.
 */
export async function auditAll(deps: PipelineDeps, options: { window: EodWindow; universe: readonly UniverseMember[] }): Promise<AuditAllReport> {
  const datasets: Partial<Record<AuditedDataset, LedgerSummary>> = {};
  let eod: LedgerRow[] = [];
  for (const dataset of targetedDatasets(deps)) {
    const overrides = await auditOverrides(deps, dataset, options);
    if (overrides === null) continue;
    const resolved = await resolveAudit(deps.config, deps.lake, dataset, deps.clock.now(), overrides);
    const result = await auditDataset({ lake: deps.lake, clock: deps.clock, window: resolved.window, thresholds: resolved.thresholds, spec: resolved.spec, reach: resolved.reach, incremental: true });
    let ledger = result.ledger;
    if (dataset === 'equities_eod') {
      ledger = await markDisagreements(deps, ledger);
      eod = ledger.filter((row) => row.status !== 'NO_SESSION');
    }
    datasets[dataset] = summarizeLedger(ledger.filter((row) => row.status !== 'NO_SESSION'));
  }
  return { eod, datasets };
}

/**
 * Datasets of the tasks this run schedules (enabled in edge.yml, narrowed by `run --tasks`) whose
 * vendor has a client: others are nobody's job here, and grading them would only say RED.
 */
function targetedDatasets(deps: PipelineDeps): AuditedDataset[] {
  const vendors = new Set(Object.keys(deps.clients) as VendorId[]);
  const filled = new Set<DatasetName>();
  for (const task of deps.config.edge.tasks) {
    const spec = TASKS[task.name];
    if (task.enabled && vendors.has(spec.vendor) && spec.endpoints.some((e) => deps.settings.enabledEndpoints.has(e))) filled.add(spec.dataset);
  }
  return AUDITED_DATASETS.filter((d) => filled.has(d));
}

/**
 * What the audit of a dataset expects, where the planners decide it: the pipeline's eod window, the
 * top-N names for minute bars, the target underliers for options (whose snapshots cannot be
 * backfilled, so the window starts at the first capture), the names historical chains and
 * fundamentals are fetched for. Never what the lake happens to hold: a dataset whose every request
 * failed would then expect nothing and grade GREEN. null: nothing to audit yet.
 */
async function auditOverrides(deps: PipelineDeps, dataset: AuditedDataset, options: { window: EodWindow; universe: readonly UniverseMember[] }): Promise<{ start?: string; end?: string; symbols?: string[] } | null> {
  const asOf = options.window.end;
  switch (dataset) {
    case 'equities_eod':
      return { start: options.window.start, end: options.window.end };
    case 'equities_minute': {
      const setting = deps.config.edge.tasks.find((t) => t.name === 'alpaca_minute');
      const n = setting?.top_n ?? deps.config.backfill.targets.equities_minute?.top_n ?? 100;
      const active = options.universe.filter((m) => m.status === 'active').map((m) => m.symbol);
      const ranked = await liquidityRanking(deps.lake, asOf, { among: active });
      const symbols = ranked.slice(0, n).map((r) => r.symbol);
      return symbols.length === 0 ? null : { symbols };
    }
    case 'options_chain':
    case 'options_bars': {
      const ctx = planContext(deps, options.universe);
      const underliers = await targetUnderliers(ctx, 'alpaca_options_chain', asOf);
      // Snapshots cannot be backfilled: the window opens at the session the first capture described.
      const first = (await deps.lake.readCoverage(dataset)).reduce<string | undefined>((min, c) => (min === undefined || c.recorded_at < min ? c.recorded_at : min), undefined);
      if (underliers.length === 0 || first === undefined) return null;
      const start = snapshotSessionAt(Date.parse(first));
      const end = lastCompletedSession(deps.clock.now(), 30 * 60_000);
      return start > end ? null : { symbols: underliers, start, end };
    }
    case 'options_chain_hist': {
      const ctx = planContext(deps, options.universe);
      if ((await usableCapability(ctx, 'av.historical_options', 'options_chain_hist')) === undefined) return null;
      const underliers = await optionsHistUnderliers(ctx, asOf);
      return underliers.length === 0 ? null : { symbols: underliers };
    }
    case 'fundamentals': {
      const ctx = planContext(deps, options.universe);
      if ((await usableCapability(ctx, 'fmp.statements', 'fundamentals')) === undefined) return null;
      const empty = await fmpSymbolsWithoutStatements(ctx);
      const symbols = fundamentalsSymbols(ctx, await fmpUncoveredSymbols(ctx)).filter((s) => !empty.has(s));
      return symbols.length === 0 ? null : { symbols };
    }
    case 'symbols': {
      // A symbol list is a snapshot of its day; past days cannot be fetched again.
      const today = nyDate(deps.clock.now());
      return { start: today, end: today };
    }
    default:
      return {};
  }
}

function planContext(deps: PipelineDeps, universe: readonly UniverseMember[]): PlanContext {
  return { lake: deps.lake, state: deps.state, config: deps.config, settings: deps.settings, nowMs: deps.clock.now(), universe };
}

/** Sessions where the alternate vendor disagrees with the primary beyond the threshold turn AMBER with that reason. */
async function markDisagreements(deps: PipelineDeps, ledger: LedgerRow[]): Promise<LedgerRow[]> {
  await verifyDataset({ lake: deps.lake, dataset: 'equities_eod', precedence: deps.settings.vendorPrecedence, clock: deps.clock });
  const disagreements = await disagreementsByDate(deps.lake, 'equities_eod');
  if (disagreements.size === 0) return ledger;
  const marked = ledger.map((row) => {
    const found = disagreements.get(row.date);
    if (!found || row.status !== 'GREEN') return row;
    return { ...row, status: 'AMBER' as const, reason: `${found.count} cross-vendor disagreement(s): ${found.sample}` };
  });
  await writeLedger(deps.lake, marked);
  return marked;
}
