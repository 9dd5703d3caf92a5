export { createFmpEmulator, FMP_DEFAULT_BEHAVIOUR, type FmpEmulatorOptions } from './emulator.js';
export type { FmpBehaviour } from './context.js';
export { FMP_FREE_PLAN, FMP_FREE_SAMPLE, type FmpCredentials, type FmpPlan } from './plan.js';
export { createFundamentals, type FiscalReport, type Fundamentals } from './fundamentals.js';
export type { FiscalPeriod } from './fiscal.js';
export {
  BALANCE_FIELDS,
  CASH_FLOW_FIELDS,
  INCOME_FIELDS,
  type BalanceField,
  type BalanceLines,
  type CashFlowField,
  type CashFlowLines,
  type IncomeField,
  type IncomeLines,
} from './statement-fields.js';
export { fmpMarketSample } from './sample.js';
