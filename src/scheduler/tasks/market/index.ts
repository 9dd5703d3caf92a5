import type { TaskPlanner } from '../types.js';
import { alpacaOptionsChainPlanner, finnhubOptionsPlanner } from './chains.js';
import { polygonOptionsContractsPlanner } from './contracts.js';
import { finnhubDailyPlanner, finnhubSymbolsPlanner } from './finnhub.js';
import { alpacaMinutePlanner } from './minute.js';
import { alpacaOptionsBarsPlanner } from './option-bars.js';

/**
 * Planners of the market-data tasks, in the order the loop should call them: reference first
 * (symbols, the contract master), then snapshots that cannot be taken later (chains, primary then
 * alternate), then bars (minute, option bars — these read the chains and contracts just planned
 * once they have run), then the premium repair lane.
 */
export const MARKET_PLANNERS: readonly TaskPlanner[] = [
  finnhubSymbolsPlanner,
  polygonOptionsContractsPlanner,
  alpacaOptionsChainPlanner,
  finnhubOptionsPlanner,
  alpacaMinutePlanner,
  alpacaOptionsBarsPlanner,
  finnhubDailyPlanner,
];

export { alpacaMinutePlanner, MAX_MINUTE_BARS_PER_SESSION, minuteWindow } from './minute.js';
export { alpacaOptionsChainPlanner, finnhubOptionsPlanner, snapshotSession, snapshotSessionAt, ALTERNATE_GRACE_MS } from './chains.js';
export { alpacaOptionsBarsPlanner } from './option-bars.js';
export { polygonOptionsContractsPlanner, asOfGrid } from './contracts.js';
export { finnhubSymbolsPlanner, finnhubDailyPlanner, isoWeek } from './finnhub.js';
export { targetUnderliers, DEFAULT_OPTION_UNDERLIERS } from './targets.js';
