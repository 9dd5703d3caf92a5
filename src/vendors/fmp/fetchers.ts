import type { DatasetName, EndpointId } from '../../catalog/index.js';
import { BadRequest } from '../../http/index.js';
import type { EndpointFetcher, FetchArgs } from '../shared/index.js';
import type { FmpClient } from './client.js';
import { statementKind, statementPeriod } from './statements.js';

function define<D extends DatasetName>(fetcher: EndpointFetcher<FmpClient, D>): EndpointFetcher<FmpClient, D> {
  return fetcher;
}

function need<T>(value: T | undefined, flag: string, endpoint: EndpointId): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) throw new BadRequest(`missing ${flag}`, { vendor: 'fmp', endpoint });
  return value;
}

/** Per-symbol endpoints: one call per symbol, in order; the first error stops the run (it names the symbol). */
async function perSymbol<R>(args: FetchArgs, endpoint: EndpointId, fetchOne: (symbol: string) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (const symbol of need(args.symbols, '--symbols', endpoint)) rows.push(...(await fetchOne(symbol)));
  return rows;
}

/** One entry per FMP endpoint id of DESIGN.md, for `trademl fetch fmp <dataset> [--endpoint ID]`. */
export const fmpFetchers: EndpointFetcher<FmpClient>[] = [
  define({
    endpoint: 'fmp.stock_list',
    dataset: 'symbols',
    needs: [],
    fetch: (client, args) => client.fetchStockList({ signal: args.signal }),
  }),
  define({
    endpoint: 'fmp.delisted_companies',
    dataset: 'delistings',
    needs: [],
    fetch: async (client, args) => (await client.fetchDelistedCompanies({ signal: args.signal })).rows,
  }),
  define({
    endpoint: 'fmp.historical_price',
    dataset: 'equities_eod',
    needs: ['symbols'],
    // --date D is the one-session window D..D; --start/--end a range; neither: FMP's default (~5 years).
    fetch: (client, args) =>
      perSymbol(args, 'fmp.historical_price', (symbol) =>
        client.fetchHistoricalPrice(symbol, { from: args.start ?? args.date, to: args.end ?? args.date, basis: 'raw', signal: args.signal }),
      ),
  }),
  define({
    endpoint: 'fmp.statements',
    dataset: 'fundamentals',
    needs: ['symbols', 'statement'],
    fetch: async (client, args) => {
      const kind = statementKind(need(args.statement, '--statement income|balance|cashflow', 'fmp.statements'));
      const period = statementPeriod(args.period ?? 'annual');
      return perSymbol(args, 'fmp.statements', (symbol) => client.fetchStatements(symbol, kind, period, { signal: args.signal }));
    },
  }),
  define({
    endpoint: 'fmp.profile',
    dataset: 'symbols',
    needs: ['symbols'],
    fetch: (client, args) =>
      perSymbol(args, 'fmp.profile', async (symbol) => {
        const row = await client.fetchCompanyProfile(symbol, { signal: args.signal });
        return row === null ? [] : [row];
      }),
  }),
];
