import { createHash } from 'node:crypto';
import type { QueueUnitInput, UnitOrigin } from '../state/index.js';

/** Priorities (higher runs first): corporate actions and reference before bars (spec §5). */
export const PRIORITY = { reference: 100, corpActions: 100, eod: 90, repair: 95 } as const;

function symbolsDigest(symbols: readonly string[]): string {
  return createHash('sha256').update([...symbols].sort().join(',')).digest('hex').slice(0, 16);
}

export function alpacaBarsUnit(symbols: string[], start: string, end: string, origin: UnitOrigin, priority: number = PRIORITY.eod): QueueUnitInput {
  return {
    identity: `alpaca.bars|equities_eod|${start}..${end}|${symbols.length}:${symbolsDigest(symbols)}`,
    vendor: 'alpaca',
    dataset: 'equities_eod',
    endpoint: 'alpaca.bars',
    params: { symbols: [...symbols].sort(), start, end, feed: 'sip' },
    priority,
    origin,
    cost: 1,
  };
}

export function polygonGroupedUnit(date: string, origin: UnitOrigin, priority: number = PRIORITY.eod): QueueUnitInput {
  return {
    identity: `polygon.aggs.grouped_daily|equities_eod|${date}`,
    vendor: 'polygon',
    dataset: 'equities_eod',
    endpoint: 'polygon.aggs.grouped_daily',
    params: { date },
    priority,
    origin,
    cost: 1,
  };
}

export function alpacaAssetsUnit(day: string): QueueUnitInput {
  return { identity: `alpaca.assets|symbols|${day}`, vendor: 'alpaca', dataset: 'symbols', endpoint: 'alpaca.assets', params: {}, priority: PRIORITY.reference, origin: 'reference', cost: 1 };
}

export function polygonTickersUnit(day: string, active: boolean): QueueUnitInput {
  return {
    identity: `polygon.reference.tickers|symbols|${day}|active=${active}`,
    vendor: 'polygon',
    dataset: 'symbols',
    endpoint: 'polygon.reference.tickers',
    params: { active },
    priority: PRIORITY.reference,
    origin: 'reference',
    cost: 1,
  };
}

export function corpActionsUnit(endpoint: 'alpaca.corporate_actions' | 'polygon.reference.splits' | 'polygon.reference.dividends', start: string, end: string, day: string): QueueUnitInput {
  const vendor = endpoint.startsWith('alpaca') ? 'alpaca' : 'polygon';
  return {
    identity: `${endpoint}|corp_actions|${start}..${end}|as-of=${day}`,
    vendor,
    dataset: 'corp_actions',
    endpoint,
    params: { start, end },
    priority: PRIORITY.corpActions,
    origin: 'reference',
    cost: 1,
  };
}
