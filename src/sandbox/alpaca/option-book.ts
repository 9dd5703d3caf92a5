import { nyInstant, previousSession, sessionOf } from '../../calendar/index.js';
import { isIsoDate } from '../shared/dates.js';
import {
  createRng,
  optionChain,
  optionContracts,
  optionUnderlyings,
  sliceBar,
  type Market,
  type SandboxBar,
  type SandboxOptionContract,
  type SandboxOptionQuote,
} from '../market/index.js';

/** OCC symbol without padding or prefix: root, yymmdd, C/P, strike × 1000 on 8 digits. */
const OCC_RE = /^([A-Z0-9]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

export function isValidOptionSymbol(symbol: string): boolean {
  const match = OCC_RE.exec(symbol);
  return match !== null && isIsoDate(`20${match[2] as string}-${match[3] as string}-${match[4] as string}`);
}

const cents = (x: number): number => Math.round(x * 100) / 100;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The option market as one request sees it, chains cached by (underlying, date) for the request's
 * life only (a bar walk asks for the same chain once per contract otherwise).
 *
 * Option bars are derived from the generator's end-of-day chain, deterministically per seed:
 * a contract has a daily bar only on sessions it traded (volume > 0); close = the chain's last
 * trade, open = the previous session's model price (the day's mid on its first session), high and
 * low a little beyond them, volume = the chain's volume, VWAP inside [low, high]. Hourly bars cut
 * that daily bar over the hours it traded (09:00 … 15:00 New York, 09:00 … 12:00 on an early
 * close) with the same rules as minute bars: they open at its open, close at its close, reach its
 * high and low, and their volumes sum to its volume.
 */
export class OptionBook {
  private readonly chains = new Map<string, Map<string, SandboxOptionQuote>>();
  private readonly roots: Map<string, string>;

  constructor(readonly market: Market) {
    this.roots = new Map(optionUnderlyings(market).map((u) => [u.replace(/[^A-Z0-9]/g, ''), u]));
  }

  /** The listed contract an OCC symbol names, or undefined when the market never listed it. */
  contract(symbol: string): SandboxOptionContract | undefined {
    const match = OCC_RE.exec(symbol);
    const underlying = match ? this.roots.get(match[1] as string) : undefined;
    if (!match || !underlying) return undefined;
    const expiration = `20${match[2] as string}-${match[3] as string}-${match[4] as string}`;
    if (!isIsoDate(expiration) || expiration < this.market.start) return undefined;
    return optionContracts(this.market, underlying, expiration).find((c) => c.contract === symbol);
  }

  /** The end-of-day chain of an underlying on a session, keyed by contract symbol. */
  chain(underlying: string, date: string): Map<string, SandboxOptionQuote> {
    const key = `${underlying}|${date}`;
    let chain = this.chains.get(key);
    if (!chain) {
      chain = new Map(optionChain(this.market, underlying, date).map((q) => [q.contract, q]));
      this.chains.set(key, chain);
    }
    return chain;
  }

  quote(c: SandboxOptionContract, date: string): SandboxOptionQuote | undefined {
    return date < c.listDate || date > c.expiration ? undefined : this.chain(c.underlying, date).get(c.contract);
  }

  /** The session before `date` on which the contract was listed, if any. */
  previousQuote(c: SandboxOptionContract, date: string): SandboxOptionQuote | undefined {
    const prev = previousSession(date);
    return prev < this.market.start ? undefined : this.quote(c, prev);
  }

  /** The contract's daily bar on a session, or undefined when it did not trade. */
  dailyBar(c: SandboxOptionContract, date: string): SandboxBar | undefined {
    const q = this.quote(c, date);
    if (!q || q.volume === 0 || q.last === null) return undefined;
    const rng = createRng(this.market.seed, `option-bar:${c.contract}:${date}`);
    const prev = this.previousQuote(c, date);
    const open = Math.max(0.01, cents(prev ? prev.mark : (q.bid + q.ask) / 2));
    const close = q.last;
    const high = Math.max(open, close, cents(Math.max(open, close) * (1 + 0.08 * Math.abs(rng.normal()))));
    const low = Math.min(open, close, Math.max(0.01, cents(Math.min(open, close) * (1 - 0.08 * Math.abs(rng.normal())))));
    const trades = Math.max(1, Math.min(q.volume, Math.round(q.volume / rng.uniform(2, 8))));
    return { open, high, low, close, volume: q.volume, vwap: round6(low + (high - low) * rng.uniform(0.3, 0.7)), trades };
  }

  /** The contract's hourly bars on a session (bar start epoch ms), oldest first. */
  hourlyBars(c: SandboxOptionContract, date: string): Array<{ ms: number; bar: SandboxBar }> {
    const daily = this.dailyBar(c, date);
    const session = sessionOf(date);
    if (!daily || !session) return [];
    const rng = createRng(this.market.seed, `option-hours:${c.contract}:${date}`);
    const hours = Array.from({ length: session.earlyClose ? 4 : 7 }, (_, i) => 9 + i);
    const traded = rng.shuffle(hours).slice(0, Math.min(hours.length, daily.volume)).sort((a, b) => a - b);
    const slices = sliceBar(daily, traded.map(() => Math.exp(0.8 * rng.normal())), rng);
    return slices.map((bar, i) => ({ ms: nyInstant(date, `${String(traded[i]).padStart(2, '0')}:00`), bar }));
  }
}
