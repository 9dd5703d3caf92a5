export { route, requestsFor, type RouteInputs, type RouteCapability, type RoutePlan, type PlannedVendor, type ExcludedVendor, type ScoreParts } from './route.js';
