export { runPipelineOnce, ShutdownRequested, type PipelineDeps, type RunOnceOptions, type RunOnceReport, type PipelineEvent } from './loop.js';
export { runVendorExecutor, backoffMs, type ExecutorOptions, type ExecutorEvent, type ExecutorReport } from './executor.js';
export { eodWindow, eodUnits, referenceUnits, repairUnits, servableSessions, bulkCapabilities, contiguousRuns, type EodWindow } from './producers.js';
export { handlerFor, supportedEndpoints, type VendorClients, type HandlerContext, type UnitResult } from './handlers.js';
export { capabilitySettingsOf, DEFAULT_MAX_ROWS_PER_UNIT, type CapabilitySettings, type PipelineSettings } from './settings.js';
export { runSmoke, type SmokeReport, type SmokeTaskResult, type SmokeTableCount, type SmokeOutcome } from './smoke.js';
export { ALL_PLANNERS, MARKET_PLANNERS, SLOW_PLANNERS, EOD_PLANNERS, REFERENCE_PLANNERS, fetchUnit, unitPriority, type PlanContext, type TaskPlanner } from './tasks/index.js';
