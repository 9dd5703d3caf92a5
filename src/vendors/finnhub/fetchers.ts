import { BadRequest } from '../../http/index.js';
import type { CorpActionRow, EndpointId, EquityBarRow, RowFor } from '../../catalog/index.js';
import type { EndpointFetcher, FetchArgs } from '../shared/index.js';
import type { FinnhubClient } from './client.js';

function windowOf(args: FetchArgs, endpoint: EndpointId): { start: string; end: string } {
  const start = args.start ?? args.date;
  const end = args.end ?? args.date ?? args.start;
  if (!start || !end) throw new BadRequest('needs --date D or --start D [--end D]', { vendor: 'finnhub', endpoint });
  return { start, end };
}

function symbolsOf(args: FetchArgs, endpoint: EndpointId): string[] {
  if (!args.symbols?.length) throw new BadRequest('needs --symbols A,B (one request per symbol)', { vendor: 'finnhub', endpoint });
  return args.symbols;
}

function signalOf(args: FetchArgs): { signal?: AbortSignal } {
  return args.signal ? { signal: args.signal } : {};
}

const candleDaily: EndpointFetcher<FinnhubClient, 'equities_eod'> = {
  endpoint: 'finnhub.candle.daily',
  dataset: 'equities_eod',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    const symbols = symbolsOf(args, 'finnhub.candle.daily');
    const { start, end } = windowOf(args, 'finnhub.candle.daily');
    const rows: EquityBarRow[] = [];
    for (const symbol of symbols) rows.push(...(await client.fetchCandleDaily(symbol, start, end, signalOf(args))));
    return rows;
  },
};

const optionChain: EndpointFetcher<FinnhubClient, 'options_chain'> = {
  endpoint: 'finnhub.option_chain',
  dataset: 'options_chain',
  needs: ['symbols'],
  async fetch(client, args) {
    const rows: RowFor<'options_chain'>[] = [];
    for (const symbol of symbolsOf(args, 'finnhub.option_chain')) rows.push(...(await client.fetchOptionChain(symbol, signalOf(args))));
    return rows;
  },
};

const symbols: EndpointFetcher<FinnhubClient, 'symbols'> = {
  endpoint: 'finnhub.symbols',
  dataset: 'symbols',
  needs: [],
  fetch: (client, args) => client.fetchSymbols({ exchange: 'US', ...signalOf(args) }),
};

const splits: EndpointFetcher<FinnhubClient, 'corp_actions'> = {
  endpoint: 'finnhub.splits',
  dataset: 'corp_actions',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    const symbolList = symbolsOf(args, 'finnhub.splits');
    const { start, end } = windowOf(args, 'finnhub.splits');
    const rows: CorpActionRow[] = [];
    for (const symbol of symbolList) rows.push(...(await client.fetchSplits(symbol, start, end, signalOf(args))));
    return rows;
  },
};

/** Every Finnhub endpoint `trademl fetch` can call (DESIGN.md endpoint ids). */
export const finnhubFetchers: readonly EndpointFetcher<FinnhubClient>[] = [candleDaily, optionChain, symbols, splits] as readonly EndpointFetcher<FinnhubClient>[];
