import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { fixtureJson } from '../shared/test-support/fixtures.js';
import { optionSnapshotSession } from './option-chain.js';
import { DATA, expectHeaderAuth, expectNoKeys, fixture, renderError, setupAlpaca } from './test-support/setup.js';

// Thursday 2024-04-25, 16:05 New York (EDT): after that session's close.
const T0 = Date.UTC(2024, 3, 25, 20, 5, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const withToken = (name: string, token: string) => jsonResponse({ ...(fixtureJson('alpaca', name) as Record<string, unknown>), next_page_token: token });
const lineageOf = (uri: string | undefined, at: number) => ({ source_name: 'alpaca', source_uri: uri, ingested_at: iso(at) });

describe('Alpaca fetchOptionChain', () => {
  it('maps the greeks snapshot and the chain page across two pages, each stamped with its own capture instant', async () => {
    let page2Calls = 0;
    const { client, fake } = setupAlpaca((url) => {
      if (!url.searchParams.has('page_token')) return withToken('option_snapshots_with_greeks.json', 'CHAIN-P2');
      // The second page is rate limited once: it is captured 30 s after the first.
      if (page2Calls++ === 0) return jsonResponse({ message: 'rate limit exceeded' }, 429, { 'X-RateLimit-Reset': String(T0 / 1000 + 30) });
      return fixture('option_chain_last_page.json');
    }, T0);
    const rows = await client.fetchOptionChain({ underlying: 'AAPL' });
    const page1 = `${DATA}/v1beta1/options/snapshots/AAPL?feed=indicative&limit=1000`;
    expect(fake.seen.map((s) => s.url)).toEqual([page1, `${page1}&page_token=CHAIN-P2`, `${page1}&page_token=CHAIN-P2`]);
    expectHeaderAuth(fake.seen);
    const T1 = T0 + 30_000;
    expect(rows).toEqual([
      {
        contract: 'AAPL240126P00050000',
        as_of: iso(T0),
        underlying: 'AAPL',
        date: '2024-04-25',
        expiration: '2024-01-26',
        strike: 50,
        right: 'P',
        bid: 0.48,
        ask: 0.59,
        last: 0.52,
        volume: null, // no dailyBar
        open_interest: null,
        iv: 0.3160291785379539,
        delta: 0.6742666141545315,
        gamma: 0.027997890141030567,
        theta: -0.12579419566886865,
        vega: 0.1466720335488638,
        rho: 0.06118767991284862,
        quote_quality: 'indicative',
        indicative: true,
        ...lineageOf(page1, T0),
      },
      {
        contract: 'AAPL240503P00155000',
        as_of: iso(T1),
        underlying: 'AAPL',
        date: '2024-04-25',
        expiration: '2024-05-03',
        strike: 155,
        right: 'P',
        bid: 0.32,
        ask: 0.35,
        last: 0.34,
        volume: null,
        open_interest: null,
        iv: 0.4584478444465036,
        delta: -0.06962352623019707,
        gamma: 0.012407748296130911,
        theta: -0.10116067021921063,
        vega: 0.03143087569879542,
        rho: -0.00233165154510125,
        quote_quality: 'indicative',
        indicative: true,
        ...lineageOf(`${page1}&page_token=CHAIN-P2`, T1),
      },
    ]);
    for (const row of rows) expectNoKeys(row.source_uri);
  });

  it('maps a snapshot holding only latestQuote: bid/ask, everything else null', async () => {
    const { client } = setupAlpaca(() => fixture('option_snapshots_latest_quote_only.json'), T0);
    const [row] = await client.fetchOptionChain({ underlying: 'AAPL' });
    expect(row).toMatchObject({ contract: 'AAPL240126P00050000', expiration: '2024-01-26', strike: 50, right: 'P', bid: 0.48, ask: 0.59 });
    expect([row?.last, row?.volume, row?.open_interest, row?.iv, row?.delta, row?.gamma, row?.theta, row?.vega, row?.rho]).toEqual([null, null, null, null, null, null, null, null, null]);
  });

  it("takes volume from dailyBar only when that bar is the row's session; skips null snapshots", async () => {
    const dailyBar = (t: string) => ({ t, o: 1, h: 1.2, l: 0.9, c: 1.1, v: 321, n: 12, vw: 1.05 });
    const body = {
      snapshots: {
        AAPL240503C00170000: { dailyBar: dailyBar('2024-04-25T04:00:00Z'), latestTrade: { p: 1.1, s: 1, t: '2024-04-25T19:59:00Z', x: 'C', c: 'I' } },
        AAPL240503C00175000: { dailyBar: dailyBar('2024-04-24T04:00:00Z') },
        AAPL240503C00180000: null,
      },
      next_page_token: null,
    };
    const { client } = setupAlpaca(() => jsonResponse(body), T0);
    const rows = await client.fetchOptionChain({ underlying: 'AAPL' });
    expect(rows.map((r) => [r.contract, r.right, r.strike, r.volume, r.last, r.bid])).toEqual([
      ['AAPL240503C00170000', 'C', 170, 321, 1.1, null],
      ['AAPL240503C00175000', 'C', 175, null, null, null],
    ]);
  });

  it('stamps a weekend capture with the last session, never an older partition (B15)', async () => {
    const saturday = Date.UTC(2024, 3, 27, 15, 0, 0);
    const { client } = setupAlpaca(() => fixture('option_chain_last_page.json'), saturday);
    const [row] = await client.fetchOptionChain({ underlying: 'AAPL' });
    expect([row?.as_of, row?.date]).toEqual(['2024-04-27T15:00:00.000Z', '2024-04-26']);
  });

  it('sends the expiration filters and the feed, and rejects a contract outside them', async () => {
    const { client, fake } = setupAlpaca(() => fixture('option_chain_last_page.json'), T0);
    const rows = await client.fetchOptionChain({ underlying: 'BRK-B', feed: 'opra', expirationFrom: '2024-05-01', expirationTo: '2024-05-31', limit: 250 });
    expect(fake.seen[0]?.url).toBe(`${DATA}/v1beta1/options/snapshots/BRK.B?feed=opra&limit=250&expiration_date_gte=2024-05-01&expiration_date_lte=2024-05-31`);
    expect(rows.map((r) => [r.underlying, r.quote_quality, r.indicative])).toEqual([['BRK.B', 'opra', false]]);
    const error = await client.fetchOptionChain({ underlying: 'AAPL', expirationFrom: '2024-05-06' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toBe('AAPL240503P00155000 expires 2024-05-03, outside the requested expirations');
  });

  it('rejects a snapshot keyed by something that is not an OCC symbol', async () => {
    const { client } = setupAlpaca(() => jsonResponse({ snapshots: { AAPL: { latestQuote: { bp: 1, ap: 2, t: '2024-04-25T19:00:00Z' } } } }), T0);
    await expect(client.fetchOptionChain({ underlying: 'AAPL' })).rejects.toThrow(/not an OCC option symbol/);
  });

  it('treats a retyped quote as schema drift', async () => {
    const { client } = setupAlpaca(() => jsonResponse({ snapshots: { AAPL240503P00155000: { latestQuote: { bp: '0.32', ap: 0.35, t: '2024-04-25T19:00:00Z' } } } }), T0);
    const error = await client.fetchOptionChain({ underlying: 'AAPL' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/snapshots\.AAPL240503P00155000\.latestQuote\.bp/);
  });

  it('refuses bad input before any request', async () => {
    const { client, fake } = setupAlpaca(() => jsonResponse({ snapshots: {} }), T0);
    for (const params of [
      { underlying: 'BRK/B' },
      { underlying: '' },
      { underlying: 'AAPL', limit: 1001 },
      { underlying: 'AAPL', expirationFrom: '2024-02-30' },
      { underlying: 'AAPL', expirationFrom: '2024-06-01', expirationTo: '2024-05-01' },
      { underlying: 'AAPL', feed: 'sip' as unknown as 'opra' },
    ]) {
      await expect(client.fetchOptionChain(params)).rejects.toThrow(BadRequest);
    }
    expect(fake.seen).toHaveLength(0);
  });

  it('maps an OPRA subscription 403 to a capability EntitlementDenied, keys nowhere', async () => {
    const { client } = setupAlpaca(() => jsonResponse({ message: 'subscription does not permit querying OPRA data' }, 403), T0);
    const error = await client.fetchOptionChain({ underlying: 'AAPL', feed: 'opra' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntitlementDenied);
    expect((error as EntitlementDenied).scope).toBe('capability');
    expectNoKeys(renderError(error));
  });
});

describe('optionSnapshotSession', () => {
  it('is the day’s session once it has opened, else the previous session', () => {
    expect(optionSnapshotSession(Date.UTC(2024, 3, 29, 13, 29))).toBe('2024-04-26'); // Mon 09:29 EDT: before the open
    expect(optionSnapshotSession(Date.UTC(2024, 3, 29, 13, 30))).toBe('2024-04-29'); // Mon 09:30 EDT
    expect(optionSnapshotSession(Date.UTC(2024, 3, 25, 23, 30))).toBe('2024-04-25'); // Thu 19:30 EDT
    expect(optionSnapshotSession(Date.UTC(2024, 3, 26, 3, 30))).toBe('2024-04-25'); // Thu 23:30 EDT, already Friday in UTC
    expect(optionSnapshotSession(Date.UTC(2024, 3, 28, 12, 0))).toBe('2024-04-26'); // Sunday
    expect(optionSnapshotSession(Date.UTC(2024, 6, 4, 16, 0))).toBe('2024-07-03'); // Independence Day
    expect(optionSnapshotSession(Date.UTC(2024, 0, 2, 14, 30))).toBe('2024-01-02'); // 09:30 EST
  });
});
