import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { BadRequest, EntitlementDenied, Malformed, NotFound, createSeededRandom } from '../../http/index.js';
import { fakeFetch, jsonResponse, type Responder } from '../../http/test-support/fake-fetch.js';
import type { FetchArgs } from '../shared/index.js';
import { fixtureJson, fixtureText } from '../shared/test-support/fixtures.js';
import { createPolygonClient, type PolygonClient } from './client.js';
import type { SkippedRow } from './context.js';
import { polygonFetchers } from './fetchers.js';

// 2026-03-02 10:00 New York.
const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const INGESTED = '2026-03-02T15:00:00.000Z';
const KEY = 'TESTKEY-POLY-9f8e7d6c5b';
const BASE = 'http://127.0.0.1:9200/polygon';
const CONTRACTS = `${BASE}/v3/reference/options/contracts`;

function fixture(name: string, status = 200): Response {
  return new Response(fixtureText('polygon', name), { status, headers: { 'content-type': 'application/json' } });
}

function setup(respond: Responder, start = START) {
  const fake = fakeFetch(respond);
  const skipped: SkippedRow[] = [];
  const client = createPolygonClient({
    apiKey: KEY,
    clock: new VirtualClock({ start }),
    baseUrl: BASE,
    onSkip: (row) => skipped.push(row),
    http: { fetch: fake.fetch, random: createSeededRandom(3), maxRetries: 2 },
  });
  return { fake, client, skipped };
}

function expectAuthOnEveryRequest(fake: ReturnType<typeof fakeFetch>): void {
  expect(fake.seen.length).toBeGreaterThan(0);
  for (const seen of fake.seen) {
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.url).not.toContain(KEY);
    expect(seen.url).not.toMatch(/apikey/i);
  }
}

const american = (uri: string | undefined, asOf: string) => ({ style: 'american', shares_per_contract: 100, as_of: asOf, source_name: 'polygon', source_uri: uri, ingested_at: INGESTED });

