export {
  AV_FREE_PLAN,
  AV_LEGACY_FREE_PLAN,
  createAvEmulator,
  type AvCredentials,
  type AvEmulator,
  type AvEmulatorOptions,
  type AvPlan,
  type AvUsage,
} from './emulator.js';
export type { AvResetZone } from './quota.js';
export type { AvOptionRow } from './options.js';
export { serveEmulator, type StandaloneServer } from './standalone.js';
