export { adjustSymbol, type AdjustmentEvent, type AdjustmentLogEntry, type RawDailyBar } from './adjust.js';
export { mergeCorporateActions, type MergedAction } from './corp-actions.js';
export { gradeSession, type Grade, type QcThresholds } from './grade.js';
export {
  auditEquitiesEod,
  missingSymbols,
  writeLedger,
  readLedger,
  summarizeLedger,
  auditDataset,
  isGreen,
  gateDependencies,
  readLedgerDetail,
  macroObservationDates,
  resolveAudit,
  AUDITED_DATASETS,
  isAuditedDataset,
  type AuditedDataset,
  type ResolvedAudit,
  type AuditWindow,
  type LedgerSummary,
  type AuditOptions,
  type AuditResult,
  type AuditSpec,
  type AuditThresholds,
  type VendorReach,
  type MacroSeriesInput,
  type DetailRow,
  type GateResult,
  type GateFailure,
} from './audit/index.js';
export { curateEquities, readCurated, curatedContentHash, bucketOf, curatedPath, CURATED_BUCKETS, type CurateOptions, type CurateResult } from './curate.js';
export { renderHeatmap } from './heatmap.js';
export { verifyDataset, disagreementsByDate, VERIFIED_DATASETS, DEFAULT_THRESHOLDS_BP } from './verify/index.js';
export { runCuratorJobs, type CuratorJobResult } from './curator/index.js';
export { runQc, summarizeVerdicts, QC_DATASETS } from './qc/index.js';
