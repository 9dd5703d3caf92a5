import type { Market, SandboxDividend, SandboxSplit } from '../market/index.js';
import { isIsoDate } from '../shared/dates.js';
import { fingerprint, stableCusip, stableUuid } from '../shared/ids.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { alpacaError, type AlpacaContext } from './context.js';

/** Every type the endpoint accepts in `types`; the simulated market produces three of them. */
const KNOWN_TYPES = new Set([
  'reverse_split', 'forward_split', 'unit_split', 'cash_dividend', 'stock_dividend', 'spin_off', 'cash_merger', 'stock_merger',
  'stock_and_cash_merger', 'redemption', 'name_change', 'worthless_removal', 'rights_distribution', 'partial_call',
  'reorganization', 'capital_gains_distribution',
]);

type ActionType = 'forward_split' | 'reverse_split' | 'cash_dividend';

export interface ActionRecord {
  type: ActionType;
  symbol: string;
  processDate: string;
  exDate: string;
  id: string;
  body: Record<string, unknown>;
}

/** All records the market implies, in the order pages are cut: process date, symbol, type. */
export function buildActionRecords(market: Market): ActionRecord[] {
  const records: ActionRecord[] = [];
  for (const s of market.splits) records.push(s.newShares > s.oldShares ? forwardSplit(s) : reverseSplit(s));
  for (const d of market.dividends) records.push(cashDividend(d, cusipOn(market, d.symbol, d.exDate)));
  return records.sort((a, b) => compare(a.processDate, b.processDate) || compare(a.symbol, b.symbol) || compare(a.type, b.type) || compare(a.exDate, b.exDate));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A reverse split issues a new CUSIP; later records carry it. */
function cusipOn(market: Market, symbol: string, date: string): string {
  let cusip = stableCusip(symbol);
  for (const s of market.splitsOf(symbol)) if (s.newShares < s.oldShares && s.exDate <= date) cusip = stableCusip(`${symbol}@${s.exDate}`);
  return cusip;
}

function forwardSplit(s: SandboxSplit): ActionRecord {
  const id = stableUuid(`alpaca:forward_split:${s.symbol}:${s.exDate}`);
  const body = {
    id, symbol: s.symbol, cusip: stableCusip(s.symbol), new_rate: s.newShares, old_rate: s.oldShares,
    process_date: s.processDate, ex_date: s.exDate, record_date: s.recordDate, payable_date: s.payableDate,
  };
  return { type: 'forward_split', symbol: s.symbol, processDate: s.processDate, exDate: s.exDate, id, body };
}

function reverseSplit(s: SandboxSplit): ActionRecord {
  const id = stableUuid(`alpaca:reverse_split:${s.symbol}:${s.exDate}`);
  const body = {
    id, symbol: s.symbol, old_cusip: stableCusip(s.symbol), new_cusip: stableCusip(`${s.symbol}@${s.exDate}`),
    new_rate: s.newShares, old_rate: s.oldShares, process_date: s.processDate, ex_date: s.exDate,
    record_date: s.recordDate, payable_date: s.payableDate,
  };
  return { type: 'reverse_split', symbol: s.symbol, processDate: s.processDate, exDate: s.exDate, id, body };
}

function cashDividend(d: SandboxDividend, cusip: string): ActionRecord {
  const id = stableUuid(`alpaca:cash_dividend:${d.symbol}:${d.exDate}`);
  const body = {
    id, symbol: d.symbol, cusip, rate: d.cash, special: false, foreign: false, process_date: d.processDate,
    ex_date: d.exDate, record_date: d.recordDate, payable_date: d.payDate,
  };
  return { type: 'cash_dividend', symbol: d.symbol, processDate: d.processDate, exDate: d.exDate, id, body };
}

/**
 * `GET /v1/corporate-actions`: filters on `process_date` (default today), records processed after
 * "today" do not exist yet; `limit` counts records across types; only non-empty type keys appear.
 */
export function corporateActions(records: readonly ActionRecord[], query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  const list = (name: string): string[] | undefined => query.get(name)?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const types = list('types');
  const unknown = types?.find((t) => !KNOWN_TYPES.has(t));
  if (unknown !== undefined) return alpacaError(400, `invalid types: ${unknown}`);
  const start = query.get('start') ?? ctx.today;
  const end = query.get('end') ?? ctx.today;
  if (!isIsoDate(start)) return alpacaError(400, `invalid start: ${start}`);
  if (!isIsoDate(end)) return alpacaError(400, `invalid end: ${end}`);
  const limitText = query.get('limit');
  const limit = limitText === null ? 100 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= 1000)) return alpacaError(400, 'invalid limit: must be between 1 and 1000');
  const sort = query.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') return alpacaError(400, `invalid sort: ${sort}`);

  const print = fingerprint([...query].filter(([key]) => key !== 'page_token'));
  const token = query.get('page_token');
  const offset = token === null ? 0 : decodeOffset(token, print);
  if (offset === undefined) return alpacaError(400, 'invalid page token');

  const ids = list('ids');
  const symbols = list('symbols');
  const matching = records.filter((r) => {
    if (r.processDate > ctx.today) return false;
    if (ids) return ids.includes(r.id);
    return (
      r.processDate >= start && r.processDate <= end && (!types || types.includes(r.type)) && (!symbols || symbols.includes(r.symbol))
    );
  });
  const ordered = sort === 'asc' ? matching : [...matching].reverse();
  const page = ordered.slice(offset, offset + limit);
  const grouped: Record<string, Array<Record<string, unknown>>> = {};
  for (const r of page) (grouped[`${r.type}s`] ??= []).push(r.body);
  const more = offset + limit < ordered.length;
  return jsonResponse(200, { corporate_actions: grouped, next_page_token: more ? encodeOffset(offset + limit, print) : null });
}

function encodeOffset(offset: number, print: string): string {
  return Buffer.from(`${offset}|${print}`).toString('base64');
}

function decodeOffset(token: string, print: string): number | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (Buffer.from(text).toString('base64') !== token) return undefined;
  const match = /^(\d+)\|([0-9a-f]+)$/.exec(text);
  return match && match[2] === print ? Number(match[1]) : undefined;
}
