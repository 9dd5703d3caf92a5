import type { TaskName, TrademlConfig } from '../../config/index.js';
import type { Lake } from '../../lake/index.js';
import type { QueueUnitInput, StateStore } from '../../state/index.js';
import type { UniverseMember } from '../../universe/index.js';
import type { PipelineSettings } from '../settings.js';

/** What a task planner may read to decide which units its task still owes. Read-only. */
export interface PlanContext {
  lake: Lake;
  /** Bookmarks (rotations), bad symbols, capability status; planners never write the queue themselves. */
  state: StateStore;
  config: TrademlConfig;
  /** Capabilities of configured vendors, enabled endpoints, the equities_eod window, thresholds. */
  settings: PipelineSettings;
  nowMs: number;
  /** The survivorship-free universe (every symbol any reference lists, active or delisted). */
  universe: readonly UniverseMember[];
}

/**
 * The producer of one edge.yml task: the units its vendor still owes for the task's dataset —
 * forward (the newest sessions) and backfill (the backfill.yml target window, chunked by
 * `chunk_days`, batched the way the endpoint allows). Deterministic: the same lake, state and time
 * give the same units with the same identities, so re-planning every cycle never duplicates work
 * (the queue dedupes identities) and a unit whose data is in the lake is not planned again.
 */
export interface TaskPlanner {
  task: TaskName;
  plan(ctx: PlanContext): Promise<QueueUnitInput[]>;
}
