export { adjustSymbol, type AdjustmentEvent, type AdjustmentLogEntry, type RawDailyBar } from './adjust.js';
export { mergeCorporateActions, type MergedAction } from './corp-actions.js';
export { gradeSession, type Grade, type QcThresholds } from './grade.js';
export { auditEquitiesEod, missingSymbols, writeLedger, readLedger, summarizeLedger, type AuditWindow, type LedgerSummary } from './audit.js';
export { curateEquities, readCurated, curatedContentHash, bucketOf, curatedPath, CURATED_BUCKETS, type CurateOptions, type CurateResult } from './curate.js';
export { renderHeatmap } from './heatmap.js';
