export { loadConfig, CONFIG_FILES } from './load.js';
export {
  loadEnvironment,
  inspectEnvironment,
  secretValues,
  baseUrlVariable,
  BASE_URL_NAMES,
  DEFAULT_BASE_URLS,
  LOG_LEVELS,
  type BaseUrlName,
  type LogLevel,
  type TrademlEnvironment,
} from './environment.js';
export {
  configuredVendors,
  vendorKeyStatus,
  normalizeKeyVar,
  KEY_VARS,
  KEY_VAR_ALIASES,
  VENDOR_KEY_ENV,
  type KeyVar,
  type KeyStatus,
  type VendorKeyStatus,
} from './key-vars.js';
export { ConfigError, redact, type ConfigProblem } from './problems.js';
export { TASKS, TASK_NAMES, isTaskName, taskSpec, type TaskName, type TaskSpec } from './tasks.js';
export {
  addDays,
  backfillAllowance,
  capabilitiesFor,
  earliestAvailable,
  enabledTasks,
  providersFor,
  targetWindowStart,
} from './queries.js';
export type {
  BackfillConfig,
  BackfillTarget,
  Capability,
  CuratorConfig,
  CuratorJob,
  EdgeConfig,
  EndpointsConfig,
  ProviderConfig,
  TaskSetting,
  TrademlConfig,
} from './types.js';
export { endpointsFileSchema, capabilitySchema, providerSchema, type EndpointsFile, type CapabilityFile, type ProviderFile } from './schemas/endpoints.js';
export { edgeFileSchema, type EdgeFile } from './schemas/edge.js';
export { backfillFileSchema, backfillTargetSchema, type BackfillFile, type BackfillTargetFile } from './schemas/backfill.js';
export { curatorFileSchema, curatorJobSchema, type CuratorFile, type CuratorJobFile } from './schemas/curator.js';
