import { BadRequest } from '../../http/index.js';
import type { EndpointFetcher, FetchArgs } from '../shared/index.js';
import type { AlpacaClient } from './client.js';

function windowOf(args: FetchArgs, endpoint: 'alpaca.bars' | 'alpaca.corporate_actions'): { start: string; end: string } {
  const start = args.start ?? args.date;
  const end = args.end ?? args.date ?? args.start;
  if (!start || !end) throw new BadRequest('needs --date D or --start D [--end D]', { vendor: 'alpaca', endpoint });
  return { start, end };
}

const bars: EndpointFetcher<AlpacaClient, 'equities_eod'> = {
  endpoint: 'alpaca.bars',
  dataset: 'equities_eod',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    if (!args.symbols?.length) throw new BadRequest('needs --symbols A,B', { vendor: 'alpaca', endpoint: 'alpaca.bars' });
    const rows = [];
    const params = { symbols: args.symbols, ...windowOf(args, 'alpaca.bars'), feed: 'sip' as const, ...(args.signal ? { signal: args.signal } : {}) };
    for await (const page of client.streamDailyBars(params)) rows.push(...page.rows);
    return rows;
  },
};

const corporateActions: EndpointFetcher<AlpacaClient, 'corp_actions'> = {
  endpoint: 'alpaca.corporate_actions',
  dataset: 'corp_actions',
  needs: ['start'],
  fetch: (client, args) =>
    client.fetchCorporateActions({ ...windowOf(args, 'alpaca.corporate_actions'), ...(args.symbols ? { symbols: args.symbols } : {}), ...(args.signal ? { signal: args.signal } : {}) }),
};

const assets: EndpointFetcher<AlpacaClient, 'symbols'> = {
  endpoint: 'alpaca.assets',
  dataset: 'symbols',
  needs: [],
  fetch: (client, args) => client.fetchAssets(args.signal ? { signal: args.signal } : {}),
};

/** Every Alpaca endpoint `trademl fetch` can call. */
export const alpacaFetchers: readonly EndpointFetcher<AlpacaClient>[] = [bars, corporateActions, assets] as readonly EndpointFetcher<AlpacaClient>[];
