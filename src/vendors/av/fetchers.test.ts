import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import type { EndpointFetcher } from '../shared/index.js';
import type { AvClient } from './client.js';
import { avFetchers } from './fetchers.js';
import { TEST_KEY, avResponse, setupAv, textResponse } from './test-support/harness.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const generic: EndpointFetcher<AvClient>[] = avFetchers;

function fetcher(endpoint: string, dataset: string) {
  const found = generic.find((f) => f.endpoint === endpoint && f.dataset === dataset);
  if (!found) throw new Error(`no fetcher ${endpoint} ${dataset}`);
  return found;
}

/** Named columns of canonical rows, whatever their dataset. */
const cols = (rows: readonly object[], ...names: string[]) => rows.map((r) => names.map((n) => (r as Record<string, unknown>)[n]));

/** Which function and symbol a request asked for. */
const asked = (url: string) => {
  const params = new URL(url).searchParams;
  return [params.get('function'), params.get('symbol') ?? params.get('state'), params.get('date')];
};

describe('avFetchers', () => {
  it('has one entry per endpoint and dataset of DESIGN.md, with what each needs', () => {
    expect(avFetchers.map((f) => [f.endpoint, f.dataset, f.needs])).toEqual([
      ['av.time_series_daily', 'equities_eod', ['symbols']],
      ['av.listing_status', 'symbols', []],
      ['av.listing_status', 'delistings', []],
      ['av.splits', 'corp_actions', ['symbols']],
      ['av.dividends', 'corp_actions', ['symbols']],
      ['av.historical_options', 'options_chain_hist', ['symbols']],
    ]);
  });

  it('states its cost: one request per symbol, or one for the listing', () => {
    const args = { symbols: ['IBM', 'ibm', 'MSFT'] };
    expect(avFetchers.map((f) => f.requests(args))).toEqual([2, 1, 1, 2, 2, 2]);
  });

  it('refuses per-symbol endpoints without --symbols before any request', async () => {
    const { client, fake } = setupAv(() => avResponse('splits_IBM.json'), START);
    for (const f of avFetchers.filter((x) => x.needs.includes('symbols'))) {
      const error = await f.fetch(client, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequest);
      expect((error as BadRequest).message).toBe(`${f.endpoint}: ${f.endpoint} needs --symbols (one request per symbol)`);
    }
    expect(fake.seen).toHaveLength(0);
  });

  it('fetches daily bars one symbol per request, sequentially, keeping the asked sessions', async () => {
    const { client, fake } = setupAv((url) => {
      const symbol = url.searchParams.get('symbol') ?? '';
      const bars = {
        '2024-11-22': { '1. open': '1', '2. high': '1', '3. low': '1', '4. close': '3', '5. volume': '1' },
        '2024-11-21': { '1. open': '1', '2. high': '1', '3. low': '1', '4. close': '2', '5. volume': '1' },
      };
      return textResponse(JSON.stringify({ 'Meta Data': { '2. Symbol': symbol, '3. Last Refreshed': '2024-11-22' }, 'Time Series (Daily)': bars }));
    }, START);
    const rows = await fetcher('av.time_series_daily', 'equities_eod').fetch(client, { symbols: ['IBM', 'MSFT', 'IBM'], start: '2024-11-22' });
    expect(fake.seen.map((s) => asked(s.url))).toEqual([
      ['TIME_SERIES_DAILY', 'IBM', null],
      ['TIME_SERIES_DAILY', 'MSFT', null],
    ]);
    expect(cols(rows, 'symbol', 'date')).toEqual([
      ['IBM', '2024-11-22'],
      ['MSFT', '2024-11-22'],
    ]);
    const one = await fetcher('av.time_series_daily', 'equities_eod').fetch(client, { symbols: ['IBM'], date: '2024-11-21' });
    expect(cols(one, 'close')).toEqual([[2]]);
  });

  it('lists the active universe (symbols) and the delisted one (delistings), one request each, as of --date', async () => {
    const { client, fake } = setupAv((url) => avResponse(url.searchParams.get('state') === 'delisted' ? 'listing_status_delisted_sample.csv' : 'listing_status_active_sample.csv'), START);
    const symbols = await fetcher('av.listing_status', 'symbols').fetch(client, { date: '2024-01-02' });
    const delistings = await fetcher('av.listing_status', 'delistings').fetch(client, {});
    expect(fake.seen.map((s) => asked(s.url))).toEqual([
      ['LISTING_STATUS', 'active', '2024-01-02'],
      ['LISTING_STATUS', 'delisted', null],
    ]);
    expect(symbols).toHaveLength(4);
    expect(cols(delistings, 'symbol', 'delisted_date')).toEqual([
      ['MON', '2018-06-07'],
      ['TWTR', '2022-10-28'],
    ]);
    await expect(fetcher('av.listing_status', 'symbols').fetch(client, { start: '2024-01-01' })).rejects.toThrow(BadRequest);
  });

  it('filters corporate actions by ex-date and refuses a reversed range before any request', async () => {
    const { client, fake } = setupAv((url) => avResponse(url.searchParams.get('function') === 'SPLITS' ? 'splits_IBM.json' : 'dividends_IBM.json'), START);
    const splits = await fetcher('av.splits', 'corp_actions').fetch(client, { symbols: ['IBM'], start: '2000-01-01' });
    expect(cols(splits, 'ex_date')).toEqual([['2021-11-04']]);
    const dividends = await fetcher('av.dividends', 'corp_actions').fetch(client, { symbols: ['IBM'], start: '2024-01-01', end: '2024-06-30' });
    expect(cols(dividends, 'ex_date')).toEqual([['2024-05-09'], ['2024-02-08']]);
    expect(fake.seen).toHaveLength(2);
    await expect(fetcher('av.splits', 'corp_actions').fetch(client, { symbols: ['IBM'], start: '2024-02-01', end: '2024-01-01' })).rejects.toThrow(BadRequest);
    await expect(fetcher('av.splits', 'corp_actions').fetch(client, { symbols: ['IBM'], end: '2024-13-01' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(2);
  });

  it('fetches one historical chain per symbol for --date and refuses a range', async () => {
    const { client, fake } = setupAv(() => avResponse('historical_options_IBM_2026-09-24_excerpt.json'), START);
    const rows = await fetcher('av.historical_options', 'options_chain_hist').fetch(client, { symbols: ['IBM'], date: '2026-09-24' });
    expect(rows).toHaveLength(4);
    expect(fake.seen.map((s) => asked(s.url))).toEqual([['HISTORICAL_OPTIONS', 'IBM', '2026-09-24']]);
    expect(fake.seen[0]?.url).toContain(`apikey=${TEST_KEY}`);
    await expect(fetcher('av.historical_options', 'options_chain_hist').fetch(client, { symbols: ['IBM'], start: '2026-09-01', end: '2026-09-24' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(1);
  });
});
