import type { RowFor } from '../../catalog/index.js';
import { nyDate } from '../../calendar/index.js';
import { BadRequest, buildUrl, type QueryParams } from '../../http/index.js';
import { invariantBroken, lineage, requireDate, type Lineage } from '../shared/index.js';
import { POLYGON_TICKER_RE, pages, type PolygonContext } from './context.js';
import { optionContractResultSchema, optionContractsPageSchema, type OptionContract } from './schemas.js';

const ENDPOINT = 'polygon.options.contracts';
const PATH = '/v3/reference/options/contracts';
export const OPTION_CONTRACTS_PAGE_LIMIT = 1_000;
/** An OCC symbol once `O:` is stripped: root, yymmdd, C/P, strike × 1000 on 8 digits. */
const OCC_RE = /^[A-Z0-9]{1,6}\d{6}[CP]\d{8}$/;
const RIGHTS: Record<string, 'C' | 'P'> = { call: 'C', put: 'P' };

type ContractRow = RowFor<'options_contracts'>;

export interface PolygonOptionContractsParams {
  /** `underlying_ticker`; omitting it lists the whole market (thousands of pages at 5/min). */
  underlying?: string;
  /** `true` lists contracts that had expired by `asOf`. @default false */
  expired?: boolean;
  /** `YYYY-MM-DD`, contracts as they stood that day; always sent. @default the clock's New York date */
  asOf?: string;
  signal?: AbortSignal;
}

/**
 * `GET /v3/reference/options/contracts?underlying_ticker=…&expired=…&as_of=…&limit=1000`, every
 * page through next_url (re-based onto the configured host, auth header re-sent). Each row: the
 * contract without `O:`, the query's as_of, underlying, expiration, strike, right (call → C,
 * put → P), style (exercise_style) and shares_per_contract. A row whose ticker is not an OCC symbol
 * or whose type is neither call nor put is skipped and reported to onSkip. A plan without options
 * answers 403 NOT_AUTHORIZED: a capability-scoped EntitlementDenied from the classifier.
 */
export async function fetchOptionContracts(ctx: PolygonContext, params: PolygonOptionContractsParams): Promise<ContractRow[]> {
  const { query, asOf } = contractsQuery(ctx, params);
  const rows = new Map<string, ContractRow>();
  for await (const result of pages(ctx, buildUrl(ctx.baseUrl, PATH, query), { endpoint: ENDPOINT, schema: optionContractsPageSchema, signal: params.signal })) {
    const origin = lineage('polygon', result.redactedUrl, ctx.clock);
    for (const c of result.body.results ?? []) {
      const row = contractRow(ctx, c, asOf, origin);
      if (row !== undefined && !rows.has(row.contract)) rows.set(row.contract, row);
    }
  }
  return [...rows.values()];
}

/**
 * `GET /v3/reference/options/contracts/O:{contract}?as_of=…`: one contract (an `O:` prefix on the
 * argument is optional). Unknown → NotFound from the classifier.
 */
export async function fetchOptionContract(ctx: PolygonContext, contract: string, options: { asOf?: string; signal?: AbortSignal } = {}): Promise<ContractRow> {
  const bare = contract.startsWith('O:') ? contract.slice(2) : contract;
  if (!OCC_RE.test(bare)) throw new BadRequest(`invalid option contract ${JSON.stringify(contract)}`, { vendor: 'polygon', endpoint: ENDPOINT });
  const asOf = asOfDate(ctx, options.asOf);
  const url = buildUrl(ctx.baseUrl, `${PATH}/${encodeURIComponent(`O:${bare}`)}`, { as_of: asOf });
  const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: optionContractResultSchema, signal: options.signal });
  const row = contractRow(ctx, result.body.results, asOf, lineage('polygon', result.redactedUrl, ctx.clock));
  if (row === undefined || row.contract !== bare) throw invariantBroken(result, 'polygon', ENDPOINT, `asked for ${bare}, got ${JSON.stringify(result.body.results.ticker)}`);
  return row;
}

function contractRow(ctx: PolygonContext, c: OptionContract, asOf: string, origin: Lineage): ContractRow | undefined {
  const contract = c.ticker.startsWith('O:') ? c.ticker.slice(2) : c.ticker;
  const right = RIGHTS[c.contract_type.toLowerCase()];
  if (!OCC_RE.test(contract) || right === undefined) {
    const reason = right === undefined ? `contract_type ${JSON.stringify(c.contract_type)} is neither call nor put` : 'ticker is not an OCC option symbol';
    ctx.onSkip({ endpoint: ENDPOINT, value: JSON.stringify(c.ticker), reason });
    return undefined;
  }
  return {
    contract,
    as_of: asOf,
    underlying: c.underlying_ticker,
    expiration: c.expiration_date,
    strike: c.strike_price,
    right,
    style: c.exercise_style || null,
    shares_per_contract: c.shares_per_contract ?? null,
    ...origin,
  };
}

function contractsQuery(ctx: PolygonContext, params: PolygonOptionContractsParams): { query: QueryParams; asOf: string } {
  if (params.underlying !== undefined && !POLYGON_TICKER_RE.test(params.underlying)) {
    throw new BadRequest(`invalid underlying ticker ${JSON.stringify(params.underlying)}`, { vendor: 'polygon', endpoint: ENDPOINT });
  }
  const asOf = asOfDate(ctx, params.asOf);
  return { query: { underlying_ticker: params.underlying, expired: params.expired ?? false, as_of: asOf, limit: OPTION_CONTRACTS_PAGE_LIMIT }, asOf };
}

function asOfDate(ctx: PolygonContext, asOf: string | undefined): string {
  return asOf === undefined ? nyDate(ctx.clock.now()) : requireDate(asOf, 'asOf', 'polygon', ENDPOINT);
}
