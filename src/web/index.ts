export { createDashboard, PAGE_DAYS, type DashboardConfig, type DashboardOptions } from './app.js';
export { readCoverage, readAllCoverage, coverageCell, type Coverage, type CoverageCell } from './coverage.js';
export { renderHeatmapSvg, STATUS_COLOR } from './heatmap-svg.js';
export { renderPage, renderCoveragePage, type DashboardView } from './page.js';
export { redactDeep } from './redact.js';
export {
  nodeStatus,
  vendorStatuses,
  recentEntries,
  freshness,
  type NodeStatus,
  type VendorStatus,
  type LogView,
  type FreshnessRow,
  type VendorLimitMap,
} from './status.js';
