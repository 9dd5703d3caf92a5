import type { TaskName } from '../../config/index.js';
import type { QueueUnitInput } from '../../state/index.js';
import { membersDuring } from '../../universe/index.js';
import { eodUnits, eodWindow, referenceUnits } from '../producers.js';
import type { PlanContext, TaskPlanner } from './types.js';

/** Reference units of one task, cut from the shared reference producer by the task's endpoints. */
function referencePlanner(task: TaskName, endpoints: readonly string[]): TaskPlanner {
  return {
    task,
    plan: async (ctx: PlanContext): Promise<QueueUnitInput[]> => {
      const window = eodWindow(ctx.settings, ctx.nowMs);
      return referenceUnits(ctx.settings, window, ctx.nowMs).filter((unit) => endpoints.includes(unit.endpoint));
    },
  };
}

/** equities_eod units of one vendor's bulk endpoint for every session it has no partition for. */
function eodPlanner(task: TaskName, vendor: 'alpaca' | 'polygon'): TaskPlanner {
  return {
    task,
    plan: async (ctx: PlanContext): Promise<QueueUnitInput[]> => {
      const window = eodWindow(ctx.settings, ctx.nowMs);
      const universe = membersDuring(ctx.universe, window.start, window.end);
      const units = await eodUnits({ lake: ctx.lake, settings: ctx.settings, window, nowMs: ctx.nowMs, universe });
      return units.filter((unit) => unit.vendor === vendor);
    },
  };
}

/** Symbol lists and corporate actions: everything else depends on them (spec §5). */
export const REFERENCE_PLANNERS: readonly TaskPlanner[] = [
  referencePlanner('alpaca_assets', ['alpaca.assets']),
  referencePlanner('polygon_tickers', ['polygon.reference.tickers']),
  referencePlanner('alpaca_corporate_actions', ['alpaca.corporate_actions']),
  referencePlanner('polygon_corp_actions', ['polygon.reference.splits', 'polygon.reference.dividends']),
];

/** The equities_eod bulk carriers: Alpaca multi-symbol bars (primary), Polygon grouped daily (alternate). */
export const EOD_PLANNERS: readonly TaskPlanner[] = [eodPlanner('alpaca_bars', 'alpaca'), eodPlanner('polygon_bars', 'polygon')];
