import type { PartitionStatus } from '../catalog/index.js';

export interface QcThresholds {
  /** Share of the expected symbols that must be present for GREEN. */
  green_min_ratio: number;
}

export interface Grade {
  status: PartitionStatus;
  ratio: number;
  reason: string;
}

/**
 * Grades one session of a per-symbol dataset: GREEN when at least `green_min_ratio` of the symbols
 * listed that session are present, AMBER when some are, RED when none are. A session where nothing
 * was listed is GREEN with ratio 1 (nothing could be missing).
 */
export function gradeSession(present: number, expected: number, thresholds: QcThresholds, missingSample: readonly string[] = []): Grade {
  if (expected <= 0) return { status: 'GREEN', ratio: 1, reason: 'no listed symbols' };
  const ratio = Math.min(1, present / expected);
  const missing = Math.max(0, expected - present);
  const sample = missingSample.length > 0 ? ` (e.g. ${missingSample.join(', ')})` : '';
  if (present <= 0) return { status: 'RED', ratio: 0, reason: `no vendor data for ${expected} listed symbols` };
  if (ratio >= thresholds.green_min_ratio) {
    return { status: 'GREEN', ratio, reason: missing === 0 ? 'complete' : `${missing} of ${expected} listed symbols missing${sample}` };
  }
  return { status: 'AMBER', ratio, reason: `${missing} of ${expected} listed symbols missing${sample}` };
}
