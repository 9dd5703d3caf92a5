export {
  createFinnhubEmulator,
  FINNHUB_BASE_PATH,
  FINNHUB_FREE_PLAN,
  type FinnhubCredentials,
  type FinnhubEmulatorOptions,
  type FinnhubPlan,
} from './emulator.js';
export { INVALID_KEY_MESSAGE, NO_ACCESS_MESSAGE, RATE_LIMIT_MESSAGE } from './context.js';
export type { OptionChainUnits } from './option-chain.js';
