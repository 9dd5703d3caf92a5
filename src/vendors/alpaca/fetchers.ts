import type { EndpointId, RowFor } from '../../catalog/index.js';
import { BadRequest } from '../../http/index.js';
import type { EndpointFetcher, FetchArgs } from '../shared/index.js';
import type { AlpacaClient } from './client.js';

function windowOf(args: FetchArgs, endpoint: EndpointId): { start: string; end: string } {
  const start = args.start ?? args.date;
  const end = args.end ?? args.date ?? args.start;
  if (!start || !end) throw new BadRequest('needs --date D or --start D [--end D]', { vendor: 'alpaca', endpoint });
  return { start, end };
}

function symbolsOf(args: FetchArgs, endpoint: EndpointId, what = 'A,B'): string[] {
  if (!args.symbols?.length) throw new BadRequest(`needs --symbols ${what}`, { vendor: 'alpaca', endpoint });
  return args.symbols;
}

const signalOf = (args: FetchArgs): { signal?: AbortSignal } => (args.signal ? { signal: args.signal } : {});

const bars: EndpointFetcher<AlpacaClient, 'equities_eod'> = {
  endpoint: 'alpaca.bars',
  dataset: 'equities_eod',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    const symbols = symbolsOf(args, 'alpaca.bars');
    const rows = [];
    const params = { symbols, ...windowOf(args, 'alpaca.bars'), feed: 'sip' as const, ...signalOf(args) };
    for await (const page of client.streamDailyBars(params)) rows.push(...page.rows);
    return rows;
  },
};

/** Minute bars on the SIP feed (as daily): a window newer than 15 min is refused on a free key. */
const minute: EndpointFetcher<AlpacaClient, 'equities_minute'> = {
  endpoint: 'alpaca.minute',
  dataset: 'equities_minute',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    const symbols = symbolsOf(args, 'alpaca.minute');
    const rows: RowFor<'equities_minute'>[] = [];
    const params = { symbols, ...windowOf(args, 'alpaca.minute'), feed: 'sip' as const, ...signalOf(args) };
    for await (const page of client.streamMinuteBars(params)) rows.push(...page.rows);
    return rows;
  },
};

/** Daily bars of OCC contracts, labelled with the free `indicative` feed. */
const optionBars: EndpointFetcher<AlpacaClient, 'options_bars'> = {
  endpoint: 'alpaca.options.bars',
  dataset: 'options_bars',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    const symbols = symbolsOf(args, 'alpaca.options.bars', 'AAPL240419P00140000,…');
    const rows: RowFor<'options_bars'>[] = [];
    const params = { symbols, ...windowOf(args, 'alpaca.options.bars'), timeframe: '1Day', feed: 'indicative' as const, ...signalOf(args) };
    for await (const page of client.streamOptionBars(params)) rows.push(...page.rows);
    return rows;
  },
};

/**
 * The current chain snapshot of each underlying. A date is refused rather than ignored: a snapshot
 * is always of now and dated by its capture (study B15); past chains are options_chain_hist.
 */
const optionChain: EndpointFetcher<AlpacaClient, 'options_chain'> = {
  endpoint: 'alpaca.options.chain',
  dataset: 'options_chain',
  needs: ['symbols'],
  async fetch(client, args) {
    if (args.date || args.start || args.end) {
      throw new BadRequest('takes no --date/--start/--end: a chain snapshot is of now (past chains: options_chain_hist)', { vendor: 'alpaca', endpoint: 'alpaca.options.chain' });
    }
    const rows: RowFor<'options_chain'>[] = [];
    for (const underlying of symbolsOf(args, 'alpaca.options.chain', 'AAPL,SPY')) {
      rows.push(...(await client.fetchOptionChain({ underlying, feed: 'indicative', ...signalOf(args) })));
    }
    return rows;
  },
};

const corporateActions: EndpointFetcher<AlpacaClient, 'corp_actions'> = {
  endpoint: 'alpaca.corporate_actions',
  dataset: 'corp_actions',
  needs: ['start'],
  fetch: (client, args) =>
    client.fetchCorporateActions({ ...windowOf(args, 'alpaca.corporate_actions'), ...(args.symbols ? { symbols: args.symbols } : {}), ...signalOf(args) }),
};

const assets: EndpointFetcher<AlpacaClient, 'symbols'> = {
  endpoint: 'alpaca.assets',
  dataset: 'symbols',
  needs: [],
  fetch: (client, args) => client.fetchAssets(signalOf(args)),
};

/** Every Alpaca endpoint `trademl fetch` can call. */
export const alpacaFetchers: readonly EndpointFetcher<AlpacaClient>[] = [bars, minute, optionBars, optionChain, corporateActions, assets] as readonly EndpointFetcher<AlpacaClient>[];
