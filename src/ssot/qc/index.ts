export { runQc, summarizeVerdicts, QC_DATASETS, QC_VERDICTS_PATH, OUTLIER_K, type QcOptions, type QcVerdict, type QcStatus } from './checks.js';
