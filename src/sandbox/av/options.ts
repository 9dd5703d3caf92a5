import { previousSession } from '../../calendar/index.js';
import { optionChain, type SandboxOptionQuote } from '../market/index.js';
import { isIsoDate } from '../shared/dates.js';
import type { EmulatorResponse } from '../shared/http.js';
import { stableHex } from '../shared/ids.js';
import { dateAfter, datatypeOf, type AvContext } from './context.js';
import { avJson, invalidCall, premiumEndpoint, REALTIME_OPTIONS_NOT_ENTITLED } from './messages.js';

const FUNCTION = 'HISTORICAL_OPTIONS';

/** Every value of a row is a string, in this key order. */
export interface AvOptionRow {
  contractID: string;
  symbol: string;
  expiration: string;
  strike: string;
  type: 'call' | 'put';
  last: string;
  mark: string;
  bid: string;
  bid_size: string;
  ask: string;
  ask_size: string;
  volume: string;
  open_interest: string;
  date: string;
  implied_volatility: string;
  delta: string;
  gamma: string;
  theta: string;
  vega: string;
  rho: string;
}

/**
 * `HISTORICAL_OPTIONS`: the end-of-day chain of one underlying on one session, a flat list sorted by
 * expiration, strike, call then put. `date` defaults to the session before today; `expiration` and
 * `contract` narrow the list. No chain (unknown symbol, no options, weekend, not yet closed) →
 * `data: []` with `message: success`.
 */
export function historicalOptions(query: URLSearchParams, ctx: AvContext): EmulatorResponse {
  if (!ctx.historicalOptions) return premiumEndpoint();
  const symbol = query.get('symbol');
  const dateText = query.get('date');
  const date = dateText === null ? previousSession(ctx.today) : dateAfter(dateText, '2008-01-01');
  const expiration = query.get('expiration');
  const contract = query.get('contract');
  if (!symbol || date === undefined || datatypeOf(query) !== 'json' || (expiration !== null && !isIsoDate(expiration))) return invalidCall(FUNCTION);

  const chain = date <= ctx.lastCompleted ? optionChain(ctx.market, symbol.toUpperCase(), date) : [];
  const rows = chain.filter((q) => (expiration === null || q.expiration === expiration) && (contract === null || q.contract === contract));
  return avJson({ endpoint: 'Historical Options', message: 'success', data: rows.map(optionRow) });
}

/** Non-entitled keys get the refusal in `message` plus the vendor's fake sample rows. */
export function realtimeOptions(): EmulatorResponse {
  return avJson(REALTIME_OPTIONS_NOT_ENTITLED);
}

export function optionRow(q: SandboxOptionQuote): AvOptionRow {
  const [bidSize, askSize] = quoteSizes(q);
  return {
    contractID: q.contract,
    symbol: q.underlying,
    expiration: q.expiration,
    strike: q.strike.toFixed(2),
    type: q.right === 'C' ? 'call' : 'put',
    last: (q.last ?? 0).toFixed(2),
    mark: q.mark.toFixed(2),
    bid: q.bid.toFixed(2),
    bid_size: String(bidSize),
    ask: q.ask.toFixed(2),
    ask_size: String(askSize),
    volume: String(q.volume),
    open_interest: String(q.openInterest),
    date: q.date,
    implied_volatility: q.iv.toFixed(5),
    delta: q.delta.toFixed(5),
    gamma: q.gamma.toFixed(5),
    theta: q.theta.toFixed(5),
    vega: q.vega.toFixed(5),
    rho: q.rho.toFixed(5),
  };
}

/**
 * Quote sizes (contracts) are not part of the shared generator; they are derived from the contract
 * and date so every run shows the same, 1–250, and 0 on a side without a quote.
 */
function quoteSizes(q: SandboxOptionQuote): [number, number] {
  const h = stableHex(`av:sizes:${q.contract}:${q.date}`, 8);
  const bid = q.bid > 0 ? (parseInt(h.slice(0, 4), 16) % 250) + 1 : 0;
  const ask = q.ask > 0 ? (parseInt(h.slice(4, 8), 16) % 250) + 1 : 0;
  return [bid, ask];
}
