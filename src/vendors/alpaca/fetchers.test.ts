import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import type { FetchArgs } from '../shared/index.js';
import type { AlpacaClient } from './client.js';
import { alpacaFetchers } from './fetchers.js';
import { fixture, setupAlpaca } from './test-support/setup.js';

const START = Date.UTC(2024, 3, 25, 20, 5, 0);

function fetcher(endpoint: string) {
  const found = alpacaFetchers.find((f) => f.endpoint === endpoint);
  if (!found) throw new Error(`no fetcher ${endpoint}`);
  return found as { dataset: string; needs: readonly string[]; fetch(client: AlpacaClient, args: FetchArgs): Promise<Record<string, unknown>[]> };
}

describe('alpacaFetchers', () => {
  it('offers one fetcher per Alpaca endpoint of DESIGN.md', () => {
    expect(alpacaFetchers.map((f) => [f.endpoint, f.dataset])).toEqual([
      ['alpaca.bars', 'equities_eod'],
      ['alpaca.minute', 'equities_minute'],
      ['alpaca.options.bars', 'options_bars'],
      ['alpaca.options.chain', 'options_chain'],
      ['alpaca.corporate_actions', 'corp_actions'],
      ['alpaca.assets', 'symbols'],
    ]);
  });

  it('minute: one New York day of SIP minute bars for --symbols --date', async () => {
    const { client, fake } = setupAlpaca(() => jsonResponse({ bars: { AAPL: [{ t: '2024-01-03T00:30:00Z', o: 1, h: 1, l: 1, c: 1, v: 5 }] }, next_page_token: null }), START);
    const rows = await fetcher('alpaca.minute').fetch(client, { symbols: ['AAPL'], date: '2024-01-02' });
    const sent = new URL(fake.seen[0]?.url ?? '').searchParams;
    expect([sent.get('timeframe'), sent.get('feed'), sent.get('start'), sent.get('end')]).toEqual(['1Min', 'sip', '2024-01-02T05:00:00Z', '2024-01-03T04:59:59Z']);
    expect(rows.map((r) => [r.symbol, r.ts, r.date])).toEqual([['AAPL', '2024-01-03T00:30:00.000Z', '2024-01-02']]);
  });

  it('options.bars: every page of daily contract bars, indicative', async () => {
    const { client } = setupAlpaca((url) => (url.searchParams.has('page_token') ? fixture('option_bars_multi_last_page.json') : fixture('option_bars_page1_next_token.json')), START);
    const rows = await fetcher('alpaca.options.bars').fetch(client, { symbols: ['SPY240426C00555000', 'SPY240426C00550000'], start: '2024-03-12', end: '2024-03-12' });
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.quote_quality === 'indicative' && r.indicative === true && r.underlying === 'SPY')).toBe(true);
  });

  it('options.chain: one chain per underlying', async () => {
    const { client, fake } = setupAlpaca(() => fixture('option_chain_last_page.json'), START);
    const rows = await fetcher('alpaca.options.chain').fetch(client, { symbols: ['AAPL', 'MSFT'] });
    expect(fake.seen.map((s) => new URL(s.url).pathname)).toEqual(['/v1beta1/options/snapshots/AAPL', '/v1beta1/options/snapshots/MSFT']);
    expect(rows.map((r) => [r.underlying, r.contract, r.date, r.quote_quality])).toEqual([
      ['AAPL', 'AAPL240503P00155000', '2024-04-25', 'indicative'],
      ['MSFT', 'AAPL240503P00155000', '2024-04-25', 'indicative'],
    ]);
  });

  it('throws BadRequest naming the missing argument, before any request', async () => {
    const { client, fake } = setupAlpaca(() => jsonResponse({}), START);
    await expect(fetcher('alpaca.minute').fetch(client, { date: '2024-01-02' })).rejects.toThrow(/needs --symbols/);
    await expect(fetcher('alpaca.minute').fetch(client, { symbols: ['AAPL'] })).rejects.toThrow(/needs --date D or --start D/);
    await expect(fetcher('alpaca.options.bars').fetch(client, { date: '2024-01-02' })).rejects.toThrow(/needs --symbols AAPL240419P00140000/);
    await expect(fetcher('alpaca.options.chain').fetch(client, {})).rejects.toThrow(BadRequest);
    await expect(fetcher('alpaca.options.chain').fetch(client, { symbols: ['AAPL'], date: '2024-04-01' })).rejects.toThrow(/a chain snapshot is of now/);
    expect(fake.seen).toHaveLength(0);
  });
});
