import { describe, expect, it } from 'vitest';
import { EntitlementDenied, Malformed, NotFound, Transient } from '../../http/index.js';
import { jsonResponse } from '../../http/test-support/fake-fetch.js';
import { snapshotSession } from './option-chain.js';
import { fixtureJson, fixtureResponse } from './test-support/fixtures.js';
import { BASE, expectKeyOnlyInHeader, setup } from './test-support/harness.js';

type Contract = Record<string, unknown>;
interface Chain {
  data: { expirationDate: string; options: { CALL: Contract[]; PUT: Contract[] } }[];
}

const RECONSTRUCTED = fixtureJson('option_chain_AAPL_RECONSTRUCTED.json') as Chain;
const CONTRACT = fixtureJson('option_chain_contract_AAPL220121C00110000.json') as Contract;
/** Monday 2026-03-02 16:30 New York, after the close. */
const CAPTURED = '2026-03-02T21:30:00.000Z';

/** A 2025-style contract derived from the verbatim 2020 one: IV as a fraction, greeks not computed. */
function contract(name: string, expiration: string, type: 'CALL' | 'PUT', strike: number, patch: Contract = {}): Contract {
  return { ...CONTRACT, contractName: name, expirationDate: expiration, type, strike, impliedVolatility: 1.2502, delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0, ...patch };
}

function chainOf(groups: Chain['data']): unknown {
  return { code: 'OKLO', exchange: 'US', lastTradeDate: '2025-11-28', lastTradePrice: 110.5, data: groups };
}

describe('Finnhub fetchOptionChain: the reconstructed AAPL chain', () => {
  it('maps every contract nested in every expiry group (not one row per group)', async () => {
    const { client, fake } = setup(() => fixtureResponse('option_chain_AAPL_RECONSTRUCTED.json'));
    const result = await client.fetchOptionChainDetailed('AAPL');
    const url = `${BASE}/stock/option-chain?symbol=AAPL`;
    expect(fake.seen.map((s) => s.url)).toEqual([url]);
    expectKeyOnlyInHeader(fake);
    const expected = RECONSTRUCTED.data.reduce((sum, group) => sum + group.options.CALL.length + group.options.PUT.length, 0);
    expect(result.rows).toHaveLength(expected);
    expect(result.ivUnit).toBe('percent');
    expect(result.skipped).toEqual([]);
    expect([result.asOf, result.date]).toEqual([CAPTURED, '2026-03-02']);
    expect(result.rows[0]).toEqual({
      contract: 'AAPL220121C00110000',
      as_of: CAPTURED,
      underlying: 'AAPL',
      date: '2026-03-02',
      expiration: '2022-01-21',
      strike: 110,
      right: 'C',
      bid: 139,
      ask: 144,
      last: 165.95,
      volume: 1,
      open_interest: 369,
      // 2020 payloads carry IV in percent (52.2919): canonical iv is a fraction.
      iv: 0.522919,
      delta: 0.9329,
      gamma: 0.0008,
      theta: -0.0199,
      vega: 0.4284,
      rho: 1.5616,
      quote_quality: 'vendor',
      indicative: true,
      source_name: 'finnhub',
      source_uri: url,
      ingested_at: CAPTURED,
    });
  });
});

describe('Finnhub fetchOptionChain: a 2025-style chain', () => {
  const groups: Chain['data'] = [
    {
      expirationDate: '2025-12-05',
      options: {
        CALL: [contract('OKLO251205C00100000', '2025-12-05', 'CALL', 100), contract('OKLO251205C00105000', '2025-12-05', 'CALL', 105, { lastPrice: 0 })],
        PUT: [contract('OKLO251205P00100000', '2025-12-05', 'PUT', 100, { lastPrice: null, delta: -0.41, gamma: 0.02, theta: -0.3, vega: 0.05, rho: 0 })],
      },
    },
    {
      expirationDate: '2026-01-16',
      options: { CALL: [contract('OKLO260116C00012500', '2026-01-16', 'CALL', 12.5, { impliedVolatility: 0 })], PUT: [] },
    },
  ];

  it('counts calls plus puts over every expiry and keeps fraction IVs as they are', async () => {
    const { client } = setup(() => jsonResponse(chainOf(groups)));
    const result = await client.fetchOptionChainDetailed('OKLO');
    expect(result.ivUnit).toBe('fraction');
    expect(result.rows).toHaveLength(2 + 1 + 1);
    expect(result.rows.map((r) => [r.contract, r.expiration, r.strike, r.right, r.iv, r.last])).toEqual([
      ['OKLO251205C00100000', '2025-12-05', 100, 'C', 1.2502, 165.95],
      ['OKLO251205C00105000', '2025-12-05', 105, 'C', 1.2502, null],
      ['OKLO251205P00100000', '2025-12-05', 100, 'P', 1.2502, null],
      ['OKLO260116C00012500', '2026-01-16', 12.5, 'C', null, 165.95],
    ]);
  });

  it('stores greeks that are all exactly 0 as null, and keeps a real 0 beside computed ones', async () => {
    const { client } = setup(() => jsonResponse(chainOf(groups)));
    const rows = await client.fetchOptionChain('OKLO');
    const greeks = rows.map((r) => [r.delta, r.gamma, r.theta, r.vega, r.rho]);
    expect(greeks[0]).toEqual([null, null, null, null, null]);
    expect(greeks[2]).toEqual([-0.41, 0.02, -0.3, 0.05, 0]);
  });

  it('skips and reports contracts whose identity does not hold together, keeping the rest', async () => {
    const bad: Chain['data'] = [
      {
        expirationDate: '2025-12-05',
        options: {
          CALL: [
            contract('OKLO251205C00100000', '2025-12-05', 'CALL', 100),
            contract('OKLO251205C00100000', '2025-12-05', 'CALL', 100),
            contract('OKLO251205C00110000', '2025-12-05', 'CALL', 100),
            contract('OKLO251205P00090000', '2025-12-05', 'PUT', 90),
            contract('OKLO-DEC-100-C', '2025-12-05', 'CALL', 100),
          ],
          PUT: [contract('OKLO251212P00095000', '2025-12-12', 'PUT', 95)],
        },
      },
    ];
    const { client, skipped } = setup(() => jsonResponse(chainOf(bad)));
    const result = await client.fetchOptionChainDetailed('OKLO');
    expect(result.rows.map((r) => r.contract)).toEqual(['OKLO251205C00100000']);
    expect(result.skipped.map((s) => [s.value, s.reason])).toEqual([
      ['"OKLO251205C00100000"', 'duplicate contract in one chain'],
      ['"OKLO251205C00110000"', 'name says strike 110, field says 100'],
      ['"OKLO251205P00090000"', 'a PUT listed under CALL'],
      ['"OKLO-DEC-100-C"', 'contract name is not root+YYMMDD+C/P+strike'],
      ['"OKLO251212P00095000"', 'expiration 2025-12-12 inside the 2025-12-05 group'],
    ]);
    expect(skipped).toEqual(result.skipped);
  });
});

