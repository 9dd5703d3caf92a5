import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionContracts, optionUnderlyings, type SandboxOptionContract } from '../market/index.js';
import { LAST_SESSION, pathOf, startHarness, type Harness } from '../test-support/harness.js';
import { fixtureJson, shapeOf } from './test-support/fixtures.js';

interface ContractRow {
  cfi: string;
  contract_type: string;
  exercise_style: string;
  expiration_date: string;
  primary_exchange: string;
  shares_per_contract: number;
  strike_price: number;
  ticker: string;
  underlying_ticker: string;
}
interface ListBody {
  results: ContractRow[];
  status: string;
  request_id: string;
  count: number;
  next_url?: string;
}

const PATH = '/v3/reference/options/contracts';
const KEY = 'polysecret';
let h: Harness;
let underlyings: string[];

beforeAll(async () => {
  h = await startHarness({ plans: { polygon: { requestsPerMinute: Infinity } } });
  underlyings = optionUnderlyings(h.market);
});
afterAll(() => h.sandbox.close());

async function walk(query: string): Promise<{ rows: ContractRow[]; urls: string[]; pages: number[] }> {
  const rows: ContractRow[] = [];
  const urls: string[] = [];
  const pages: number[] = [];
  let next: string | undefined = `${PATH}?${query}`;
  while (next !== undefined) {
    const reply = await h.polygon(next, { key: KEY });
    expect(reply.status).toBe(200);
    const body = reply.json<ListBody>();
    expect(body.status).toBe('OK');
    rows.push(...body.results);
    pages.push(body.results.length);
    if (body.next_url !== undefined) urls.push(body.next_url);
    next = body.next_url === undefined ? undefined : pathOf(body.next_url);
  }
  return { rows, urls, pages };
}

const tickerOf = (c: SandboxOptionContract): string => `O:${c.contract}`;
const sorted = (xs: string[]): string[] => [...xs].sort();

