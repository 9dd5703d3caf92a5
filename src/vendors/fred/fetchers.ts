import { BadRequest } from '../../http/index.js';
import type { EndpointFetcher, FetchArgs } from '../shared/index.js';
import type { FredClient } from './client.js';
import type { MacroSeriesRow } from './observations.js';

/** `--start/--end` (or `--date` for a single day) bound the observation dates; absent = whole history. */
function observationWindow(args: FetchArgs): { start?: string; end?: string; signal?: AbortSignal } {
  const start = args.start ?? args.date;
  const end = args.end ?? args.date;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}), ...(args.signal ? { signal: args.signal } : {}) };
}

function requireSeries(args: FetchArgs, endpoint: 'fred.series' | 'fred.vintages'): string[] {
  if (!args.series?.length) throw new BadRequest('needs --series ID[,ID…] (FRED series ids, e.g. CPIAUCSL)', { vendor: 'fred', endpoint });
  return args.series;
}

const series: EndpointFetcher<FredClient, 'macro_series'> = {
  endpoint: 'fred.series',
  dataset: 'macro_series',
  needs: ['series'],
  async fetch(client, args) {
    const rows: MacroSeriesRow[] = [];
    for (const id of requireSeries(args, 'fred.series')) rows.push(...(await client.fetchSeries(id, observationWindow(args))));
    return rows;
  },
};

const vintages: EndpointFetcher<FredClient, 'macro_series'> = {
  endpoint: 'fred.vintages',
  dataset: 'macro_series',
  needs: ['series'],
  async fetch(client, args) {
    const rows: MacroSeriesRow[] = [];
    for (const id of requireSeries(args, 'fred.vintages')) rows.push(...(await client.fetchVintages(id, observationWindow(args))));
    return rows;
  },
};

const treasuryCurve: EndpointFetcher<FredClient, 'treasuries'> = {
  endpoint: 'fred.treasury_curve',
  dataset: 'treasuries',
  needs: [],
  fetch: (client, args) => client.fetchTreasuryCurve({ ...observationWindow(args), ...(args.series?.length ? { series: args.series } : {}) }),
};

/**
 * Every FRED endpoint `trademl fetch` can call. macro_series: `fred.series` (today's values)
 * unless `--endpoint fred.vintages` asks for every ALFRED version. treasuries: the whole curve, or
 * the `--series` subset of it.
 */
export const fredFetchers: readonly EndpointFetcher<FredClient>[] = [series, treasuryCurve, vintages] as readonly EndpointFetcher<FredClient>[];