describe('Finnhub fetchOptionChain: capture time, not bar time (study B15)', () => {
  it('stamps as_of with the clock and date with the session the capture belongs to', async () => {
    const saturday = Date.UTC(2020, 2, 14, 15, 0);
    const { client } = setup(() => fixtureResponse('option_chain_AAPL_RECONSTRUCTED.json'), { start: saturday });
    const [row] = await client.fetchOptionChain('AAPL');
    expect([row?.as_of, row?.date, row?.ingested_at]).toEqual(['2020-03-14T15:00:00.000Z', '2020-03-13', '2020-03-14T15:00:00.000Z']);
  });

  it('gives pre-market captures the previous session and intraday ones today', () => {
    expect(snapshotSession(Date.UTC(2020, 2, 16, 12, 0))).toBe('2020-03-13'); // Monday 08:00 EDT
    expect(snapshotSession(Date.UTC(2020, 2, 16, 14, 0))).toBe('2020-03-16'); // Monday 10:00 EDT
    expect(snapshotSession(Date.UTC(2020, 2, 14, 3, 45))).toBe('2020-03-13'); // Friday 23:45 EDT
    expect(snapshotSession(Date.UTC(2020, 3, 10, 16, 0))).toBe('2020-04-09'); // Good Friday
  });
});

describe('Finnhub fetchOptionChain: errors', () => {
  it('maps {} (symbol not covered) to NotFound naming the symbol', async () => {
    const { client } = setup(() => jsonResponse({}));
    const error = await client.fetchOptionChain('ZZZZ').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).symbol).toBe('ZZZZ');
  });

  it('rejects drift as Malformed: no data array, or a group read as a contract (the B16 shape)', async () => {
    const noData = setup(() => jsonResponse({ code: 'AAPL', exchange: 'US' }));
    await expect(noData.client.fetchOptionChain('AAPL')).rejects.toThrow(/option chain without a `data` array/);
    const flat = setup(() => jsonResponse({ code: 'AAPL', data: [CONTRACT] }));
    const error = await flat.client.fetchOptionChain('AAPL').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Malformed);
    expect((error as Malformed).reason).toMatch(/^schema mismatch: data\.0\.options: /);
  });

  it('retries an HTML page as Transient on the virtual clock, then maps the chain', async () => {
    const html = () => new Response('<!DOCTYPE html><html>Finnhub</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    let calls = 0;
    const { client, clock } = setup(() => (++calls === 1 ? html() : fixtureResponse('option_chain_AAPL_RECONSTRUCTED.json', 200, { 'content-type': 'text/plain' })));
    const before = clock.now();
    expect(await client.fetchOptionChain('AAPL')).toHaveLength(1);
    expect(calls).toBe(2);
    expect(clock.now()).toBeGreaterThan(before);
  });

  it('surfaces persistent HTML as Transient and a 403 as EntitlementDenied', async () => {
    const html = setup(() => new Response('<html>blocked</html>', { status: 404 }), { maxRetries: 0 });
    await expect(html.client.fetchOptionChain('SPY')).rejects.toThrow(Transient);
    const denied = setup(() => fixtureResponse('error_403_no_access.json', 403));
    await expect(denied.client.fetchOptionChain('SPY')).rejects.toThrow(EntitlementDenied);
    expect(denied.fake.seen).toHaveLength(1);
  });
});
