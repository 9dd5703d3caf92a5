import type { DatasetName, EndpointId, VendorId } from '../catalog/index.js';
import type { QcThresholds } from '../ssot/index.js';
import type { Capability } from '../config/index.js';

/** What the scheduler needs to know about one capability, resolved from configs/endpoints.yml. */
export interface CapabilitySettings {
  vendor: VendorId;
  dataset: DatasetName;
  endpoint: EndpointId;
  /** Symbols one request can carry; 'all' for whole-market endpoints such as grouped daily. */
  symbolsPerRequest: number | 'all';
  rowsPerPage: number | null;
  /** How far back the vendor's free tier reaches, in calendar days; null = unlimited. */
  historyDays: number | null;
  /** Minutes after a session's close before the vendor's data for it is complete. */
  availableAfterCloseMinutes: number;
  role: 'primary' | 'alternate';
  weight: number;
}

export interface PipelineSettings {
  /** Capabilities of configured (keyed) vendors only. */
  capabilities: CapabilitySettings[];
  vendorPrecedence: VendorId[];
  corpActionsPrecedence: VendorId[];
  thresholds: QcThresholds;
  /** equities_eod window: the later of `earliest` and today − lookbackDays. */
  eod: { earliest: string; lookbackDays: number };
  /** Upper bound on rows one unit may buffer (keeps memory flat however large the universe). */
  maxRowsPerUnit: number;
  /** Endpoints of the tasks enabled in edge.yml (and --tasks); nothing else is scheduled. */
  enabledEndpoints: ReadonlySet<EndpointId>;
}

export const DEFAULT_MAX_ROWS_PER_UNIT = 100_000;

/** The scheduler's view of one endpoints.yml capability. */
export function capabilitySettingsOf(c: Capability): CapabilitySettings {
  return {
    vendor: c.vendor,
    dataset: c.dataset,
    endpoint: c.endpoint,
    symbolsPerRequest: c.symbols_per_request,
    rowsPerPage: c.rows_per_page,
    historyDays: c.history_days,
    availableAfterCloseMinutes: c.available_after_close_minutes,
    role: c.role,
    weight: c.weight,
  };
}
