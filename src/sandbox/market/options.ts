import { blackScholes } from './black-scholes.js';
import { expiryCyclesBetween, expiryCyclesOpenOn, type ExpiryCycle } from './option-expirations.js';
import { createRng } from './random.js';
import type { Market, SandboxBar } from './types.js';

/**
 * A deterministic listed-options market over the sandbox's equities (a pure function of the
 * market's seed), for the option endpoints of the vendor emulators.
 *
 * - Underlyings: ~20 % of the symbols that are never delisted in the window (at least 3), always
 *   including the highest-priced by their last close.
 * - Expirations: every week's Friday (the session before when Friday is a holiday, as a rule the
 *   Thursday); the third-Friday ones are monthlies. A monthly lists 60 sessions before it expires, a
 *   weekly the session after the expiration four weeks earlier, so a chain holds the next four
 *   weekly-cycle expirations plus the monthlies of the next ~90 days.
 * - Strikes: fixed on the listing date, multiples of 0.5 (< $5), 1 (< $50), 2.5 (< $200) or 5
 *   within ±20 % of that day's close (the first close of the window for a listing before it). No
 *   contract lists before the underlying does.
 * - Prices: Black-Scholes, r = 4 %, q = 0, T = calendar days / 365 (a quarter day on the
 *   expiration date itself), IV = a per-underlying base vol (18–65 %) moved a little each day, times
 *   a smile in standardised moneyness. Bid and ask are rounded outward to the cent around the model
 *   price, so the model price always lies within [bid, ask].
 * - Greeks from the same model: theta per calendar day, vega per 1 vol point, rho per 1 % of rate.
 * - Splits: contracts straddling a split keep their original symbol, strike and terms; their
 *   deliverable becomes `sharesPerContract` = 100 × the split ratio since listing, and they are
 *   priced on the close × that ratio (the underlying in pre-split terms). Contracts listed after the
 *   ex-date are centred on the new price. OCC's re-symbolled adjustments are not modelled.
 */
export interface SandboxOptionContract {
  /** OCC symbol without prefix or padding: root, yymmdd, C/P, strike × 1000 on 8 digits (AAPL240419P00140000). */
  contract: string;
  underlying: string;
  expiration: string;
  strike: number;
  right: 'C' | 'P';
  listDate: string;
}

export interface SandboxOptionQuote extends SandboxOptionContract {
  date: string;
  /** The underlying's raw close on `date`. */
  underlyingPrice: number;
  bid: number;
  ask: number;
  /** Last trade of the day; null when it did not trade (volume 0). */
  last: number | null;
  volume: number;
  openInterest: number;
  /** Fraction (0.25 = 25 %). */
  iv: number;
  delta: number;
  gamma: number;
  /** Per calendar day. */
  theta: number;
  /** Per 1 volatility point. */
  vega: number;
  /** Per 1 percentage point of the rate. */
  rho: number;
  /** The model (theoretical) price the bid and ask surround. */
  mark: number;
  /** 100, or 100 × the split ratio for a contract listed before a split. */
  sharesPerContract: number;
}

export const OPTION_RATE = 0.04;
const UNDERLYING_SHARE = 0.2;

interface OptionsBook {
  underlyings: string[];
  contracts: Map<string, SandboxOptionContract[]>;
}

const books = new WeakMap<Market, OptionsBook>();

function bookOf(market: Market): OptionsBook {
  let book = books.get(market);
  if (!book) {
    book = { underlyings: pickUnderlyings(market), contracts: new Map() };
    books.set(market, book);
  }
  return book;
}

/**
 * Like the real market, the most traded names all have listed options (half of the optionable set:
 * the top by recent dollar volume), and a seeded random draw of the others does too.
 */
function pickUnderlyings(market: Market): string[] {
  const dollarVolume = (symbol: string): number => {
    const recent = market.barsOf(symbol).slice(-20);
    return recent.reduce((sum, { bar }) => sum + bar.close * bar.volume, 0) / Math.max(1, recent.length);
  };
  const candidates = market.symbols.filter((s) => s.delistDate === null && market.barsOf(s.symbol).length > 0).map((s) => s.symbol);
  const count = Math.min(candidates.length, Math.max(3, Math.round(market.symbols.length * UNDERLYING_SHARE)));
  const byDollarVolume = [...candidates].sort((a, b) => dollarVolume(b) - dollarVolume(a) || (a < b ? -1 : 1));
  const top = byDollarVolume.slice(0, Math.max(1, Math.round(count / 2)));
  const rest = createRng(market.seed, 'option-underlyings').shuffle(candidates.filter((s) => !top.includes(s)));
  return [...top, ...rest.slice(0, count - top.length)].sort();
}

/** The symbols with listed options, sorted. */
export function optionUnderlyings(market: Market): string[] {
  return [...bookOf(market).underlyings];
}

function strikeIncrement(price: number): number {
  return price < 5 ? 0.5 : price < 50 ? 1 : price < 200 ? 2.5 : 5;
}

function strikesAround(price: number): number[] {
  const step = strikeIncrement(price);
  const lo = Math.max(1, Math.ceil((price * 0.8) / step - 1e-9));
  const hi = Math.floor((price * 1.2) / step + 1e-9);
  const ks = hi >= lo ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : [Math.max(1, Math.round(price / step))];
  return ks.map((k) => Math.round(k * step * 1000) / 1000);
}

