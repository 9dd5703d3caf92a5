import { fingerprint } from '../shared/ids.js';
import { isIsoDate } from '../shared/dates.js';
import type { AlpacaContext } from './context.js';

/** A start/end bound: a bare date compares on session dates, an instant on bar start times. */
export type Bound = { kind: 'date'; date: string } | { kind: 'instant'; ms: number };

export type Timeframe = 'day' | 'minute';

export interface BarsQuery {
  symbols: string[];
  timeframe: Timeframe;
  start: Bound;
  end: Bound;
  limit: number;
  feed: 'sip' | 'iex';
  split: boolean;
  dividend: boolean;
  sort: 'asc' | 'desc';
  pageToken: string | undefined;
  currency: string | undefined;
  /** Fingerprint of every parameter but `page_token`: a token is valid only with the same ones. */
  fingerprint: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Tickers as the SIP publishes them: upper case, digits, class shares with a dot. */
const SYMBOL_RE = /^[A-Z][A-Z0-9]*(\.[A-Z0-9]+)?$/;
const RFC3339_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ADJUSTMENTS = new Set(['raw', 'split', 'dividend', 'spin-off', 'all']);

export function isValidSymbol(symbol: string): boolean {
  return symbol.length <= 21 && SYMBOL_RE.test(symbol);
}

export function parseBound(value: string): Bound | undefined {
  if (isIsoDate(value)) return { kind: 'date', date: value };
  const match = RFC3339_RE.exec(value);
  if (!match) return undefined;
  const millis = (match[2] ?? '').slice(0, 4);
  const ms = Date.parse(`${match[1]}${millis}${match[3]}`);
  return Number.isNaN(ms) ? undefined : { kind: 'instant', ms };
}

/** Epoch ms a bound stands for in the 15-minute SIP rule: a bare date is 00:00 UTC of that date. */
export function boundInstant(bound: Bound): number {
  return bound.kind === 'instant' ? bound.ms : Date.parse(`${bound.date}T00:00:00Z`);
}

export function parseBarsQuery(query: URLSearchParams, pathSymbol: string | undefined, ctx: AlpacaContext): Parsed<BarsQuery> {
  const rawSymbols = pathSymbol !== undefined ? [pathSymbol] : (query.get('symbols') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (rawSymbols.length === 0) return { ok: false, message: 'missing symbols' };
  const invalid = rawSymbols.find((s) => !isValidSymbol(s));
  if (invalid !== undefined) return { ok: false, message: `invalid symbol: ${invalid}` };

  const timeframe = parseTimeframe(query.get('timeframe'));
  if (!timeframe) return { ok: false, message: 'invalid timeframe' };

  const startText = query.get('start');
  const endText = query.get('end');
  const start = startText === null ? { kind: 'date' as const, date: ctx.today } : parseBound(startText);
  if (!start) return { ok: false, message: `invalid start: ${startText ?? ''}` };
  // Without real-time access the default end is 15 minutes ago.
  const end = endText === null ? { kind: 'instant' as const, ms: ctx.now - ctx.recentSipBlockMs } : parseBound(endText);
  if (!end) return { ok: false, message: `invalid end: ${endText ?? ''}` };

  const limitText = query.get('limit');
  const limit = limitText === null ? 1000 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= 10_000)) return { ok: false, message: 'invalid limit: must be between 1 and 10000' };

  const feed = query.get('feed') ?? 'sip';
  if (feed !== 'sip' && feed !== 'iex') return { ok: false, message: `invalid feed: ${feed}` };

  const adjustment = parseAdjustment(query.get('adjustment'));
  if (!adjustment.ok) return adjustment;

  const sort = query.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') return { ok: false, message: `invalid sort: ${sort}` };

  const entries = [...query].filter(([key]) => key !== 'page_token');
  if (pathSymbol !== undefined) entries.push(['@symbol', pathSymbol]);
  return {
    ok: true,
    value: {
      symbols: [...new Set(rawSymbols)].sort(),
      timeframe,
      start,
      end,
      limit,
      feed,
      ...adjustment.value,
      sort,
      pageToken: query.get('page_token') ?? undefined,
      currency: query.get('currency') ?? undefined,
      fingerprint: fingerprint(entries),
    },
  };
}

/** The stock timeframes the sandbox serves: `1Day`/`1D` and `1Min`/`1T`. */
function parseTimeframe(text: string | null): Timeframe | undefined {
  if (text === '1Day' || text === '1D') return 'day';
  if (text === '1Min' || text === '1T') return 'minute';
  return undefined;
}

/** `raw` (default) | `split` | `dividend` | `spin-off` | `all`, comma-combinable; unknown, empty or repeated → error. */
function parseAdjustment(text: string | null): Parsed<{ split: boolean; dividend: boolean }> {
  if (text === null) return { ok: true, value: { split: false, dividend: false } };
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !ADJUSTMENTS.has(p)) || new Set(parts).size !== parts.length) return { ok: false, message: `invalid adjustment: ${text}` };
  const all = parts.includes('all');
  return { ok: true, value: { split: all || parts.includes('split'), dividend: all || parts.includes('dividend') } };
}

