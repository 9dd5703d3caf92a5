import type { TaskPlanner } from '../types.js';
import { avCorpActionsPlanner, avDelistingsPlanner, avOptionsHistPlanner } from './av.js';
import { fmpDelistingsPlanner, fmpFundamentalsPlanner, fmpSymbolsPlanner } from './fmp.js';
import { fredSeriesPlanner, fredTreasuryPlanner } from './fred.js';

export { avCorpActionsPlanner, avDelistingsPlanner, avOptionsHistPlanner, optionsHistUnderliers } from './av.js';
export { fmpDelistingsPlanner, fmpFundamentalsPlanner, fmpSymbolsPlanner, fmpSymbolsWithoutStatements, fmpUncoveredSymbols, fundamentalsSymbols, FUNDAMENTALS_REFRESH_DAYS, FMP_UNCOVERED_BOOKMARK } from './fmp.js';
export { fredSeriesPlanner, fredTreasuryPlanner, TREASURY_REFETCH_DAYS } from './fred.js';
export { usableCapability } from './common.js';

/**
 * The planners of the scarce-budget and slow-moving tasks, reference lists first (delistings and
 * symbols feed the universe), then corporate actions, then the rest.
 */
export const SLOW_PLANNERS: readonly TaskPlanner[] = [
  avDelistingsPlanner,
  fmpDelistingsPlanner,
  fmpSymbolsPlanner,
  avCorpActionsPlanner,
  fredTreasuryPlanner,
  fredSeriesPlanner,
  fmpFundamentalsPlanner,
  avOptionsHistPlanner,
];
