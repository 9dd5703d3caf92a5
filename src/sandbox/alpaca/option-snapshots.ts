import { nyInstant, previousSession, sessionOf } from '../../calendar/index.js';
import { isIsoDate } from '../shared/dates.js';
import { fingerprint } from '../shared/ids.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { createRng, type Rng, type SandboxBar, type SandboxOptionQuote } from '../market/index.js';
import { boundInstant, isValidSymbol, parseBound, type Parsed } from './bars-query.js';
import { barTime } from './bars.js';
import { alpacaError, type AlpacaContext } from './context.js';
import { isValidOptionSymbol, OptionBook } from './option-book.js';

const OPTION_EXCHANGES = ['A', 'B', 'C', 'D', 'E', 'H', 'I', 'J', 'M', 'N', 'O', 'P', 'Q', 'S', 'T', 'U', 'W', 'X', 'Z'];
const TRADE_CONDITIONS = ['I', 'a', 'f', 'g', 'j'];

interface SnapshotQuery {
  limit: number;
  /** Snapshots last updated before this instant are left out. */
  updatedSince: number | undefined;
  pageToken: string | undefined;
  fingerprint: string;
}

/**
 * Options snapshots as of the latest completed session: the generator's end-of-day chain, quote
 * stamped just before that session's close. Both feeds carry the same values in the sandbox; the
 * free plan may only ask for `indicative` (the default without OPRA), `feed=opra` is refused.
 *
 * A snapshot carries `latestQuote` always; `latestTrade` when the contract traded that session or
 * the one before (price = that day's last); `dailyBar` / `prevDailyBar` when it traded that session
 * / the one before (see OptionBook); `greeks` and `impliedVolatility` only with a bid (no model
 * value can be implied from a one-sided quote), as the vendor omits them when not computable.
 */
function parseSnapshotQuery(query: URLSearchParams, ctx: AlpacaContext): Parsed<SnapshotQuery> | EmulatorResponse {
  const feed = query.get('feed') ?? (ctx.opra ? 'opra' : 'indicative');
  if (feed !== 'opra' && feed !== 'indicative') return alpacaError(400, `invalid feed: ${feed}`);
  if (feed === 'opra' && !ctx.opra) return alpacaError(403, 'subscription does not permit querying OPRA data');
  const limitText = query.get('limit');
  const limit = limitText === null ? 100 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= 1000)) return { ok: false, message: 'invalid limit: must be between 1 and 1000' };
  const sinceText = query.get('updated_since');
  const since = sinceText === null ? undefined : parseBound(sinceText);
  if (sinceText !== null && !since) return { ok: false, message: `invalid updated_since: ${sinceText}` };
  const print = fingerprint([...query].filter(([key]) => key !== 'page_token'));
  return { ok: true, value: { limit, updatedSince: since && boundInstant(since), pageToken: query.get('page_token') ?? undefined, fingerprint: print } };
}

/** `GET /v1beta1/options/snapshots/{underlying}`: the chain, filtered, paged by contract symbol. */
export function optionChainSnapshots(underlying: string, query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  if (!isValidSymbol(underlying)) return alpacaError(400, `invalid symbol: ${underlying}`);
  const parsed = parseSnapshotQuery(query, ctx);
  if ('status' in parsed) return parsed;
  if (!parsed.ok) return alpacaError(400, parsed.message);
  const keep = chainFilter(query);
  if (typeof keep === 'string') return alpacaError(400, keep);
  const book = new OptionBook(ctx.market);
  const date = snapshotDate(ctx);
  const quotes = date === undefined ? [] : [...book.chain(underlying, date).values()].filter(keep);
  return snapshotPage(book, quotes, parsed.value);
}

