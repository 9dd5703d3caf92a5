export { Pacer, budgetDay, type PacerOptions, type VendorLimits, type CircuitOptions, type PacerEvent, type VendorPacingSnapshot } from './pacer.js';
export { SlidingWindow, type SlidingWindowOptions } from './sliding-window.js';
export { BudgetExhausted, VendorFrozen } from './errors.js';
