import { sqlFileList } from '../../../lake/index.js';
import { addDays } from '../../../calendar/index.js';
import type { TaskName } from '../../../config/index.js';
import type { UniverseMember } from '../../../universe/index.js';
// Until src/universe/index.ts re-exports it (the lead's file).
import { liquidityRanking } from '../../../universe/liquidity.js';
import { coverageSpans } from './coverage.js';
import { taskSetting } from './gate.js';
import type { PlanContext } from '../types.js';

/** Underliers per options task when edge.yml names neither `underliers` nor `top_n`. */
export const DEFAULT_OPTION_UNDERLIERS = 10;
/** An underlier whose chains came back empty is skipped for this long, then asked again. */
const NO_OPTIONS_DAYS = 30;

/**
 * The `n` most liquid of `members` as of `asOf`, or undefined while the choice cannot be made yet:
 * when n covers every member the answer is all of them (no ranking needed); otherwise it needs
 * equities_eod bars in the lake, and guessing (alphabetical order) would spend requests on names
 * that drop out as soon as the bars arrive, so the caller waits.
 */
export async function mostLiquid(ctx: PlanContext, members: readonly UniverseMember[], n: number, asOf: string): Promise<string[] | undefined> {
  const symbols = members.map((m) => m.symbol);
  if (n >= symbols.length) return symbols;
  const ranked = await liquidityRanking(ctx.lake, asOf, { among: symbols });
  if (ranked.length === 0) return undefined;
  return ranked.slice(0, n).map((r) => r.symbol);
}

/**
 * The underliers an options task works on: edge.yml `underliers` when given, else the `top_n`
 * (default `defaultN`, 10) most liquid active names, passing over names whose recent chains were all empty
 * (no listed options) so the slots go to optionable ones. [] until equities_eod bars exist.
 */
export async function targetUnderliers(ctx: PlanContext, task: TaskName, asOf: string, defaultN: number = DEFAULT_OPTION_UNDERLIERS): Promise<string[]> {
  const setting = taskSetting(ctx, task);
  if (setting?.underliers !== undefined) return [...setting.underliers];
  const n = setting?.top_n ?? defaultN;
  const active = ctx.universe.filter((m) => m.status === 'active').map((m) => m.symbol);
  const ranked = await liquidityRanking(ctx.lake, asOf, { among: active });
  const noOptions = await withoutOptions(ctx, addDays(asOf, -NO_OPTIONS_DAYS));
  const optionable = await listedUnderliers(ctx);
  const candidates = ranked.map((r) => r.symbol).filter((s) => !noOptions.has(s));
  // Names the contract master lists go first: asking for chains of names without listed options
  // would only hand their slots on one empty answer at a time.
  const listed = candidates.filter((s) => optionable.has(s));
  return [...listed, ...candidates.filter((s) => !optionable.has(s))].slice(0, n);
}

/** Underliers the options_contracts reference (any vendor) lists contracts for. */
async function listedUnderliers(ctx: PlanContext): Promise<Set<string>> {
  const files = await ctx.lake.referenceFiles('options_contracts');
  if (files.length === 0) return new Set();
  const rows = await ctx.lake.query<{ underlying: string }>(`SELECT DISTINCT underlying FROM read_parquet(${sqlFileList(files)}, union_by_name = true)`);
  return new Set(rows.map((r) => r.underlying));
}

/** Underliers every one of whose chain snapshots since `since` had no contracts. */
async function withoutOptions(ctx: PlanContext, since: string): Promise<Set<string>> {
  const seen = new Map<string, boolean>();
  for (const span of await coverageSpans(ctx.lake, 'options_chain', { endOnOrAfter: since })) {
    seen.set(span.scope, (seen.get(span.scope) ?? false) || span.rows > 0);
  }
  return new Set([...seen].filter(([, any]) => !any).map(([scope]) => scope));
}
