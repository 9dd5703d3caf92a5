import { optionContracts, optionUnderlyings, type SandboxOptionContract } from '../market/index.js';
import { isIsoDate, round6 } from '../shared/dates.js';
import { stableHex } from '../shared/ids.js';
import type { EmulatorResponse } from '../shared/http.js';
import { ENTITLEMENT_MESSAGE, notAuthorized, type PolygonContext } from './context.js';
import { referenceList, v3Order, type Fields } from './reference.js';

/** One row, keys in the vendor's (alphabetical) order. */
interface ContractRow {
  cfi: string;
  contract_type: 'call' | 'put';
  exercise_style: 'american';
  expiration_date: string;
  primary_exchange: string;
  shares_per_contract: number;
  strike_price: number;
  ticker: string;
  underlying_ticker: string;
}

const FIELDS: Fields<ContractRow> = {
  ticker: { kind: 'string', get: (r) => r.ticker, ranges: true },
  underlying_ticker: { kind: 'string', get: (r) => r.underlying_ticker, ranges: true },
  contract_type: { kind: 'string', get: (r) => r.contract_type },
  expiration_date: { kind: 'string', get: (r) => r.expiration_date, ranges: true },
  strike_price: { kind: 'number', get: (r) => r.strike_price, ranges: true },
};
const SORTABLE = ['ticker', 'underlying_ticker', 'expiration_date', 'strike_price'];
/** Option venues (MICs) a listing is attributed to. */
const VENUES = ['BATO', 'XCBO', 'ARCO', 'XISX', 'AMXO'];

/**
 * `GET /v3/reference/options/contracts`: the generator's contracts as of `as_of` (default today),
 * live ones (listed by then, expiring on or after it) or with `expired=true` those expired by
 * then; nothing listed after today. Tickers carry the `O:` prefix; `shares_per_contract` is 100,
 * times the split ratio for a contract that lived through a split (the generator's deliverable).
 * Refused with the entitlement 403 when the plan has no options.
 */
export function optionsContracts(query: URLSearchParams, ctx: PolygonContext, entitled: boolean): EmulatorResponse {
  if (!entitled) return notAuthorized(ENTITLEMENT_MESSAGE, ctx.requestId);
  // The default as_of is pinned into the cursor, so a walk that spans midnight stays on one day.
  const pinned = new URLSearchParams(query);
  if (!pinned.has('cursor') && !pinned.has('as_of')) pinned.set('as_of', ctx.today);
  return referenceList(
    {
      path: '/v3/reference/options/contracts',
      fields: FIELDS,
      defaultLimit: 10,
      maxLimit: 1000,
      order: v3Order(SORTABLE, 'ticker', 'asc', 'ticker'),
      rows: (params) => contractRows(params, ctx),
      render: (r) => ({ ...r }),
    },
    pinned,
    ctx,
  );
}

function contractRows(params: URLSearchParams, ctx: PolygonContext): ContractRow[] | string {
  const asOf = params.get('as_of') ?? ctx.today;
  if (!isIsoDate(asOf)) return "Could not parse the parameter 'as_of'";
  const expiredText = params.get('expired') ?? 'false';
  if (expiredText !== 'true' && expiredText !== 'false') return "Could not parse the parameter 'expired'";
  const expired = expiredText === 'true';
  // An exact underlying narrows the work; ranges are left to the generic filters.
  const exact = params.get('underlying_ticker');
  const underlyings = exact === null ? optionUnderlyings(ctx.market) : [exact];
  return underlyings.flatMap((u) =>
    optionContracts(ctx.market, u, asOf, { expired })
      .filter((c) => c.listDate <= ctx.today)
      .map((c) => contractRow(c, asOf, ctx)),
  );
}

function contractRow(c: SandboxOptionContract, asOf: string, ctx: PolygonContext): ContractRow {
  const until = c.expiration < asOf ? c.expiration : asOf;
  const ratio = ctx.market
    .splitsOf(c.underlying)
    .filter((s) => s.exDate > c.listDate && s.exDate <= until)
    .reduce((r, s) => r * (s.newShares / s.oldShares), 1);
  return {
    cfi: c.right === 'C' ? 'OCASPS' : 'OPASPS',
    contract_type: c.right === 'C' ? 'call' : 'put',
    exercise_style: 'american',
    expiration_date: c.expiration,
    primary_exchange: VENUES[parseInt(stableHex(`polygon:venue:${c.underlying}`, 4), 16) % VENUES.length] as string,
    shares_per_contract: round6(100 * ratio),
    strike_price: c.strike,
    ticker: `O:${c.contract}`,
    underlying_ticker: c.underlying,
  };
}
