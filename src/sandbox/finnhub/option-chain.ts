import { previousSession, sessionOf } from '../../calendar/index.js';
import { createRng, expiryPeriodOf, optionChain, type SandboxOptionQuote } from '../market/index.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { badParameter, cents, round4, type FinnhubContext } from './context.js';

/**
 * Units of the chain's `impliedVolatility` and `changePercent`, which Finnhub swapped silently:
 * 2020 captures carry IV in percent and changePercent as a fraction, 2025 captures the reverse.
 */
export type OptionChainUnits = 2020 | 2025;

interface WireContract {
  contractName: string;
  contractSize: string;
  contractPeriod: string;
  currency: string;
  type: 'CALL' | 'PUT';
  inTheMoney: 'TRUE' | 'FALSE';
  lastTradeDateTime: string;
  expirationDate: string;
  strike: number;
  lastPrice: number;
  bid: number;
  ask: number;
  change: number;
  changePercent: number;
  volume: number;
  openInterest: number;
  impliedVolatility: number;
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  rho: number;
  theoretical: number;
  intrinsicValue: number;
  timeValue: number;
  updatedAt: string;
  daysBeforeExpiration: number;
}

interface WireExpiry {
  expirationDate: string;
  impliedVolatility: number;
  putVolume: number;
  callVolume: number;
  putCallVolumeRatio: number;
  putOpenInterest: number;
  callOpenInterest: number;
  putCallOpenInterestRatio: number;
  optionsCount: number;
  options: { CALL: WireContract[]; PUT: WireContract[] };
}

function calendarDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A deterministic trade time inside the session, `YYYY-MM-DD HH:MM:SS` New York. */
function tradeTime(seed: number, q: SandboxOptionQuote, closeHour: number): string {
  const rng = createRng(seed, `finnhub-trade-time:${q.contract}:${q.date}`);
  const seconds = rng.int(9 * 3600 + 30 * 60, closeHour * 3600 - 1);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${q.date} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

function wireContract(q: SandboxOptionQuote, prevMark: number | undefined, units: OptionChainUnits, ctx: FinnhubContext, closeHour: number): WireContract {
  // A contract listed before a split is priced on the underlying in its original share terms.
  const spot = (q.underlyingPrice * q.sharesPerContract) / 100;
  const intrinsic = cents(Math.max(0, q.right === 'C' ? spot - q.strike : q.strike - spot));
  const theoretical = cents(q.mark);
  const change = q.last !== null && prevMark !== undefined ? cents(q.last - prevMark) : 0;
  const changeFraction = prevMark !== undefined && prevMark > 0 ? change / prevMark : 0;
  return {
    contractName: q.contract,
    contractSize: 'REGULAR',
    contractPeriod: expiryPeriodOf(q.expiration),
    currency: 'USD',
    type: q.right === 'C' ? 'CALL' : 'PUT',
    inTheMoney: intrinsic > 0 ? 'TRUE' : 'FALSE',
    lastTradeDateTime: q.last === null ? '' : tradeTime(ctx.market.seed, q, closeHour),
    expirationDate: q.expiration,
    strike: q.strike,
    lastPrice: q.last ?? 0,
    bid: q.bid,
    ask: q.ask,
    change,
    changePercent: round4(units === 2020 ? changeFraction : changeFraction * 100),
    volume: q.volume,
    openInterest: q.openInterest,
    impliedVolatility: round4(units === 2020 ? q.iv * 100 : q.iv),
    delta: round4(q.delta),
    gamma: round4(q.gamma),
    theta: round4(q.theta),
    vega: round4(q.vega),
    rho: round4(q.rho),
    theoretical,
    intrinsicValue: intrinsic,
    timeValue: cents(theoretical - intrinsic),
    updatedAt: `${q.date} ${String(closeHour).padStart(2, '0')}:00:00`,
    daysBeforeExpiration: calendarDays(q.date, q.expiration),
  };
}

function expiryGroup(expirationDate: string, calls: WireContract[], puts: WireContract[]): WireExpiry {
  const sum = (rows: WireContract[], pick: (c: WireContract) => number): number => rows.reduce((s, c) => s + pick(c), 0);
  const all = [...calls, ...puts];
  const callVolume = sum(calls, (c) => c.volume);
  const putVolume = sum(puts, (c) => c.volume);
  const callOpenInterest = sum(calls, (c) => c.openInterest);
  const putOpenInterest = sum(puts, (c) => c.openInterest);
  return {
    expirationDate,
    impliedVolatility: round4(sum(all, (c) => c.impliedVolatility) / Math.max(1, all.length)),
    putVolume,
    callVolume,
    putCallVolumeRatio: callVolume > 0 ? round4(putVolume / callVolume) : 0,
    putOpenInterest,
    callOpenInterest,
    putCallOpenInterestRatio: callOpenInterest > 0 ? round4(putOpenInterest / callOpenInterest) : 0,
    optionsCount: all.length,
    options: { CALL: calls, PUT: puts },
  };
}

/**
 * `GET /stock/option-chain?symbol=` — the whole chain (every listed expiry) as of the close of the
 * last completed session; no history. A symbol without options (or unknown) answers `{}`.
 */
export function optionChainSnapshot(query: URLSearchParams, ctx: FinnhubContext, units: OptionChainUnits): EmulatorResponse {
  const symbol = query.get('symbol');
  if (!symbol) return badParameter('symbol');
  const date = ctx.lastCompleted;
  const bar = ctx.market.bar(symbol, date);
  const quotes = bar ? optionChain(ctx.market, symbol, date) : [];
  if (!bar || quotes.length === 0) return jsonResponse(200, {});
  const previous = previousSession(date);
  const prevMarks = new Map(optionChain(ctx.market, symbol, previous).map((q) => [q.contract, q.mark]));
  const closeHour = sessionOf(date)?.earlyClose ? 13 : 16;
  const groups = new Map<string, { calls: WireContract[]; puts: WireContract[] }>();
  for (const q of quotes) {
    const group = groups.get(q.expiration) ?? { calls: [], puts: [] };
    groups.set(q.expiration, group);
    (q.right === 'C' ? group.calls : group.puts).push(wireContract(q, prevMarks.get(q.contract), units, ctx, closeHour));
  }
  const data = [...groups.entries()].map(([expiration, g]) => expiryGroup(expiration, g.calls, g.puts));
  return jsonResponse(200, { code: symbol, exchange: 'US', lastTradeDate: date, lastTradePrice: bar.close, data });
}
