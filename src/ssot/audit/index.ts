export { auditEquitiesEod, missingSymbols } from './eod.js';
export { auditDataset, listingMoves, type AuditOptions, type AuditResult } from './run.js';
export { isGreen, gateDependencies, GATE_DEPENDENCIES, type GateResult, type GateFailure } from './gate.js';
export { macroObservationDates, REGULAR_SESSION_MINUTES } from './plans.js';
export { writeLedger, readLedger, summarizeLedger, writeLedgerDetail, readLedgerDetail, type LedgerSummary } from './store.js';
export type { AuditWindow, AuditThresholds, VendorReach, MacroSeriesInput, MacroFrequency, AuditSpec, AuditedDataset, DetailRow, AuditStats } from './types.js';
export { resolveAudit, AUDITED_DATASETS, isAuditedDataset, type ResolvedAudit } from './inputs.js';
