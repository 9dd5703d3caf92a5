export {
  createPolygonEmulator,
  POLYGON_BASIC_PLAN,
  type PolygonCredentials,
  type PolygonEmulatorOptions,
  type PolygonPlan,
} from './emulator.js';
