import type { RowFor } from '../../catalog/index.js';
import { nyDate, previousSession, sessionOf } from '../../calendar/index.js';
import { NotFound, buildUrl } from '../../http/index.js';
import { invariantBroken, lineage, type Lineage } from '../shared/index.js';
import { requireSymbol, type FinnhubContext, type FinnhubSkip } from './context.js';
import { optionChainSchema, type OptionContract, type OptionExpiry } from './schemas.js';

const ENDPOINT = 'finnhub.option_chain';
/** A whole chain (every expiry) can be megabytes. */
const OPTION_CHAIN_TIMEOUT_MS = 120_000;

export type OptionChainRow = RowFor<'options_chain'>;

/**
 * Finnhub's chain is a vendor snapshot of undisclosed provenance: not OPRA-labelled, no bid/ask
 * sizes, a snapshot stamped hours after the close, single strikes reported badly wrong (#545, #65).
 * So `quote_quality: 'vendor'` and `indicative: true`: fit for research with QC, not a firm quote.
 */
export const FINNHUB_QUOTE_QUALITY = 'vendor';

/**
 * Finnhub swapped the unit of `impliedVolatility` silently (percent in 2020: 52.29; fraction in
 * 2025: 1.2502). Canonical `iv` is a fraction. A payload is read as percent when the median of its
 * positive IVs exceeds this: no US chain has a median IV under 5 % or over 500 %.
 */
export const IV_PERCENT_THRESHOLD = 5;

export type IvUnit = 'percent' | 'fraction';

export interface FinnhubOptionChainResult {
  rows: OptionChainRow[];
  /** The unit this payload's `impliedVolatility` was read in (persist it beside the rows for QC). */
  ivUnit: IvUnit;
  /** Contracts dropped because their identity did not hold together (also sent to onSkip). */
  skipped: FinnhubSkip[];
  redactedUrl: string;
  /** The capture instant from the injected clock: every row's `as_of`. */
  asOf: string;
  /** Every row's `date`: the New York session the capture instant belongs to. */
  date: string;
}

/**
 * `GET /stock/option-chain?symbol=S` (undocumented; vendors/finnhub.md §3.2): every listed expiry,
 * each group holding `options.CALL[]` and `options.PUT[]`. Every contract becomes one row (the
 * original pipeline took each group for a contract, study B16). The vendor sends no usable quote
 * time, so `as_of` is the capture instant of the injected clock and `date` its session (see
 * snapshotSession): never a bar time (study B15). `{}` means the symbol is not covered: NotFound.
 */
export async function fetchOptionChain(ctx: FinnhubContext, symbol: string, signal?: AbortSignal): Promise<FinnhubOptionChainResult> {
  requireSymbol(symbol, ENDPOINT);
  const url = buildUrl(ctx.baseUrl, '/stock/option-chain', { symbol });
  const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: optionChainSchema, signal, timeoutMs: OPTION_CHAIN_TIMEOUT_MS });
  const { data } = result.body;
  if (data === undefined) {
    if (Object.keys(result.body).length === 0) {
      throw new NotFound(`no option chain for ${symbol} (empty object)`, { vendor: 'finnhub', endpoint: ENDPOINT, status: result.status, url: result.redactedUrl, symbol });
    }
    throw invariantBroken(result, 'finnhub', ENDPOINT, 'option chain without a `data` array');
  }
  const capturedMs = ctx.clock.now();
  const base: RowBase = { underlying: symbol, as_of: new Date(capturedMs).toISOString(), date: snapshotSession(capturedMs), ...lineage('finnhub', result.redactedUrl, ctx.clock) };
  const ivUnit = ivUnitOf(data);
  const { rows, skipped } = contractRows(data, base, ivUnit);
  skipped.forEach(ctx.onSkip);
  return { rows, ivUnit, skipped, redactedUrl: result.redactedUrl, asOf: base.as_of, date: base.date };
}

/** The session a capture belongs to: today's once it has opened, else the previous one (weekend, pre-market, holiday). */
export function snapshotSession(capturedMs: number): string {
  const today = nyDate(capturedMs);
  const session = sessionOf(today);
  return session !== undefined && session.openMs <= capturedMs ? today : previousSession(today);
}

type RowBase = Pick<OptionChainRow, 'underlying' | 'as_of' | 'date'> & Lineage;

