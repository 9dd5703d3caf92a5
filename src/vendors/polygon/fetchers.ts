import { BadRequest } from '../../http/index.js';
import type { EquityBarRow, RowFor, SymbolRow } from '../../catalog/index.js';
import type { EndpointFetcher } from '../shared/index.js';
import type { PolygonClient } from './client.js';

const groupedDaily: EndpointFetcher<PolygonClient, 'equities_eod'> = {
  endpoint: 'polygon.aggs.grouped_daily',
  dataset: 'equities_eod',
  needs: ['date'],
  async fetch(client, args) {
    if (!args.date) throw new BadRequest('needs --date D (one session, the whole market)', { vendor: 'polygon', endpoint: 'polygon.aggs.grouped_daily' });
    return client.fetchGroupedDaily(args.date, args.signal ? { signal: args.signal } : {});
  },
};

const aggsDay: EndpointFetcher<PolygonClient, 'equities_eod'> = {
  endpoint: 'polygon.aggs.day',
  dataset: 'equities_eod',
  needs: ['symbols', 'start'],
  async fetch(client, args) {
    const from = args.start ?? args.date;
    const to = args.end ?? args.date ?? args.start;
    if (!args.symbols?.length || !from || !to) {
      throw new BadRequest('needs --symbols A,B and --date D or --start D [--end D]', { vendor: 'polygon', endpoint: 'polygon.aggs.day' });
    }
    const rows: EquityBarRow[] = [];
    for (const symbol of args.symbols) rows.push(...(await client.fetchDailyRange(symbol, from, to, args.signal ? { signal: args.signal } : {})));
    return rows;
  },
};

const tickers: EndpointFetcher<PolygonClient, 'symbols'> = {
  endpoint: 'polygon.reference.tickers',
  dataset: 'symbols',
  needs: [],
  async fetch(client, args) {
    const signal = args.signal ? { signal: args.signal } : {};
    const rows: SymbolRow[] = [];
    for (const active of [true, false]) rows.push(...(await client.fetchTickers({ active, market: 'stocks', ...signal })));
    return rows;
  },
};

function corpActionParams(args: Parameters<EndpointFetcher<PolygonClient>['fetch']>[1]): { ticker?: string; from?: string; to?: string } {
  const from = args.start ?? args.date;
  const to = args.end ?? args.date;
  return { ...(args.symbols?.[0] ? { ticker: args.symbols[0] } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

const splits: EndpointFetcher<PolygonClient, 'corp_actions'> = {
  endpoint: 'polygon.reference.splits',
  dataset: 'corp_actions',
  needs: [],
  fetch: (client, args) => client.fetchSplits({ ...corpActionParams(args), ...(args.signal ? { signal: args.signal } : {}) }),
};

const dividends: EndpointFetcher<PolygonClient, 'corp_actions'> = {
  endpoint: 'polygon.reference.dividends',
  dataset: 'corp_actions',
  needs: [],
  fetch: (client, args) => client.fetchDividends({ ...corpActionParams(args), ...(args.signal ? { signal: args.signal } : {}) }),
};

/**
 * The contracts of each underlying that were live on --date (default: today in New York), i.e.
 * `expired=false` as of that date; older dates reach contracts that have expired since.
 */
const optionContracts: EndpointFetcher<PolygonClient, 'options_contracts'> = {
  endpoint: 'polygon.options.contracts',
  dataset: 'options_contracts',
  needs: ['symbols'],
  async fetch(client, args) {
    if (!args.symbols?.length) throw new BadRequest('needs --symbols AAPL,SPY (underlyings) [--date D]', { vendor: 'polygon', endpoint: 'polygon.options.contracts' });
    const rows: RowFor<'options_contracts'>[] = [];
    for (const underlying of args.symbols) {
      rows.push(...(await client.fetchOptionContracts({ underlying, expired: false, ...(args.date ? { asOf: args.date } : {}), ...(args.signal ? { signal: args.signal } : {}) })));
    }
    return rows;
  },
};

/** Every Polygon endpoint `trademl fetch` can call; for equities_eod, grouped daily unless symbols are given. */
export const polygonFetchers: readonly EndpointFetcher<PolygonClient>[] = [groupedDaily, aggsDay, tickers, splits, dividends, optionContracts] as readonly EndpointFetcher<PolygonClient>[];