describe('GET /v3/reference/options/contracts', () => {
  it("pages every live contract of today exactly once through keyless next_url links on api.massive.com", async () => {
    const { rows, urls, pages } = await walk('limit=250');
    const expected = underlyings.flatMap((u) => optionContracts(h.market, u, LAST_SESSION)).map(tickerOf);
    expect(expected.length).toBeGreaterThan(1000);
    expect(rows.map((r) => r.ticker)).toEqual(sorted(expected));
    expect(pages.slice(0, -1).every((n) => n === 250)).toBe(true);
    for (const url of urls) {
      expect(url.startsWith('https://api.massive.com/v3/reference/options/contracts?cursor=')).toBe(true);
      expect(url).not.toContain('apiKey');
      expect(url).not.toContain(KEY);
    }
    expect(urls).toHaveLength(pages.length - 1);
  });

  it('has the fields and types of the vendor fixtures, O:-prefixed, 100 shares a contract', async () => {
    const u = underlyings[2]!;
    const body = (await h.polygon(`${PATH}?underlying_ticker=${u}`)).json<ListBody>();
    expect(body.results).toHaveLength(10);
    const fixtureRow = fixtureJson<{ results: unknown[] }>('options_contracts_page1_next_url.json').results[0];
    const docsRow = fixtureJson<{ results: unknown[] }>('options_contracts_docs_example.json').results[0];
    for (const row of body.results) {
      expect(shapeOf(row)).toEqual(shapeOf(fixtureRow));
      expect(shapeOf(row)).toEqual(shapeOf(docsRow));
      expect(row.ticker).toMatch(/^O:[A-Z0-9]{1,6}\d{6}[CP]\d{8}$/);
      expect(row).toMatchObject({ underlying_ticker: u, exercise_style: 'american', shares_per_contract: 100 });
      expect(row.cfi).toBe(row.contract_type === 'call' ? 'OCASPS' : 'OPASPS');
    }
    const truth = new Map(optionContracts(h.market, u, LAST_SESSION).map((c) => [tickerOf(c), c]));
    for (const row of body.results) {
      const c = truth.get(row.ticker)!;
      expect([row.expiration_date, row.strike_price, row.contract_type]).toEqual([c.expiration, c.strike, c.right === 'C' ? 'call' : 'put']);
    }
    expect(Object.keys(body).sort()).toEqual(['count', 'next_url', 'request_id', 'results', 'status']);
  });

  it('filters by underlying, type, expiration and strike ranges, and sorts on request', async () => {
    const u = underlyings[0]!;
    const all = optionContracts(h.market, u, LAST_SESSION);
    const expirations = [...new Set(all.map((c) => c.expiration))].sort();
    const strikes = all.map((c) => c.strike).sort((a, b) => a - b);
    const mid = strikes[Math.floor(strikes.length / 2)]!;
    const cases: Array<[string, (c: SandboxOptionContract) => boolean]> = [
      [`underlying_ticker=${u}&contract_type=put`, (c) => c.right === 'P'],
      [`underlying_ticker=${u}&expiration_date=${expirations[0]!}`, (c) => c.expiration === expirations[0]],
      [`underlying_ticker=${u}&expiration_date.gte=${expirations[1]!}&expiration_date.lte=${expirations[2]!}`, (c) => c.expiration >= expirations[1]! && c.expiration <= expirations[2]!],
      [`underlying_ticker=${u}&strike_price.gt=${mid}&contract_type=call`, (c) => c.strike > mid && c.right === 'C'],
    ];
    for (const [query, keep] of cases) {
      const { rows } = await walk(`${query}&limit=1000`);
      expect(rows.map((r) => r.ticker)).toEqual(sorted(all.filter(keep).map(tickerOf)));
    }
    const byStrike = await walk(`underlying_ticker=${u}&sort=strike_price&order=desc&limit=1000`);
    const got = byStrike.rows.map((r) => r.strike_price);
    expect(got).toEqual([...got].sort((a, b) => b - a));
    expect(byStrike.rows).toHaveLength(all.length);
    const other = await walk(`underlying_ticker.gte=${underlyings.at(-2)!}&limit=1000`);
    expect(new Set(other.rows.map((r) => r.underlying_ticker))).toEqual(new Set(underlyings.slice(-2)));
  });

  it('lists expired contracts with expired=true as of a date, apart from the live ones', async () => {
    const asOf = '2025-06-30';
    // The underlying with the most expired contracts, so the listing spans several pages.
    const u = [...underlyings].sort((a, b) => optionContracts(h.market, b, asOf, { expired: true }).length - optionContracts(h.market, a, asOf, { expired: true }).length)[0]!;
    const { rows } = await walk(`underlying_ticker=${u}&expired=true&as_of=${asOf}&limit=1000`);
    const expected = optionContracts(h.market, u, asOf, { expired: true });
    expect(expected.length).toBeGreaterThan(1000);
    expect(rows.map((r) => r.ticker)).toEqual(sorted(expected.map(tickerOf)));
    expect(rows.every((r) => r.expiration_date <= asOf)).toBe(true);
    const live = await walk(`underlying_ticker=${u}&as_of=${asOf}&limit=1000`);
    expect(live.rows.map((r) => r.ticker)).toEqual(sorted(optionContracts(h.market, u, asOf).map(tickerOf)));
    expect(live.rows.every((r) => r.expiration_date >= asOf)).toBe(true);
    const liveSet = new Set(live.rows.map((r) => r.ticker));
    expect(rows.filter((r) => r.expiration_date < asOf).some((r) => liveSet.has(r.ticker))).toBe(false);
  });

  it('shows the adjusted deliverable of contracts that lived through a split', async () => {
    const split = underlyings.flatMap((u) => h.market.splitsOf(u)).find((s) => s.exDate < LAST_SESSION)!;
    const asOf = split.exDate;
    const { rows } = await walk(`underlying_ticker=${split.symbol}&as_of=${asOf}&limit=1000`);
    const contracts = new Map(optionContracts(h.market, split.symbol, asOf).map((c) => [tickerOf(c), c]));
    const ratio = split.newShares / split.oldShares;
    expect(rows.some((r) => r.shares_per_contract !== 100)).toBe(true);
    for (const r of rows) expect(r.shares_per_contract).toBe(contracts.get(r.ticker)!.listDate < asOf ? 100 * ratio : 100);
  });

  it('defaults to 10 a page, caps limit at 1000 and rejects bad parameters', async () => {
    expect((await h.polygon(PATH)).json<ListBody>().results).toHaveLength(10);
    expect((await h.polygon(`${PATH}?limit=5000`)).json<ListBody>().results).toHaveLength(1000);
    for (const bad of ['expired=maybe', 'as_of=2025-02-30', 'sort=cfi', 'strike_price.gte=abc']) {
      const reply = await h.polygon(`${PATH}?${bad}`);
      expect(reply.status).toBe(400);
      expect(reply.json<{ status: string }>().status).toBe('ERROR');
    }
  });

  it('answers the NOT_AUTHORIZED entitlement body when the plan has no options', async () => {
    const stocksOnly = await startHarness({ plans: { polygon: { optionsEntitled: false } } });
    try {
      const reply = await stocksOnly.polygon(`${PATH}?underlying_ticker=${underlyings[0]!}`);
      expect(reply.status).toBe(403);
      const body = reply.json<{ status: string; request_id: string; message: string }>();
      const fixture = fixtureJson<{ status: string; message: string }>('error_403_not_authorized_entitlement.json');
      expect(shapeOf(body)).toEqual(shapeOf(fixture));
      expect({ status: body.status, message: body.message }).toEqual({ status: fixture.status, message: fixture.message });
      expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
      expect((await stocksOnly.polygon('/v3/reference/tickers?limit=1')).status).toBe(200);
    } finally {
      await stocksOnly.sandbox.close();
    }
  });
});
