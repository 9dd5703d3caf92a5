export { runCuratorJobs, type CuratorJobResult, type RunCuratorJobsOptions } from './jobs.js';
export { CuratorJobError } from './errors.js';
export { curateAdjusted, ADJUSTMENT_LOG_PATH, FACTORS_PATH, type AdjustedRun, type AdjustedOutcome, type CurateResult } from './equities-adj.js';
export { readJobStates, watermarkPath, type JobState } from './watermark.js';
export { readManifest, type ManifestEntry } from './parts.js';
export {
  ADJUSTED_TABLE,
  CURATED_BUCKETS,
  bucketOf,
  curatedPath,
  minutePath,
  singleFilePath,
  bucketFilePath,
  manifestPath,
} from './layout.js';