export function occSymbol(underlying: string, expiration: string, right: 'C' | 'P', strike: number): string {
  const root = underlying.replace(/[^A-Z0-9]/g, '');
  const yymmdd = expiration.slice(2, 4) + expiration.slice(5, 7) + expiration.slice(8, 10);
  return `${root}${yymmdd}${right}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

/** The close the strikes of a listing centre on, or undefined when the underlying cannot list then. */
function listingPrice(market: Market, underlying: string, listDate: string): number | undefined {
  const info = market.symbol(underlying);
  const bars = market.barsOf(underlying);
  const first = bars[0];
  if (!info || !first || listDate < info.listDate || listDate > market.end) return undefined;
  if (listDate < first.date) return first.bar.close;
  return market.bar(underlying, listDate)?.close;
}

function contractsOfCycle(market: Market, underlying: string, cycle: ExpiryCycle): SandboxOptionContract[] {
  const book = bookOf(market);
  const key = `${underlying}|${cycle.expiration}`;
  const cached = book.contracts.get(key);
  if (cached) return cached;
  const price = listingPrice(market, underlying, cycle.listDate);
  const out: SandboxOptionContract[] = [];
  if (price !== undefined && book.underlyings.includes(underlying)) {
    for (const strike of strikesAround(price)) {
      for (const right of ['C', 'P'] as const) {
        out.push({ contract: occSymbol(underlying, cycle.expiration, right, strike), underlying, expiration: cycle.expiration, strike, right, listDate: cycle.listDate });
      }
    }
  }
  book.contracts.set(key, out);
  return out;
}

/**
 * Contracts listed on `asOf` and not yet expired (expiring on or after it); with `expired`, those
 * that expired on or before `asOf` and traded inside the market window instead. Sorted by
 * expiration, strike, then call before put.
 */
export function optionContracts(market: Market, underlying: string, asOf: string, options: { expired?: boolean } = {}): SandboxOptionContract[] {
  if (!bookOf(market).underlyings.includes(underlying)) return [];
  const cycles = options.expired
    ? asOf < market.start ? [] : expiryCyclesBetween(market.start, asOf)
    : expiryCyclesOpenOn(asOf);
  return cycles.flatMap((c) => contractsOfCycle(market, underlying, c));
}

/** End-of-day chain of one underlying on a session: every contract listed and unexpired that day. */
export function optionChain(market: Market, underlying: string, date: string): SandboxOptionQuote[] {
  const bar = market.bar(underlying, date);
  if (!bar) return [];
  const dayVol = underlyingVol(market, underlying, date);
  const activity = createRng(market.seed, `option-activity:${underlying}`).logUniform(100, 20_000);
  return optionContracts(market, underlying, date).map((c) => quoteOf(market, c, date, bar, dayVol, activity));
}

/** The underlying's base vol (per seed) moved by a small daily shock, shared by its whole chain. */
function underlyingVol(market: Market, underlying: string, date: string): number {
  const base = createRng(market.seed, `option-vol:${underlying}`).uniform(0.18, 0.65);
  return base * Math.exp(0.06 * createRng(market.seed, `option-vol:${underlying}:${date}`).normal());
}

/** new shares per old share over the splits that went ex after `listDate`, up to `date`. */
function splitRatioSince(market: Market, underlying: string, listDate: string, date: string): number {
  return market
    .splitsOf(underlying)
    .filter((s) => s.exDate > listDate && s.exDate <= date)
    .reduce((ratio, s) => ratio * (s.newShares / s.oldShares), 1);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const cents = (x: number): number => Math.round(x * 100) / 100;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function quoteOf(market: Market, c: SandboxOptionContract, date: string, bar: SandboxBar, dayVol: number, activity: number): SandboxOptionQuote {
  const ratio = splitRatioSince(market, c.underlying, c.listDate, date);
  const spot = bar.close * ratio;
  const years = Math.max(daysBetween(date, c.expiration), 0.25) / 365;
  // Standardised moneyness: how many standard deviations the strike sits from the spot.
  const z = Math.max(-4, Math.min(4, Math.log(c.strike / spot) / (dayVol * Math.sqrt(years))));
  const iv = dayVol * (1 - 0.08 * z + 0.025 * z * z);
  const model = blackScholes({ right: c.right, spot, strike: c.strike, years, vol: iv, rate: OPTION_RATE });
  const halfSpread = (0.04 + 0.02 * model.price) / 2;
  const bid = Math.max(0, Math.floor((model.price - halfSpread) * 100) / 100);
  const ask = Math.max(bid + 0.01, Math.ceil((model.price + halfSpread) * 100) / 100);
  const rng = createRng(market.seed, `option:${c.contract}:${date}`);
  const liquidity = activity * Math.exp(-0.35 * z * z) * (30 / (30 + daysBetween(date, c.expiration)));
  const volume = Math.max(0, Math.floor(liquidity * Math.exp(0.6 * rng.normal()) - 0.5));
  const last = volume > 0 ? Math.max(0.01, cents(bid + rng.next() * (ask - bid))) : null;
  const scale = createRng(market.seed, `option:${c.contract}`).uniform(0.5, 1.5);
  const age = Math.max(0, daysBetween(c.listDate, date));
  const openInterest = Math.round(activity * 0.6 * scale * Math.exp(-0.25 * z * z) * Math.min(1, (age + 1) / 20));
  return {
    ...c,
    date,
    underlyingPrice: bar.close,
    bid: cents(bid),
    ask: cents(ask),
    last,
    volume,
    openInterest,
    iv: round6(iv),
    delta: round6(model.delta),
    gamma: round6(model.gamma),
    theta: round6(model.theta),
    vega: round6(model.vega),
    rho: round6(model.rho),
    mark: round6(model.price),
    sharesPerContract: Math.round(100 * ratio * 1e6) / 1e6,
  };
}