/** `GET /v1beta1/options/snapshots?symbols=`: the named contracts; unknown or expired ones are absent. */
export function optionSnapshots(query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  const symbols = [...new Set((query.get('symbols') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
  if (symbols.length === 0) return alpacaError(400, 'missing symbols');
  const invalid = symbols.find((s) => !isValidOptionSymbol(s));
  if (invalid !== undefined) return alpacaError(400, `invalid symbol: ${invalid}`);
  const parsed = parseSnapshotQuery(query, ctx);
  if ('status' in parsed) return parsed;
  if (!parsed.ok) return alpacaError(400, parsed.message);
  const book = new OptionBook(ctx.market);
  const date = snapshotDate(ctx);
  const quotes: SandboxOptionQuote[] = [];
  for (const symbol of symbols) {
    const contract = date === undefined ? undefined : book.contract(symbol);
    const quote = contract && book.quote(contract, date as string);
    if (quote) quotes.push(quote);
  }
  return snapshotPage(book, quotes, parsed.value);
}

/** The session the snapshots describe: the latest completed one, if options data reach it. */
function snapshotDate(ctx: AlpacaContext): string | undefined {
  const date = ctx.lastCompleted;
  return date >= ctx.optionsHistoryStart && date >= ctx.market.start && date <= ctx.market.end ? date : undefined;
}

function snapshotPage(book: OptionBook, quotes: SandboxOptionQuote[], q: SnapshotQuery): EmulatorResponse {
  const sorted = [...quotes].sort((a, b) => (a.contract < b.contract ? -1 : a.contract > b.contract ? 1 : 0));
  let from = 0;
  if (q.pageToken !== undefined) {
    const last = decodeContractToken(q.pageToken, q.fingerprint);
    if (last === undefined) return alpacaError(400, 'invalid page token');
    from = sorted.findIndex((s) => s.contract > last);
    if (from === -1) from = sorted.length;
  }
  const snapshots: Record<string, Record<string, unknown>> = {};
  let shown = 0;
  let lastShown: string | undefined;
  for (let i = from; i < sorted.length; i++) {
    const quote = sorted[i] as SandboxOptionQuote;
    const { snapshot, updatedMs } = snapshotOf(book, quote);
    if (q.updatedSince !== undefined && updatedMs < q.updatedSince) continue;
    if (shown === q.limit) return jsonResponse(200, { snapshots, next_page_token: encodeContractToken(lastShown as string, q.fingerprint) });
    snapshots[quote.contract] = snapshot;
    lastShown = quote.contract;
    shown++;
  }
  return jsonResponse(200, { snapshots, next_page_token: null });
}

/** base64 of `<last contract>|<fingerprint>` (the vendor's chain tokens are base64 of the last contract). */
function encodeContractToken(contract: string, print: string): string {
  return Buffer.from(`${contract}|${print}`).toString('base64');
}

function decodeContractToken(token: string, print: string): string | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (Buffer.from(text).toString('base64') !== token) return undefined;
  const [contract, tokenPrint, ...rest] = text.split('|');
  return rest.length === 0 && tokenPrint === print && contract !== undefined && isValidOptionSymbol(contract) ? contract : undefined;
}

/** The chain endpoint's filters: type, strike range, expiration (exact or range), root symbol. */
function chainFilter(query: URLSearchParams): ((q: SandboxOptionQuote) => boolean) | string {
  const type = query.get('type');
  if (type !== null && type !== 'call' && type !== 'put') return `invalid type: ${type}`;
  const strikes: Array<[string, (strike: number, bound: number) => boolean]> = [
    ['strike_price_gte', (s, b) => s >= b],
    ['strike_price_lte', (s, b) => s <= b],
  ];
  const dates: Array<[string, (expiration: string, bound: string) => boolean]> = [
    ['expiration_date', (e, b) => e === b],
    ['expiration_date_gte', (e, b) => e >= b],
    ['expiration_date_lte', (e, b) => e <= b],
  ];
  const tests: Array<(q: SandboxOptionQuote) => boolean> = [];
  if (type !== null) tests.push((q) => q.right === (type === 'call' ? 'C' : 'P'));
  for (const [name, test] of strikes) {
    const text = query.get(name);
    if (text === null) continue;
    const bound = Number(text);
    if (text.trim() === '' || !Number.isFinite(bound)) return `invalid ${name}: ${text}`;
    tests.push((q) => test(q.strike, bound));
  }
  for (const [name, test] of dates) {
    const text = query.get(name);
    if (text === null) continue;
    if (!isIsoDate(text)) return `invalid ${name}: ${text}`;
    tests.push((q) => test(q.expiration, text));
  }
  const root = query.get('root_symbol');
  if (root !== null) tests.push((q) => q.contract.slice(0, q.contract.length - 15) === root);
  return (q) => tests.every((t) => t(q));
}

/** One contract's snapshot, and when it was last updated (its quote time). */
function snapshotOf(book: OptionBook, q: SandboxOptionQuote): { snapshot: Record<string, unknown>; updatedMs: number } {
  const session = sessionOf(q.date);
  const closeMs = session ? session.closeMs : nyInstant(q.date, '16:00');
  const rng = createRng(book.market.seed, `option-snapshot:${q.contract}:${q.date}`);
  const quoteMs = closeMs - rng.int(1, 3_000);
  const out: Record<string, unknown> = {};
  const daily = book.dailyBar(q, q.date);
  if (daily) out.dailyBar = wireDaily(q.date, daily);
  if (q.bid > 0) {
    out.greeks = { delta: q.delta, gamma: q.gamma, rho: q.rho, theta: q.theta, vega: q.vega };
    out.impliedVolatility = q.iv;
  }
  out.latestQuote = {
    ap: q.ask,
    as: rng.int(1, 500),
    ax: rng.pick(OPTION_EXCHANGES),
    bp: q.bid,
    bs: rng.int(1, 500),
    bx: rng.pick(OPTION_EXCHANGES),
    c: rng.pick(['A', ' ']),
    t: nanoTime(quoteMs, rng),
  };
  const prevDate = previousSession(q.date);
  const prev = book.previousQuote(q, q.date);
  const traded = q.last !== null ? { quote: q, closeMs } : prev && prev.last !== null ? { quote: prev, closeMs: sessionOf(prevDate)?.closeMs ?? closeMs } : undefined;
  if (traded) {
    out.latestTrade = {
      c: rng.pick(TRADE_CONDITIONS),
      p: traded.quote.last,
      s: rng.int(1, Math.max(1, Math.min(traded.quote.volume, 50))),
      t: nanoTime(traded.closeMs - rng.int(5_000, 1_800_000), rng),
      x: rng.pick(OPTION_EXCHANGES),
    };
  }
  const prevDaily = prev ? book.dailyBar(q, prevDate) : undefined;
  if (prevDaily) out.prevDailyBar = wireDaily(prevDate, prevDaily);
  return { snapshot: out, updatedMs: quoteMs };
}

function wireDaily(date: string, bar: SandboxBar): Record<string, unknown> {
  return { t: barTime(nyInstant(date, '00:00')), o: bar.open, h: bar.high, l: bar.low, c: bar.close, v: bar.volume, n: bar.trades, vw: bar.vwap };
}

/** RFC-3339 with nanoseconds, as the vendor stamps quotes and trades. */
function nanoTime(ms: number, rng: Rng): string {
  return new Date(ms).toISOString().replace('Z', `${String(rng.int(0, 999_999)).padStart(6, '0')}Z`);
}
