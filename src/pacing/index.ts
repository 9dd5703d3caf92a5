export {
  Pacer,
  budgetCapFor,
  type BudgetCap,
  type PacerOptions,
  type VendorLimits,
  type CircuitOptions,
  type PacerEvent,
  type VendorPacingSnapshot,
} from './pacer.js';
export { SlidingWindow, type SlidingWindowOptions } from './sliding-window.js';
export { BudgetExhausted, VendorFrozen, type BudgetScope } from './errors.js';
export { withRequestOrigin, currentRequestOrigin } from './origin.js';
export { budgetDay, budgetWindows, nextUtcMidnight, spentToday, type BudgetWindow } from './budget-windows.js';
