import { sessionOf } from '../../calendar/index.js';
import { createRng, type SandboxExchange, type SandboxSymbol } from '../market/index.js';
import { stableHex, stableUuid } from '../shared/ids.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { badParameter, cents, round4, type FinnhubContext } from './context.js';

interface WireSymbol {
  currency: string;
  description: string;
  displaySymbol: string;
  figi: string;
  isin: null;
  mic: string;
  shareClassFIGI: string;
  symbol: string;
  symbol2: string;
  type: string;
}

const FIGI_CHARS = 'BCDFGHJKLMNPQRSTVWXYZ0123456789';

/** Same derivation as the Polygon emulator's, so one symbol carries one FIGI across vendors. */
function figi(label: string): string {
  const h = stableHex(label, 18);
  let out = 'BBG';
  for (let i = 0; i < 9; i++) out += FIGI_CHARS[parseInt(h.slice(i * 2, i * 2 + 2), 16) % FIGI_CHARS.length];
  return out;
}

/** Listed on `today`: Finnhub's symbol master holds no delisted (nor not-yet-listed) symbols. */
function listedOn(s: SandboxSymbol, today: string): boolean {
  return s.listDate <= today && (s.delistDate === null || s.delistDate > today);
}

function wireSymbol(s: SandboxSymbol): WireSymbol {
  return {
    currency: 'USD',
    description: s.name.toUpperCase(),
    displaySymbol: s.symbol,
    figi: figi(`composite:${s.symbol}`),
    // Empty unless the key is entitled to ISINs; free keys are not.
    isin: null,
    mic: s.exchange,
    shareClassFIGI: figi(`share-class:${s.symbol}`),
    symbol: s.symbol,
    symbol2: '',
    type: s.type === 'ETF' ? 'ETP' : 'Common Stock',
  };
}

/** `GET /stock/symbol?exchange=US[&mic=][&securityType=][&currency=]` — one array, sorted by symbol. */
export function symbolList(query: URLSearchParams, ctx: FinnhubContext): EmulatorResponse {
  const exchange = query.get('exchange');
  if (!exchange) return badParameter('exchange');
  // The sandbox lists US venues only; any other exchange code is a market it has no symbols for.
  if (exchange.toUpperCase() !== 'US') return jsonResponse(200, []);
  const mic = query.get('mic');
  const securityType = query.get('securityType');
  const currency = query.get('currency');
  const rows = ctx.market.symbols
    .filter((s) => listedOn(s, ctx.today))
    .map(wireSymbol)
    .filter((r) => (mic === null || r.mic === mic) && (securityType === null || r.type === securityType) && (currency === null || r.currency === currency));
  return jsonResponse(200, rows);
}

const EXCHANGE_NAMES: Record<SandboxExchange, string> = {
  XNYS: 'NEW YORK STOCK EXCHANGE, INC.',
  XNAS: 'NASDAQ NMS - GLOBAL MARKET',
  ARCX: 'NYSE ARCA',
};

const INDUSTRIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/Technologies|Systems|Networks/, 'Technology'],
  [/Semiconductor/, 'Semiconductors'],
  [/Pharmaceuticals|Therapeutics/, 'Pharmaceuticals'],
  [/Energy/, 'Energy'],
  [/Financial|Bancorp/, 'Banking'],
  [/Realty/, 'Real Estate'],
  [/Logistics/, 'Logistics & Transportation'],
  [/Foods|Brands/, 'Consumer products'],
  [/Materials/, 'Chemicals'],
];

/** The split ratio (new per old) of every split that has gone ex by `today`. */
function splitsSoFar(ctx: FinnhubContext, symbol: string): number {
  return ctx.market.splitsOf(symbol).filter((s) => s.exDate <= ctx.today).reduce((r, s) => (r * s.newShares) / s.oldShares, 1);
}

/**
 * `GET /stock/profile2?symbol=` — common stocks listed today; funds, delisted and unknown symbols
 * answer `{}` as Finnhub does for symbols it does not cover. `marketCapitalization` and
 * `shareOutstanding` are in millions, current values only.
 */
export function profile2(query: URLSearchParams, ctx: FinnhubContext): EmulatorResponse {
  const symbol = query.get('symbol');
  if (symbol === null) return badParameter('symbol');
  const s = ctx.market.symbol(symbol);
  const lastBar = ctx.market.barsOf(symbol).filter((b) => b.date <= ctx.lastCompleted).at(-1);
  if (!s || s.type !== 'CS' || !listedOn(s, ctx.today) || !lastBar) return jsonResponse(200, {});
  const rng = createRng(ctx.market.seed, `finnhub-profile:${symbol}`);
  const shares = round4(rng.logUniform(20, 5_000) * splitsSoFar(ctx, symbol));
  const slug = s.name.toLowerCase().replace(/ (inc|corp|co|group inc|ltd)\.$/, '').replace(/[^a-z0-9]+/g, '');
  return jsonResponse(200, {
    country: 'US',
    currency: 'USD',
    exchange: EXCHANGE_NAMES[s.exchange],
    ipo: s.listDate,
    marketCapitalization: round4(shares * lastBar.bar.close),
    name: s.name,
    phone: String(rng.int(2_000_000_000, 9_899_999_999)),
    shareOutstanding: shares,
    ticker: s.symbol,
    weburl: `https://www.${slug}.com/`,
    logo: `https://static.finnhub.io/logo/${stableUuid(`finnhub-logo:${symbol}`)}.png`,
    finnhubIndustry: INDUSTRIES.find(([re]) => re.test(s.name))?.[1] ?? 'Industrial Conglomerates',
  });
}

/**
 * `GET /quote?symbol=` — the last completed session's raw bar against the one before; `t` is that
 * session's close (unix seconds). Unknown or not-trading symbols answer all zeros.
 */
export function quote(query: URLSearchParams, ctx: FinnhubContext): EmulatorResponse {
  const symbol = query.get('symbol');
  if (symbol === null) return badParameter('symbol');
  const bars = ctx.market.barsOf(symbol).filter((b) => b.date <= ctx.lastCompleted);
  const last = bars.at(-1);
  const zeros = { c: 0, d: 0, dp: 0, h: 0, l: 0, o: 0, pc: 0, t: 0 };
  if (!last || last.date !== ctx.lastCompleted) return jsonResponse(200, zeros);
  // A split going ex that day restates the previous close in the new share terms.
  const exToday = ctx.market.splitsOf(symbol).find((x) => x.exDate === last.date);
  const prevClose = bars.at(-2)?.bar.close ?? last.bar.open;
  const pc = exToday ? round4((prevClose * exToday.oldShares) / exToday.newShares) : prevClose;
  const { close: c, high: h, low: l, open: o } = last.bar;
  const t = Math.floor((sessionOf(last.date)?.closeMs ?? 0) / 1000);
  return jsonResponse(200, { c, d: cents(c - pc), dp: round4(((c - pc) / pc) * 100), h, l, o, pc, t });
}
