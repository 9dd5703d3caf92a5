import type { DatasetName, EndpointId, VendorId } from '../catalog/index.js';
import type { KeyVar } from './key-vars.js';
import type { BackfillFile, BackfillTargetFile } from './schemas/backfill.js';
import type { CuratorFile, CuratorJobFile } from './schemas/curator.js';
import type { EdgeFile } from './schemas/edge.js';
import type { CapabilityFile, ProviderFile } from './schemas/endpoints.js';
import type { TaskName } from './tasks.js';

/*
 * The configuration every later module sees: the files' own shapes (zod-inferred) with aliases
 * resolved, shorthand forms expanded and names typed as canonical ids.
 */

export type Capability = Omit<CapabilityFile, 'endpoint'> & {
  readonly vendor: VendorId;
  readonly dataset: DatasetName;
  readonly endpoint: EndpointId;
};

export interface ProviderConfig extends Omit<ProviderFile, 'datasets' | 'key_env'> {
  readonly vendor: VendorId;
  readonly key_env: readonly KeyVar[];
  /** Every capability of this vendor, in file order. */
  readonly capabilities: readonly Capability[];
}

export interface EndpointsConfig {
  readonly providers: Partial<Record<VendorId, ProviderConfig>>;
  /** Every capability of every vendor, in file order. */
  readonly capabilities: readonly Capability[];
}

export interface TaskSetting {
  readonly name: TaskName;
  readonly enabled: boolean;
  /** Symbol tasks: the N most liquid names (present only when edge.yml sets it). */
  readonly top_n?: number;
  /** Options tasks: explicit underlying symbols (present only when edge.yml sets them). */
  readonly underliers?: readonly string[];
}

export interface EdgeConfig {
  readonly locks: EdgeFile['locks'];
  /** Tasks in file order; tasks the file does not name are not run. */
  readonly tasks: readonly TaskSetting[];
  readonly policy: {
    readonly daily_api_budget: Partial<Record<VendorId, number>>;
    readonly forward_reserve_pct: number;
  };
}

export type BackfillTarget = Omit<BackfillTargetFile, 'vendors'> & {
  readonly dataset: DatasetName;
  /** Restrict the target to these vendors; undefined = the router decides. */
  readonly vendors: readonly VendorId[] | undefined;
};

export interface BackfillConfig {
  readonly policy: { readonly daily_api_budget: Partial<Record<VendorId, number>> };
  readonly priorities: Partial<Record<DatasetName, number>>;
  readonly targets: Partial<Record<DatasetName, BackfillTarget>>;
  readonly qc_thresholds: BackfillFile['qc_thresholds'];
}

export type CuratorJob = Omit<CuratorJobFile, 'input' | 'vendor_precedence' | 'corp_actions_precedence'> & {
  readonly name: string;
  readonly input: DatasetName;
  readonly vendor_precedence: readonly VendorId[];
  readonly corp_actions_precedence: readonly VendorId[] | undefined;
};

export interface CuratorConfig {
  readonly watermark: CuratorFile['watermark'];
  readonly jobs: Readonly<Record<string, CuratorJob>>;
}

export interface TrademlConfig {
  readonly configDir: string;
  readonly endpoints: EndpointsConfig;
  readonly edge: EdgeConfig;
  readonly backfill: BackfillConfig;
  readonly curator: CuratorConfig;
}
