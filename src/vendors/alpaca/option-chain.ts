import type { RowFor } from '../../catalog/index.js';
import { nyDate, previousSession, sessionOf } from '../../calendar/index.js';
import { BadRequest, type HttpResult } from '../../http/index.js';
import { instantMs, invariantBroken, lineage, requireDate, requireOrderedRange } from '../shared/index.js';
import { tokenPages, type AlpacaContext } from './context.js';
import { parseOccSymbol } from './occ.js';
import { DEFAULT_OPTION_FEED, type OptionFeed } from './option-bars.js';
import { optionSnapshotsPageSchema, type OptionSnapshot, type OptionSnapshotsPage } from './schemas.js';
import { normalizeAlpacaSymbols } from './symbols.js';

const ENDPOINT = 'alpaca.options.chain';
export const MAX_CHAIN_LIMIT = 1000;

type ChainRow = RowFor<'options_chain'>;

export interface AlpacaOptionChainParams {
  /** The underlying stock symbol (`AAPL`; `BRK-B` is sent as `BRK.B`). */
  underlying: string;
  /** Sent as `feed`, and labels the rows. @default 'indicative' (what a free key gets) */
  feed?: OptionFeed;
  /** Inclusive expiration bounds (`expiration_date_gte` / `_lte`). */
  expirationFrom?: string;
  expirationTo?: string;
  /** Snapshots per page. @default 1000 (the maximum) */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * `GET /v1beta1/options/snapshots/{underlying}`, every page, one canonical row per contract.
 *
 * bid/ask come from `latestQuote`, last from `latestTrade`, greeks and IV when Alpaca computed them
 * (null otherwise), open_interest is null (snapshots carry none). `volume` is the `dailyBar` volume
 * only when that bar is the row's session; a bar from an older session says nothing about this one,
 * so volume is null then. `as_of` is the capture instant of each page (the injected clock when the
 * page arrived) and `date` is optionSnapshotSession(as_of): one snapshot lands in exactly one
 * partition, never in past ones (study B15). Expiration, strike and right come from the symbol.
 */
export async function fetchOptionChain(ctx: AlpacaContext, params: AlpacaOptionChainParams): Promise<ChainRow[]> {
  const { path, query, underlying, feed } = chainRequest(params);
  const rows = new Map<string, ChainRow>();
  for await (const { result } of tokenPages(ctx, { endpoint: ENDPOINT, path, query, schema: optionSnapshotsPageSchema, signal: params.signal })) {
    for (const row of snapshotRows(ctx, result, underlying, feed, params)) if (!rows.has(row.contract)) rows.set(row.contract, row);
  }
  return [...rows.values()];
}

/**
 * The New York session a snapshot captured at `capturedMs` belongs to: that day's session once it
 * has opened (during or after the session, the evening included), else the previous session (before
 * the open, on a weekend or holiday the quotes are still the last session's). Never a later session,
 * and never one older than the last that opened before the capture.
 */
export function optionSnapshotSession(capturedMs: number): string {
  const today = nyDate(capturedMs);
  const session = sessionOf(today);
  return session !== undefined && session.openMs <= capturedMs ? today : previousSession(today);
}

function chainRequest(params: AlpacaOptionChainParams) {
  const symbols = normalizeAlpacaSymbols([params.underlying], ENDPOINT);
  const underlying = symbols[0];
  if (underlying === undefined) throw bad('no underlying given');
  const feed = params.feed ?? DEFAULT_OPTION_FEED;
  if (feed !== 'indicative' && feed !== 'opra') throw bad(`feed must be "indicative" or "opra", got ${JSON.stringify(feed)}`);
  const limit = params.limit ?? MAX_CHAIN_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHAIN_LIMIT) throw bad(`limit must be an integer 1..${MAX_CHAIN_LIMIT}, got ${String(limit)}`);
  const from = params.expirationFrom === undefined ? undefined : requireDate(params.expirationFrom, 'expirationFrom', 'alpaca', ENDPOINT);
  const to = params.expirationTo === undefined ? undefined : requireDate(params.expirationTo, 'expirationTo', 'alpaca', ENDPOINT);
  if (from !== undefined && to !== undefined) requireOrderedRange(from, to, 'alpaca', ENDPOINT);
  const query = { feed, limit, expiration_date_gte: from, expiration_date_lte: to };
  return { path: `/v1beta1/options/snapshots/${encodeURIComponent(underlying)}`, query, underlying, feed };
}

function snapshotRows(ctx: AlpacaContext, result: HttpResult<OptionSnapshotsPage>, underlying: string, feed: OptionFeed, params: AlpacaOptionChainParams): ChainRow[] {
  const capturedMs = ctx.clock.now();
  const asOf = new Date(capturedMs).toISOString();
  const date = optionSnapshotSession(capturedMs);
  const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
  const rows: ChainRow[] = [];
  for (const [symbol, snapshot] of Object.entries(result.body.snapshots ?? {})) {
    if (snapshot === null) continue;
    const contract = parseOccSymbol(symbol);
    if (contract === undefined) throw invariantBroken(result, 'alpaca', ENDPOINT, `snapshot keyed by ${JSON.stringify(symbol)}, which is not an OCC option symbol`);
    const outside = (params.expirationFrom !== undefined && contract.expiration < params.expirationFrom) || (params.expirationTo !== undefined && contract.expiration > params.expirationTo);
    if (outside) throw invariantBroken(result, 'alpaca', ENDPOINT, `${symbol} expires ${contract.expiration}, outside the requested expirations`);
    rows.push({
      contract: contract.contract,
      as_of: asOf,
      underlying,
      date,
      expiration: contract.expiration,
      strike: contract.strike,
      right: contract.right,
      ...quoteColumns(snapshot, date),
      quote_quality: feed,
      indicative: feed === 'indicative',
      ...origin,
    });
  }
  return rows;
}

type QuoteColumns = Pick<ChainRow, 'bid' | 'ask' | 'last' | 'volume' | 'open_interest' | 'iv' | 'delta' | 'gamma' | 'theta' | 'vega' | 'rho'>;

function quoteColumns(snapshot: OptionSnapshot, date: string): QuoteColumns {
  const barMs = snapshot.dailyBar ? instantMs(snapshot.dailyBar.t) : undefined;
  const greeks = snapshot.greeks;
  return {
    bid: snapshot.latestQuote?.bp ?? null,
    ask: snapshot.latestQuote?.ap ?? null,
    last: snapshot.latestTrade?.p ?? null,
    volume: barMs !== undefined && nyDate(barMs) === date ? (snapshot.dailyBar?.v ?? null) : null,
    open_interest: null,
    iv: snapshot.impliedVolatility ?? null,
    delta: greeks?.delta ?? null,
    gamma: greeks?.gamma ?? null,
    theta: greeks?.theta ?? null,
    vega: greeks?.vega ?? null,
    rho: greeks?.rho ?? null,
  };
}

function bad(detail: string): BadRequest {
  return new BadRequest(detail, { vendor: 'alpaca', endpoint: ENDPOINT });
}
