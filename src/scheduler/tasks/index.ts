export type { PlanContext, TaskPlanner } from './types.js';
export { fetchUnit } from './fetch-unit.js';
export { unitPriority } from './priority.js';
export { EOD_PLANNERS, REFERENCE_PLANNERS } from './equities.js';
export { SLOW_PLANNERS } from './slow/index.js';
export { MARKET_PLANNERS } from './market/index.js';
import { MARKET_PLANNERS } from './market/index.js';
import { EOD_PLANNERS, REFERENCE_PLANNERS } from './equities.js';
import { SLOW_PLANNERS } from './slow/index.js';
import type { TaskPlanner } from './types.js';

/** Every task planner, one per edge.yml task. */
export const ALL_PLANNERS: readonly TaskPlanner[] = [...REFERENCE_PLANNERS, ...EOD_PLANNERS, ...MARKET_PLANNERS, ...SLOW_PLANNERS];
