import { CALENDAR_START, addDays, isSession, nextSession } from '../../calendar/index.js';
import { createRng, type Rng } from './random.js';
import type { SandboxAssetType, SandboxExchange, SandboxSymbol } from './types.js';

const LETTERS = 'ABCDEFGHIJKLMNOPRSTUVWXYZ';
const VOWELS = 'AEIOU';
const NAME_HEADS = [
  'Apex', 'Blue Ridge', 'Cedar', 'Delta', 'Evergreen', 'Falcon', 'Granite', 'Harbor', 'Iron Gate', 'Juniper',
  'Keystone', 'Lakeshore', 'Meridian', 'Northwind', 'Oakmont', 'Pinnacle', 'Quarry', 'Redwood', 'Summit', 'Tidewater',
  'Union', 'Vanguard Hill', 'Westfield', 'Yellowstone', 'Zenith', 'Atlas', 'Beacon', 'Crescent', 'Frontier', 'Horizon',
];
const NAME_TAILS = [
  'Holdings', 'Technologies', 'Pharmaceuticals', 'Energy', 'Financial', 'Industries', 'Systems', 'Brands',
  'Therapeutics', 'Bancorp', 'Semiconductor', 'Logistics', 'Realty', 'Materials', 'Networks', 'Foods',
];
const NAME_FORMS = ['Inc.', 'Corp.', 'Co.', 'Group Inc.', 'Ltd.'];
const ETF_SPONSORS = ['Summit', 'Beacon', 'Harbor', 'Atlas', 'Meridian', 'Northwind'];
const ETF_THEMES = [
  'Total Market', 'Large Cap Value', 'Small Cap Growth', 'Dividend Income', 'Treasury Bond', 'Semiconductor',
  'Clean Energy', 'Emerging Markets', 'Real Estate', 'Gold Trust', 'Short-Term Corporate', 'Momentum Factor',
];

/** Earliest list date the calendar can answer questions about. */
const FIRST_SESSION = '2000-01-03';

export interface ListingPlan {
  /** Index into the sessions of the first bar (0 when listed before start). */
  firstIndex: number;
  /** Index one past the last bar (sessions.length while still listed). */
  endIndex: number;
  ipo: boolean;
  delisted: boolean;
}

export interface UniverseMember {
  info: SandboxSymbol;
  listing: ListingPlan;
}

/** Symbols with names, venues, types and listing windows, sorted by ticker. */
export function createUniverse(seed: number, count: number, sessions: readonly string[]): UniverseMember[] {
  const rng = createRng(seed, 'universe');
  const tickers = uniqueTickers(rng, count);
  const windows = planListings(createRng(seed, 'listings'), count, sessions);
  const members = tickers.map((ticker, i) => {
    const type: SandboxAssetType = rng.chance(0.15) ? 'ETF' : 'CS';
    const listing = windows[i] as ListingPlan;
    const info: SandboxSymbol = {
      symbol: ticker,
      name: nameFor(rng, ticker, type),
      exchange: exchangeFor(rng, type),
      type,
      listDate: listing.ipo ? (sessions[listing.firstIndex] as string) : preWindowListDate(rng, sessions[0] as string),
      delistDate: listing.delisted ? (sessions[listing.endIndex] as string) : null,
    };
    return { info, listing };
  });
  return members.sort((a, b) => (a.info.symbol < b.info.symbol ? -1 : 1));
}

function uniqueTickers(rng: Rng, count: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const ticker = rng.chance(0.03) ? classShare(rng) : plainTicker(rng);
    if (seen.has(ticker)) continue;
    seen.add(ticker);
    out.push(ticker);
  }
  return out;
}

/** Lengths weighted like the US listing universe: mostly 3–4 letters, few 1-letter names. */
function plainTicker(rng: Rng): string {
  const roll = rng.next();
  const length = roll < 0.02 ? 1 : roll < 0.1 ? 2 : roll < 0.45 ? 3 : roll < 0.93 ? 4 : 5;
  let ticker = '';
  for (let i = 0; i < length; i++) {
    // Alternate in a vowel now and then so tickers read like names rather than noise.
    ticker += i > 0 && rng.chance(0.3) ? rng.pick([...VOWELS]) : rng.pick([...LETTERS]);
  }
  return ticker;
}

/** `BRK.B`-style: a 2–3 letter root, a dot, one class letter. */
function classShare(rng: Rng): string {
  let root = '';
  for (let i = rng.int(2, 3); i > 0; i--) root += rng.pick([...LETTERS]);
  return `${root}.${rng.pick(['A', 'B', 'B', 'C'])}`;
}

function nameFor(rng: Rng, ticker: string, type: SandboxAssetType): string {
  if (type === 'ETF') return `${rng.pick(ETF_SPONSORS)} ${rng.pick(ETF_THEMES)} ETF`;
  const base = `${rng.pick(NAME_HEADS)} ${rng.pick(NAME_TAILS)} ${rng.pick(NAME_FORMS)}`;
  const dot = ticker.indexOf('.');
  return dot === -1 ? base : `${base} Class ${ticker.slice(dot + 1)}`;
}

function exchangeFor(rng: Rng, type: SandboxAssetType): SandboxExchange {
  if (type === 'ETF') return rng.chance(0.8) ? 'ARCX' : 'XNAS';
  return rng.chance(0.45) ? 'XNYS' : 'XNAS';
}

/** A session between ~25 years and a month before the window. */
function preWindowListDate(rng: Rng, firstSession: string): string {
  let date = addDays(firstSession, -rng.int(30, 9000));
  if (date < FIRST_SESSION) date = FIRST_SESSION;
  if (date < CALENDAR_START || !isSession(date)) date = nextSession(date);
  return date < firstSession ? date : firstSession;
}

/**
 * ~4 % IPOs and ~3 % delistings inside the window (at least one of each from 20 symbols on), the rest
 * listed throughout. Windows too short to hold an IPO or a delisting get none.
 */
function planListings(rng: Rng, count: number, sessions: readonly string[]): ListingPlan[] {
  const n = sessions.length;
  const plans: ListingPlan[] = Array.from({ length: count }, () => ({ firstIndex: 0, endIndex: n, ipo: false, delisted: false }));
  if (n < 20) return plans;
  const ipos = Math.max(count >= 20 ? 1 : 0, Math.round(count * 0.04));
  const delists = Math.max(count >= 20 ? 1 : 0, Math.round(count * 0.03));
  const order = rng.shuffle(plans.map((_, i) => i));
  const lo = Math.floor(n * 0.1);
  const hi = Math.floor(n * 0.9);
  for (const i of order.slice(0, ipos)) Object.assign(plans[i] as ListingPlan, { ipo: true, firstIndex: rng.int(lo, hi) });
  for (const i of order.slice(ipos, ipos + delists)) Object.assign(plans[i] as ListingPlan, { delisted: true, endIndex: rng.int(lo, hi) });
  return plans;
}
