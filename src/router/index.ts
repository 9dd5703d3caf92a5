export {
  route,
  requestsFor,
  vendorExclusion,
  type RouteInputs,
  type RouteCapability,
  type RoutePlan,
  type PlannedVendor,
  type ExcludedVendor,
  type ScoreParts,
  type LiveVendorState,
} from './route.js';
export {
  activeVendors,
  planDatasets,
  vendorActivePredicate,
  CROSS_VERIFIED_DATASETS,
  type ActiveVendorsInput,
  type DatasetCapability,
  type DatasetVendorPlan,
  type VendorActivity,
  type VendorActivityStatus,
} from './fallback.js';
export { livePlans, readLiveVendorState, routeCapabilitiesOf } from './live.js';