describe('Polygon fetchOptionContracts', () => {
  it('maps the docs example (incl. the adjusted contract with additional_underlyings), as_of = the clock’s New York date', async () => {
    const { client, fake } = setup(() => fixture('options_contracts_docs_example.json'));
    const rows = await client.fetchOptionContracts({ underlying: 'AAPL' });
    const url = `${CONTRACTS}?underlying_ticker=AAPL&expired=false&as_of=2026-03-02&limit=1000`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectAuthOnEveryRequest(fake);
    expect(rows).toEqual([
      { contract: 'AAPL211119C00085000', underlying: 'AAPL', expiration: '2021-11-19', strike: 85, right: 'C', ...american(url, '2026-03-02') },
      { contract: 'AAPL211119C00090000', underlying: 'AAPL', expiration: '2021-11-19', strike: 90, right: 'C', ...american(url, '2026-03-02') },
    ]);
  });

  it('takes as_of from the New York date, not the UTC date, of the clock', async () => {
    const { fake, client } = setup(() => fixture('options_contracts_docs_example.json'), Date.UTC(2026, 2, 3, 2, 0, 0)); // 21:00 EST on the 2nd
    const rows = await client.fetchOptionContracts({ underlying: 'AAPL' });
    expect(new URL(fake.seen[0]?.url ?? '').searchParams.get('as_of')).toBe('2026-03-02');
    expect(rows.map((r) => r.as_of)).toEqual(['2026-03-02', '2026-03-02']);
  });

  it('follows next_url re-based onto the configured host with the auth header re-attached', async () => {
    const { client, fake } = setup((url) => (url.searchParams.has('cursor') ? fixture('options_contracts_docs_example.json') : fixture('options_contracts_page1_next_url.json')));
    const rows = await client.fetchOptionContracts({ underlying: 'A', asOf: '2022-05-01', expired: true });
    const page1 = `${CONTRACTS}?underlying_ticker=A&expired=true&as_of=2022-05-01&limit=1000`;
    const cursor = new URL((fixtureJson('polygon', 'options_contracts_page1_next_url.json') as { next_url: string }).next_url).search;
    expect(cursor).toBe('?cursor=YXA9JTdCJTIySUQlMjIlM0ElMjIy');
    const page2 = `${CONTRACTS}${cursor}`;
    expect(fake.seen.map((s) => s.url)).toEqual([page1, page2]);
    expectAuthOnEveryRequest(fake);
    expect(rows).toHaveLength(12);
    expect(rows.slice(0, 10).map((r) => [r.contract, r.underlying, r.expiration, r.strike, r.right, r.style, r.shares_per_contract, r.as_of, r.source_uri])).toEqual(
      [65, 70, 75, 80, 85, 90, 95, 100, 105, 110].map((strike) => [
        `A220520C${String(strike * 1000).padStart(8, '0')}`,
        'A',
        '2022-05-20',
        strike,
        'C',
        'american',
        100,
        '2022-05-01',
        page1,
      ]),
    );
    expect(rows.slice(10).map((r) => [r.contract, r.as_of, r.source_uri])).toEqual([
      ['AAPL211119C00085000', '2022-05-01', page2],
      ['AAPL211119C00090000', '2022-05-01', page2],
    ]);
    for (const row of rows) expect(row.source_uri).not.toContain(KEY);
  });

  it('maps put, european style and odd deliverables; skips junk tickers and unknown types; dedupes', async () => {
    const base = { underlying_ticker: 'SPX', expiration_date: '2024-06-21', strike_price: 5000, shares_per_contract: 100, exercise_style: 'european' };
    const body = {
      status: 'OK',
      results: [
        { ...base, ticker: 'O:SPXW240621P05000000', contract_type: 'put' },
        { ...base, ticker: 'O:SPXW240621P05000000', contract_type: 'put' },
        { ...base, ticker: 'O:SPX240621C05000000', contract_type: 'call', exercise_style: null, shares_per_contract: null },
        { ...base, ticker: 'O:SPX240621X05000000', contract_type: 'other' },
        { ...base, ticker: 'O:\u0000BAD', contract_type: 'call' },
      ],
    };
    const { client, skipped } = setup(() => jsonResponse(body));
    const rows = await client.fetchOptionContracts({ underlying: 'SPX', asOf: '2024-06-03' });
    expect(rows.map((r) => [r.contract, r.underlying, r.right, r.style, r.shares_per_contract])).toEqual([
      ['SPXW240621P05000000', 'SPX', 'P', 'european', 100],
      ['SPX240621C05000000', 'SPX', 'C', null, null],
    ]);
    expect(skipped).toEqual([
      { endpoint: 'polygon.options.contracts', value: '"O:SPX240621X05000000"', reason: 'contract_type "other" is neither call nor put' },
      { endpoint: 'polygon.options.contracts', value: '"O:\\u0000BAD"', reason: 'ticker is not an OCC option symbol' },
    ]);
  });

  it('returns no rows when results is absent', async () => {
    const { client } = setup(() => jsonResponse({ status: 'OK', request_id: 'x' }));
    expect(await client.fetchOptionContracts({ underlying: 'ZZZZ' })).toEqual([]);
  });

  it('treats a retyped strike as schema drift', async () => {
    const { client } = setup(() => jsonResponse({ status: 'OK', results: [{ ticker: 'O:A220520C00065000', underlying_ticker: 'A', contract_type: 'call', expiration_date: '2022-05-20', strike_price: '65' }] }));
    await expect(client.fetchOptionContracts({ underlying: 'A' })).rejects.toThrow(Malformed);
  });

  it('maps a plan without options (403 NOT_AUTHORIZED) to a capability EntitlementDenied, once, key nowhere', async () => {
    const { client, fake } = setup(() => fixture('error_403_not_authorized_entitlement.json', 403));
    const error = await client.fetchOptionContracts({ underlying: 'AAPL' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expect((error as EntitlementDenied).endpoint).toBe('polygon.options.contracts');
    expect(fake.seen).toHaveLength(1);
    const e = error as Error;
    for (const text of [e.message, String(e), JSON.stringify(e), e.stack ?? '']) expect(text).not.toContain(KEY);
  });

  it('refuses a bad underlying or as_of before any request', async () => {
    const { client, fake } = setup(() => jsonResponse({}));
    await expect(client.fetchOptionContracts({ underlying: 'aapl/x' })).rejects.toThrow(BadRequest);
    await expect(client.fetchOptionContracts({ underlying: 'AAPL', asOf: '2024-02-30' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('Polygon fetchOptionContract', () => {
  it('maps the single-contract fixture, asking for O:… url-encoded with as_of', async () => {
    const { client, fake } = setup(() => fixture('options_contract_single.json'));
    const row = await client.fetchOptionContract('EVRI240119C00002500', { asOf: '2023-12-01' });
    const url = `${CONTRACTS}/O%3AEVRI240119C00002500?as_of=2023-12-01`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectAuthOnEveryRequest(fake);
    expect(row).toEqual({ contract: 'EVRI240119C00002500', underlying: 'EVRI', expiration: '2024-01-19', strike: 2.5, right: 'C', ...american(url, '2023-12-01') });
  });

  it('rejects an answer about another contract, and maps 404 to NotFound', async () => {
    const { client } = setup(() => fixture('options_contract_single.json'));
    await expect(client.fetchOptionContract('O:EVRI240119C00005000')).rejects.toThrow(Malformed);
    const { client: missing } = setup(() => jsonResponse({ status: 'NOT_FOUND', request_id: 'x', message: 'Contract not found.' }, 404));
    await expect(missing.fetchOptionContract('EVRI240119C00005000')).rejects.toThrow(NotFound);
    await expect(missing.fetchOptionContract('EVRI')).rejects.toThrow(BadRequest);
  });
});

describe('polygonFetchers: polygon.options.contracts', () => {
  const fetcher = polygonFetchers.find((f) => f.endpoint === 'polygon.options.contracts') as
    | { dataset: string; needs: readonly string[]; fetch(client: PolygonClient, args: FetchArgs): Promise<Record<string, unknown>[]> }
    | undefined;

  it('is registered for options_contracts and needs --symbols', async () => {
    expect([fetcher?.dataset, fetcher?.needs]).toEqual(['options_contracts', ['symbols']]);
    const { client, fake } = setup(() => jsonResponse({}));
    await expect(fetcher?.fetch(client, { date: '2024-06-03' })).rejects.toThrow(/needs --symbols/);
    expect(fake.seen).toHaveLength(0);
  });

  it('lists the live contracts of each underlying as of --date', async () => {
    const { client, fake } = setup(() => fixture('options_contracts_docs_example.json'));
    const rows = await fetcher?.fetch(client, { symbols: ['AAPL', 'MSFT'], date: '2021-11-01' });
    expect(fake.seen.map((s) => s.url)).toEqual([
      `${CONTRACTS}?underlying_ticker=AAPL&expired=false&as_of=2021-11-01&limit=1000`,
      `${CONTRACTS}?underlying_ticker=MSFT&expired=false&as_of=2021-11-01&limit=1000`,
    ]);
    expect(rows?.map((r) => [r.contract, r.as_of])).toEqual([
      ['AAPL211119C00085000', '2021-11-01'],
      ['AAPL211119C00090000', '2021-11-01'],
      ['AAPL211119C00085000', '2021-11-01'],
      ['AAPL211119C00090000', '2021-11-01'],
    ]);
  });
});
