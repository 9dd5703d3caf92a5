import type { DatasetName, EndpointId } from '../../catalog/index.js';
import { BadRequest } from '../../http/index.js';
import { requireDate, requireOrderedRange, type EndpointFetcher, type FetchArgs } from '../shared/index.js';
import type { AvClient } from './client.js';

/**
 * An EndpointFetcher that also says what it costs. Every Alpha Vantage call is exactly ONE request
 * of the key's 25-a-day budget (refusals count too); per-symbol endpoints make one call per symbol.
 * The daily cap (backfill.yml) and the ~1/s burst limit are enforced by the pacer and scheduler.
 */
export interface AvEndpointFetcher<D extends DatasetName = DatasetName> extends EndpointFetcher<AvClient, D> {
  /** Requests this fetch will spend (before retries of a burst-limit refusal). */
  requests(args: FetchArgs): number;
}

/**
 * `av.time_series_daily` → equities_eod. Needs `symbols`; one request per symbol (`compact`: the
 * latest 100 sessions). `date` keeps that session only; `start`/`end` bound the sessions kept.
 */
const timeSeriesDaily: AvEndpointFetcher<'equities_eod'> = {
  endpoint: 'av.time_series_daily',
  dataset: 'equities_eod',
  needs: ['symbols'],
  requests: perSymbol,
  async fetch(client, args) {
    const keep = dateFilter('av.time_series_daily', args);
    return forEachSymbol('av.time_series_daily', args, async (symbol) => (await client.fetchTimeSeriesDaily(symbol, signalOf(args))).filter((r) => keep(r.date)));
  },
};

/** `av.listing_status` → symbols: the active universe, one request. `date` = as-of date (from 2010-01-01). */
const listingSymbols: AvEndpointFetcher<'symbols'> = {
  endpoint: 'av.listing_status',
  dataset: 'symbols',
  needs: [],
  requests: () => 1,
  async fetch(client, args) {
    refuseRange('av.listing_status', args, 'takes --date (the as-of date), not --start/--end');
    return client.fetchListingStatus({ state: 'active', ...dateOf(args), ...signalOf(args) });
  },
};

/** `av.listing_status` (state=delisted) → delistings: every delisting since 2010, one request. `date` = as-of date. */
const listingDelistings: AvEndpointFetcher<'delistings'> = {
  endpoint: 'av.listing_status',
  dataset: 'delistings',
  needs: [],
  requests: () => 1,
  async fetch(client, args) {
    refuseRange('av.listing_status', args, 'takes --date (the as-of date), not --start/--end');
    return client.fetchDelistings({ ...dateOf(args), ...signalOf(args) });
  },
};

/** `av.splits` → corp_actions: full split history, one request per symbol; `date`/`start`/`end` filter the ex-date. */
const splits: AvEndpointFetcher<'corp_actions'> = {
  endpoint: 'av.splits',
  dataset: 'corp_actions',
  needs: ['symbols'],
  requests: perSymbol,
  async fetch(client, args) {
    const keep = dateFilter('av.splits', args);
    return forEachSymbol('av.splits', args, async (symbol) => (await client.fetchSplits(symbol, signalOf(args))).filter((r) => keep(r.ex_date)));
  },
};

/** `av.dividends` → corp_actions: full dividend history (and declared future ones), one request per symbol; filters as splits. */
const dividends: AvEndpointFetcher<'corp_actions'> = {
  endpoint: 'av.dividends',
  dataset: 'corp_actions',
  needs: ['symbols'],
  requests: perSymbol,
  async fetch(client, args) {
    const keep = dateFilter('av.dividends', args);
    return forEachSymbol('av.dividends', args, async (symbol) => (await client.fetchDividends(symbol, signalOf(args))).filter((r) => keep(r.ex_date)));
  },
};

/**
 * `av.historical_options` → options_chain_hist: one underlying's whole chain for one session, one
 * request per symbol. `date` = the session (default: AV's previous session); one session per call.
 */
const historicalOptions: AvEndpointFetcher<'options_chain_hist'> = {
  endpoint: 'av.historical_options',
  dataset: 'options_chain_hist',
  needs: ['symbols'],
  requests: perSymbol,
  async fetch(client, args) {
    refuseRange('av.historical_options', args, 'serves one session per request: use --date');
    return forEachSymbol('av.historical_options', args, (symbol) => client.fetchHistoricalOptions(symbol, args.date, signalOf(args)));
  },
};

/** One entry per (endpoint, dataset) of DESIGN.md; `av.listing_status` serves both symbols and delistings. */
export const avFetchers: AvEndpointFetcher[] = [timeSeriesDaily, listingSymbols, listingDelistings, splits, dividends, historicalOptions];

function perSymbol(args: FetchArgs): number {
  return uniqueSymbols(args).length;
}

function uniqueSymbols(args: FetchArgs): string[] {
  return [...new Set((args.symbols ?? []).map((s) => s.trim().toUpperCase()).filter((s) => s !== ''))];
}

/** Sequential on purpose: the burst limit is ~1 request per second and every call is a budget unit. */
async function forEachSymbol<R>(endpoint: EndpointId, args: FetchArgs, fetchOne: (symbol: string) => Promise<R[]>): Promise<R[]> {
  const symbols = uniqueSymbols(args);
  if (symbols.length === 0) throw new BadRequest(`${endpoint} needs --symbols (one request per symbol)`, { vendor: 'av', endpoint });
  const rows: R[] = [];
  for (const symbol of symbols) rows.push(...(await fetchOne(symbol)));
  return rows;
}

/** Keeps dates equal to `date`, or inside [start, end] (either bound optional). */
function dateFilter(endpoint: EndpointId, args: FetchArgs): (date: string) => boolean {
  const { date, start, end } = args;
  for (const [name, value] of [['date', date], ['start', start], ['end', end]] as const) {
    if (value !== undefined) requireDate(value, name, 'av', endpoint);
  }
  if (start !== undefined && end !== undefined) requireOrderedRange(start, end, 'av', endpoint);
  return (d) => (date === undefined || d === date) && (start === undefined || d >= start) && (end === undefined || d <= end);
}

function refuseRange(endpoint: EndpointId, args: FetchArgs, why: string): void {
  if (args.start !== undefined || args.end !== undefined) throw new BadRequest(`${endpoint} ${why}`, { vendor: 'av', endpoint });
}

function dateOf(args: FetchArgs): { date?: string } {
  return args.date === undefined ? {} : { date: args.date };
}

function signalOf(args: FetchArgs): { signal?: AbortSignal } {
  return args.signal === undefined ? {} : { signal: args.signal };
}
