import type { CorpActionRow, SymbolRow } from '../../catalog/index.js';
import { BadRequest, buildUrl } from '../../http/index.js';
import { lineage, requireDate, requireOrderedRange } from '../shared/index.js';
import { FINNHUB_SYMBOL_RE, requireSymbol, type FinnhubContext } from './context.js';
import { splitsSchema, symbolsSchema } from './schemas.js';

/** Tens of thousands of rows in one unpaginated array. */
const SYMBOLS_TIMEOUT_MS = 120_000;
const EXCHANGE_RE = /^[A-Z]{1,4}$/;

export interface FinnhubSymbolsParams {
  /** @default 'US' (every US venue, OTC included) */
  exchange?: string;
  signal?: AbortSignal;
}

/**
 * `GET /stock/symbol?exchange=US`: the current US list in one response. Finnhub lists no delisted
 * symbols, so every row is `active` with no dates (delistings come from AV/FMP). `exchange` is the
 * listing MIC (`XNGS`, `OTCM`), `asset_type` the OpenFIGI type (`Common Stock`). Junk symbols are
 * skipped and reported; a symbol listed twice keeps its first row.
 */
export async function fetchSymbols(ctx: FinnhubContext, params: FinnhubSymbolsParams = {}): Promise<SymbolRow[]> {
  const endpoint = 'finnhub.symbols';
  const exchange = params.exchange ?? 'US';
  if (!EXCHANGE_RE.test(exchange)) throw new BadRequest(`invalid exchange ${JSON.stringify(exchange)}`, { vendor: 'finnhub', endpoint });
  const url = buildUrl(ctx.baseUrl, '/stock/symbol', { exchange });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: symbolsSchema, signal: params.signal, timeoutMs: SYMBOLS_TIMEOUT_MS });
  const origin = lineage('finnhub', result.redactedUrl, ctx.clock);
  const rows = new Map<string, SymbolRow>();
  for (const listed of result.body) {
    if (!FINNHUB_SYMBOL_RE.test(listed.symbol)) {
      ctx.onSkip({ endpoint, value: JSON.stringify(listed.symbol), reason: 'symbol fails the sanity check' });
      continue;
    }
    if (rows.has(listed.symbol)) continue;
    rows.set(listed.symbol, {
      symbol: listed.symbol,
      name: listed.description || null,
      exchange: listed.mic || null,
      asset_type: listed.type || null,
      status: 'active',
      ipo_date: null,
      delisted_date: null,
      ...origin,
    });
  }
  return [...rows.values()];
}

/**
 * `GET /stock/split?symbol=S&from=D&to=D` (premium: a free key gets 403 → EntitlementDenied
 * capability). `date` is the first split-adjusted session, i.e. the ex date; split_ratio =
 * toFactor / fromFactor, new shares per old (AAPL 2014-06-09 1→7 = 7, a 1-for-10 reverse = 0.1).
 * Exact duplicates are dropped.
 */
export async function fetchSplits(ctx: FinnhubContext, symbol: string, from: string, to: string, signal?: AbortSignal): Promise<CorpActionRow[]> {
  const endpoint = 'finnhub.splits';
  requireSymbol(symbol, endpoint);
  requireDate(from, 'from', 'finnhub', endpoint);
  requireDate(to, 'to', 'finnhub', endpoint);
  requireOrderedRange(from, to, 'finnhub', endpoint);
  const url = buildUrl(ctx.baseUrl, '/stock/split', { symbol, from, to });
  const result = await ctx.http.getJson(url, { endpoint, headers: ctx.headers, schema: splitsSchema, signal });
  const origin = lineage('finnhub', result.redactedUrl, ctx.clock);
  const rows = new Map<string, CorpActionRow>();
  for (const split of result.body) {
    const ratio = split.toFactor / split.fromFactor;
    const key = `${split.symbol}|${split.date}|${ratio}`;
    if (rows.has(key)) continue;
    rows.set(key, {
      symbol: split.symbol,
      action: 'split',
      ex_date: split.date,
      split_ratio: ratio,
      cash_amount: null,
      currency: null,
      record_date: null,
      pay_date: null,
      declared_date: null,
      new_symbol: null,
      ...origin,
    });
  }
  return [...rows.values()];
}
