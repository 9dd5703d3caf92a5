export { runPipelineOnce, ShutdownRequested, type PipelineDeps, type RunOnceOptions, type RunOnceReport, type PipelineEvent } from './loop.js';
export { runVendorExecutor, backoffMs, type ExecutorOptions, type ExecutorEvent, type ExecutorReport } from './executor.js';
export { eodWindow, eodUnits, referenceUnits, repairUnits, servableSessions, bulkCapabilities, contiguousRuns, type EodWindow } from './producers.js';
export { handlerFor, supportedEndpoints, type VendorClients, type HandlerContext, type UnitResult } from './handlers.js';
export { DEFAULT_MAX_ROWS_PER_UNIT, type CapabilitySettings, type PipelineSettings } from './settings.js';
