import { addDays } from '../../calendar/index.js';
import type { SandboxSymbol } from '../market/index.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { cikOf } from './company.js';
import { companyFacts, type CompanyFacts } from './company-facts.js';
import { EXCHANGE, isActive, requiredParam, round2, roundTo, symbolRefusal, type FmpContext } from './context.js';

/** The price part of a profile: a snapshot at the last completed session (not point-in-time). */
interface Snapshot {
  price: number;
  marketCap: number;
  lastDividend: number;
  range: string;
  change: number;
  changePercentage: number;
  volume: number;
  averageVolume: number;
}

function snapshot(ctx: FmpContext, symbol: string): Snapshot | undefined {
  const bars = ctx.market.barsOf(symbol).filter((b) => b.date <= ctx.lastCompleted);
  const last = bars[bars.length - 1];
  if (!last) return undefined;
  const prev = bars[bars.length - 2] ?? last;
  const yearAgo = addDays(last.date, -365);
  const year = bars.filter((b) => b.date > yearAgo);
  const recent = bars.slice(-63);
  const change = round2(last.bar.close - prev.bar.close);
  const dividends = ctx.market.dividendsOf(symbol).filter((d) => d.exDate > yearAgo && d.exDate <= last.date);
  return {
    price: last.bar.close,
    marketCap: Math.round(last.bar.close * (ctx.fundamentals.sharesOutstanding(symbol, last.date) ?? 0)),
    lastDividend: round2(dividends.reduce((total, d) => total + d.cash, 0)),
    range: `${Math.min(...year.map((b) => b.bar.low))}-${Math.max(...year.map((b) => b.bar.high))}`,
    change,
    changePercentage: roundTo((change / prev.bar.close) * 100, 5),
    volume: last.bar.volume,
    averageVolume: Math.round(recent.reduce((total, b) => total + b.bar.volume, 0) / recent.length),
  };
}

interface Subject {
  info: SandboxSymbol;
  snap: Snapshot;
  facts: CompanyFacts;
}

/** The symbol's profile inputs, a refusal, or undefined for a symbol FMP has nothing on (yet). */
function subjectOf(ctx: FmpContext, symbol: string): Subject | EmulatorResponse | undefined {
  const refusal = symbolRefusal(ctx, symbol, ctx.plan.profileAnySymbol);
  if (refusal) return refusal;
  const info = ctx.market.symbol(symbol);
  const snap = info && info.listDate <= ctx.today ? snapshot(ctx, symbol) : undefined;
  return info && snap ? { info, snap, facts: companyFacts(ctx.market.seed, info) } : undefined;
}

/** `GET /stable/profile?symbol=`: one object in an array, or `[]`. */
export function profile(query: URLSearchParams, ctx: FmpContext): EmulatorResponse {
  const symbol = requiredParam(query, 'symbol');
  if (typeof symbol !== 'string') return symbol;
  const subject = subjectOf(ctx, symbol);
  if (subject === undefined) return jsonResponse(200, []);
  if (!('info' in subject)) return subject;
  const { info, snap, facts: f } = subject;
  const venue = EXCHANGE[info.exchange];
  return jsonResponse(200, [{
    symbol, price: snap.price, marketCap: snap.marketCap, beta: f.beta, lastDividend: snap.lastDividend, range: snap.range,
    change: snap.change, changePercentage: snap.changePercentage, volume: snap.volume, averageVolume: snap.averageVolume,
    companyName: info.name, currency: 'USD', cik: cikOf(symbol), isin: f.isin, cusip: f.cusip, exchangeFullName: venue.full,
    exchange: venue.short, industry: f.industry, website: f.website, description: f.description, ceo: f.ceo, sector: f.sector,
    country: 'US', fullTimeEmployees: f.fullTimeEmployees, phone: f.phone, address: f.address, city: f.city, state: f.state,
    zip: f.zip, image: `https://images.financialmodelingprep.com/symbol/${symbol}.png`, ipoDate: info.listDate,
    defaultImage: false, isEtf: info.type === 'ETF', isActivelyTrading: isActive(info, ctx.today), isAdr: false, isFund: false,
  }]);
}

/** Legacy `GET /api/v3/profile/{symbol}`: v3 names (`mktCap`, `volAvg`, `lastDiv`, `changes`, `dcf`). */
export function legacyProfile(symbol: string, ctx: FmpContext): EmulatorResponse {
  const subject = subjectOf(ctx, symbol);
  if (subject === undefined) return jsonResponse(200, []);
  if (!('info' in subject)) return subject;
  const { info, snap, facts: f } = subject;
  const venue = EXCHANGE[info.exchange];
  const dcf = roundTo(snap.price * (0.8 + f.beta / 5), 3);
  return jsonResponse(200, [{
    symbol, price: snap.price, beta: f.beta, volAvg: snap.averageVolume, mktCap: snap.marketCap, lastDiv: snap.lastDividend,
    range: snap.range, changes: snap.change, companyName: info.name, currency: 'USD', cik: cikOf(symbol), isin: f.isin,
    cusip: f.cusip, exchange: venue.full, exchangeShortName: venue.short, industry: f.industry, website: f.website,
    description: f.description, ceo: f.ceo, sector: f.sector, country: 'US', fullTimeEmployees: f.fullTimeEmployees,
    phone: f.phone, address: f.address, city: f.city, state: f.state, zip: f.zip, dcfDiff: roundTo(snap.price - dcf, 5), dcf,
    image: `https://financialmodelingprep.com/image-stock/${symbol}.png`, ipoDate: info.listDate, defaultImage: false,
    isEtf: info.type === 'ETF', isActivelyTrading: isActive(info, ctx.today), isAdr: false, isFund: false,
  }]);
}