function contractRows(data: OptionExpiry[], base: RowBase, ivUnit: IvUnit): { rows: OptionChainRow[]; skipped: FinnhubSkip[] } {
  const rows: OptionChainRow[] = [];
  const skipped: FinnhubSkip[] = [];
  const seen = new Set<string>();
  for (const expiry of data) {
    for (const side of ['CALL', 'PUT'] as const) {
      for (const contract of expiry.options[side] ?? []) {
        const problem = identityProblem(contract, side, expiry.expirationDate) ?? (seen.has(contract.contractName) ? 'duplicate contract in one chain' : undefined);
        if (problem !== undefined) {
          skipped.push({ endpoint: ENDPOINT, value: JSON.stringify(contract.contractName), reason: problem });
          continue;
        }
        seen.add(contract.contractName);
        rows.push(contractRow(contract, base, ivUnit));
      }
    }
  }
  return { rows, skipped };
}

/** `AAPL220121C00110000` = root + YYMMDD + C/P + strike×1000 in 8 digits; it must agree with the fields and the group. */
function identityProblem(contract: OptionContract, side: 'CALL' | 'PUT', groupExpiration: string): string | undefined {
  const name = contract.contractName;
  const match = /^[A-Z0-9.]+?(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(name);
  if (!match) return 'contract name is not root+YYMMDD+C/P+strike';
  const [, yy, mm, dd, right, strike8] = match;
  if (contract.type !== side) return `a ${contract.type} listed under ${side}`;
  if (contract.expirationDate !== groupExpiration) return `expiration ${contract.expirationDate} inside the ${groupExpiration} group`;
  if (`20${yy}-${mm}-${dd}` !== contract.expirationDate) return `name says expiration 20${yy}-${mm}-${dd}, field says ${contract.expirationDate}`;
  if (right !== side[0]) return `name says ${right}, field says ${side}`;
  if (Number(strike8) !== Math.round(contract.strike * 1000)) return `name says strike ${Number(strike8) / 1000}, field says ${contract.strike}`;
  return undefined;
}

function contractRow(contract: OptionContract, base: RowBase, ivUnit: IvUnit): OptionChainRow {
  const greeks = [contract.delta, contract.gamma, contract.theta, contract.vega, contract.rho];
  // All five exactly 0 together means "not computed" (vendors/finnhub.md §3.2), not a zero delta.
  const computed = greeks.some((g) => g !== null && g !== undefined && g !== 0);
  const greek = (value: number | null | undefined): number | null => (computed ? (value ?? null) : null);
  return {
    contract: contract.contractName,
    as_of: base.as_of,
    underlying: base.underlying,
    date: base.date,
    expiration: contract.expirationDate,
    strike: contract.strike,
    right: contract.type === 'CALL' ? 'C' : 'P',
    bid: contract.bid ?? null,
    ask: contract.ask ?? null,
    // No option trades at 0: a 0 (or null) lastPrice means "no trade" (#50).
    last: contract.lastPrice !== null && contract.lastPrice !== undefined && contract.lastPrice > 0 ? contract.lastPrice : null,
    volume: contract.volume ?? null,
    open_interest: contract.openInterest ?? null,
    iv: ivOf(contract.impliedVolatility, ivUnit),
    delta: greek(contract.delta),
    gamma: greek(contract.gamma),
    theta: greek(contract.theta),
    vega: greek(contract.vega),
    rho: greek(contract.rho),
    quote_quality: FINNHUB_QUOTE_QUALITY,
    indicative: true,
    source_name: base.source_name,
    source_uri: base.source_uri,
    ingested_at: base.ingested_at,
  };
}

function ivOf(value: number | null | undefined, unit: IvUnit): number | null {
  if (value === null || value === undefined || value <= 0) return null;
  return unit === 'percent' ? Number((value / 100).toPrecision(12)) : value;
}

/** Decided once per payload, so one chain never mixes units. */
export function ivUnitOf(data: OptionExpiry[]): IvUnit {
  const ivs: number[] = [];
  for (const expiry of data) {
    for (const contract of [...(expiry.options.CALL ?? []), ...(expiry.options.PUT ?? [])]) {
      const iv = contract.impliedVolatility;
      if (iv !== null && iv !== undefined && iv > 0) ivs.push(iv);
    }
  }
  if (ivs.length === 0) return 'fraction';
  ivs.sort((a, b) => a - b);
  const mid = Math.floor(ivs.length / 2);
  const median = ivs.length % 2 === 1 ? (ivs[mid] as number) : ((ivs[mid - 1] as number) + (ivs[mid] as number)) / 2;
  return median > IV_PERCENT_THRESHOLD ? 'percent' : 'fraction';
}
