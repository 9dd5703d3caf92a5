import { nyDate, nyInstant } from '../../calendar/index.js';
import { fingerprint } from '../shared/ids.js';
import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { SandboxBar, SandboxOptionContract } from '../market/index.js';
import { boundInstant, parseBound, type Bound, type Parsed } from './bars-query.js';
import { barTime, type WireBar } from './bars.js';
import { alpacaError, type AlpacaContext } from './context.js';
import { isValidOptionSymbol, OptionBook } from './option-book.js';
import { decodeBarToken, encodeBarToken, isAfter, pageCap, takePage, type BarCursor, type PageRow } from './page-token.js';

/** The endpoint refuses more contracts than this in one request. */
export const MAX_OPTION_SYMBOLS = 100;

interface OptionBarsQuery {
  symbols: string[];
  timeframe: 'day' | 'hour';
  start: Bound;
  end: Bound;
  limit: number;
  sort: 'asc' | 'desc';
  pageToken: string | undefined;
  fingerprint: string;
}

function parseOptionBarsQuery(query: URLSearchParams, ctx: AlpacaContext): Parsed<OptionBarsQuery> {
  const symbols = [...new Set((query.get('symbols') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0))].sort();
  if (symbols.length === 0) return { ok: false, message: 'missing symbols' };
  if (symbols.length > MAX_OPTION_SYMBOLS) return { ok: false, message: `too many symbols: at most ${MAX_OPTION_SYMBOLS} are allowed` };
  const invalid = symbols.find((s) => !isValidOptionSymbol(s));
  if (invalid !== undefined) return { ok: false, message: `invalid symbol: ${invalid}` };
  const tf = query.get('timeframe');
  const timeframe = tf === '1Day' || tf === '1D' ? 'day' : tf === '1Hour' || tf === '1H' ? 'hour' : undefined;
  if (!timeframe) return { ok: false, message: 'invalid timeframe' };
  const startText = query.get('start');
  const endText = query.get('end');
  const start = startText === null ? { kind: 'date' as const, date: ctx.today } : parseBound(startText);
  if (!start) return { ok: false, message: `invalid start: ${startText ?? ''}` };
  const end = endText === null ? { kind: 'instant' as const, ms: ctx.now } : parseBound(endText);
  if (!end) return { ok: false, message: `invalid end: ${endText ?? ''}` };
  const limitText = query.get('limit');
  const limit = limitText === null ? 1000 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= 10_000)) return { ok: false, message: 'invalid limit: must be between 1 and 10000' };
  const sort = query.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') return { ok: false, message: `invalid sort: ${sort}` };
  const print = fingerprint([...query].filter(([key]) => key !== 'page_token'));
  return { ok: true, value: { symbols, timeframe, start, end, limit, sort, pageToken: query.get('page_token') ?? undefined, fingerprint: print } };
}

/**
 * `GET /v1beta1/options/bars`: a `bars` map keyed by contract, sorted by contract then time,
 * `limit` counting bars across contracts; hourly pages are capped like the stock intraday ones.
 * Unknown or never-traded contracts are absent. No data before the plan's options history start.
 */
export function optionBars(query: URLSearchParams, ctx: AlpacaContext): EmulatorResponse {
  const parsed = parseOptionBarsQuery(query, ctx);
  if (!parsed.ok) return alpacaError(400, parsed.message);
  const q = parsed.value;
  const unit = q.timeframe === 'day' ? 'D' : 'H';
  let after: BarCursor | undefined;
  if (q.pageToken !== undefined) {
    after = decodeBarToken(q.pageToken, unit, q.sort, q.fingerprint, q.symbols);
    if (!after) return alpacaError(400, 'invalid page token');
  }
  const size = q.timeframe === 'day' ? q.limit : Math.min(q.limit, pageCap(ctx.intradayPageCap, `${q.fingerprint}|${q.pageToken ?? ''}`));
  const page = takePage(optionRows(q, after, ctx), size, (last) => encodeBarToken(last, unit, q.sort, q.fingerprint));
  const bars: Record<string, WireBar[]> = {};
  for (const row of page.rows) (bars[row.symbol] ??= []).push(row.bar);
  return jsonResponse(200, { bars, next_page_token: page.nextPageToken });
}

function* optionRows(q: OptionBarsQuery, after: BarCursor | undefined, ctx: AlpacaContext): Generator<PageRow<WireBar>> {
  const book = new OptionBook(ctx.market);
  for (const symbol of q.symbols) {
    if (after && symbol < after.symbol) continue;
    const contract = book.contract(symbol);
    if (!contract) continue;
    for (const date of tradingDates(contract, q, symbol === after?.symbol ? after : undefined, ctx)) {
      const bars = q.timeframe === 'day' ? dailyOf(book, contract, date) : book.hourlyBars(contract, date);
      if (q.sort === 'desc') bars.reverse();
      for (const { ms, bar } of bars) {
        if (!inWindow(ms, date, q) || (after && symbol === after.symbol && !isAfter(ms, after, q.sort))) continue;
        yield { symbol, ms, bar: wire(ms, bar) };
      }
    }
  }
}

function dailyOf(book: OptionBook, contract: SandboxOptionContract, date: string): Array<{ ms: number; bar: SandboxBar }> {
  const bar = book.dailyBar(contract, date);
  return bar ? [{ ms: nyInstant(date, '00:00'), bar }] : [];
}

/**
 * Sessions the contract was listed on that the window (and the cursor, on its own contract) may
 * still touch, in the requested order: no chain is priced for a day the page cannot use.
 */
function tradingDates(c: SandboxOptionContract, q: OptionBarsQuery, cursor: BarCursor | undefined, ctx: AlpacaContext): string[] {
  const windowFrom = q.start.kind === 'date' ? q.start.date : nyDate(q.start.ms);
  const windowTo = q.end.kind === 'date' && q.timeframe === 'day' ? q.end.date : nyDate(boundInstant(q.end));
  const cursorDate = cursor && nyDate(cursor.ms);
  const from = latest([c.listDate, ctx.optionsHistoryStart, windowFrom, q.sort === 'asc' ? cursorDate : undefined]);
  const to = earliest([c.expiration, ctx.lastCompleted, windowTo, q.sort === 'desc' ? cursorDate : undefined]);
  const dates = ctx.market.sessions.filter((d) => d >= from && d <= to);
  return q.sort === 'asc' ? dates : dates.reverse();
}

const latest = (dates: Array<string | undefined>): string => dates.reduce<string>((a, b) => (b !== undefined && b > a ? b : a), '');
const earliest = (dates: Array<string | undefined>): string => dates.reduce<string>((a, b) => (b !== undefined && b < a ? b : a), '9999-12-31');

/** Daily bars compare bare dates on session dates (as the stock daily bars do); instants compare bar starts. */
function inWindow(ms: number, date: string, q: OptionBarsQuery): boolean {
  const afterStart = q.timeframe === 'day' && q.start.kind === 'date' ? date >= q.start.date : ms >= boundInstant(q.start);
  const beforeEnd = q.timeframe === 'day' && q.end.kind === 'date' ? date <= q.end.date : ms <= boundInstant(q.end);
  return afterStart && beforeEnd;
}

function wire(ms: number, bar: SandboxBar): WireBar {
  return { t: barTime(ms), o: bar.open, h: bar.high, l: bar.low, c: bar.close, v: bar.volume, n: bar.trades, vw: bar.vwap };
}
