export {
  CRASH_KINDS,
  CrashPoints,
  CrashSpecError,
  crashPointsFromEnv,
  parseCrashAt,
  type CrashCounts,
  type CrashKind,
  type CrashPlan,
  type CrashPointsOptions,
  type FetchFunction,
} from './crashpoints.js';
export { crashStoreWrapper, installCrashPoints, processCrashPoints } from './install.js';
