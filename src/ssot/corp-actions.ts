import type { CorpActionRow, VendorId } from '../catalog/index.js';
import type { AdjustmentEvent } from './adjust.js';

export interface MergedAction extends AdjustmentEvent {
  /** How many vendors reported this (symbol, action, ex_date). */
  source_count: number;
  /** True when vendors reported different values; the preferred vendor's value is used. */
  disagreement: boolean;
}

/**
 * Merges corporate actions across vendors: one event per (symbol, action, ex_date), the value of the
 * first vendor in `precedence` that reported it, with how many vendors agree. Only splits and cash
 * dividends move prices; other actions are kept in reference/ but not returned here.
 */
export function mergeCorporateActions(rows: readonly CorpActionRow[], precedence: readonly VendorId[]): MergedAction[] {
  const rank = (vendor: string): number => {
    const index = precedence.indexOf(vendor as VendorId);
    return index === -1 ? precedence.length : index;
  };
  const groups = new Map<string, CorpActionRow[]>();
  for (const row of rows) {
    if (row.action !== 'split' && row.action !== 'dividend') continue;
    const key = `${row.symbol}\u0000${row.action}\u0000${row.ex_date}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const merged: MergedAction[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => rank(a.source_name) - rank(b.source_name) || (a.ingested_at < b.ingested_at ? 1 : -1));
    const best = group[0] as CorpActionRow;
    const value = (r: CorpActionRow): number | null => (r.action === 'split' ? r.split_ratio : r.cash_amount);
    const vendors = new Set(group.map((r) => r.source_name));
    merged.push({
      symbol: best.symbol,
      action: best.action as 'split' | 'dividend',
      ex_date: best.ex_date,
      split_ratio: best.split_ratio,
      cash_amount: best.cash_amount,
      source_name: best.source_name,
      source_count: vendors.size,
      disagreement: group.some((r) => !sameValue(value(r), value(best))),
    });
  }
  return merged.sort((a, b) => (a.symbol === b.symbol ? (a.ex_date < b.ex_date ? -1 : 1) : a.symbol < b.symbol ? -1 : 1));
}

function sameValue(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}
