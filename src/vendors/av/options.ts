import type { EndpointId, RowFor } from '../../catalog/index.js';
import { EntitlementDenied, describeIssues, type HttpResult } from '../../http/index.js';
import { lineage, requireDate, type Lineage } from '../shared/index.js';
import { AV_HEADERS, payloadBroken, queryUrl, requireNotBefore, requireSymbol, sameSymbol, type AvContext, type AvNotice } from './context.js';
import { historicalOptionsEnvelopeSchema, optionRowsSchema, type HistoricalOptionsEnvelope, type OptionRow } from './schemas.js';

export type OptionChainHistRow = RowFor<'options_chain_hist'>;

export interface AvOptionsOptions {
  signal?: AbortSignal;
}

const ENDPOINT: EndpointId = 'av.historical_options';
/** "Any date later than 2008-01-01 is accepted" (official MCP tool docstring). */
const EARLIEST_DATE = '2008-01-01';
/** ~2,200 rows for IBM: a large JSON body. */
const OPTIONS_TIMEOUT_MS = 60_000;
/** OCC id with an unpadded root: IBM261016C00220000 = IBM, 2026-10-16, call, 220.000. */
const OCC_RE = /^([A-Z0-9.]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;
/** AV's "not computed" greeks for deep in-the-money contracts: IV ≈ 4.2 with |delta| ≈ 0.99 (vendors/alphavantage.md §3.5). */
const JUNK_IV = 4;
const JUNK_ABS_DELTA = 0.98;

/**
 * `HISTORICAL_OPTIONS&symbol=S[&date=D]`: the end-of-day chain of one underlying for one session,
 * one request. AV answers a FLAT list of contracts (the original pipeline expected nested
 * calls/puts and sent `expiration`: zero rows, study B16). Without `date` AV serves the previous
 * session. Rows are `quote_quality: 'eod'` (AV's end-of-day snapshot: bid/ask, last, volume, open
 * interest, IV as a fraction and greeks), `indicative: false`, `as_of: null` (no capture instant).
 *
 * Whole-payload invariants (Malformed otherwise): `message` is `success`, every row is for the
 * requested underlying and one session (the requested date when given). Per row: a contract id
 * that disagrees with its own expiration/strike/type is skipped; IV ≥ 4 with |delta| ≥ 0.98 is
 * AV's "not computed" marker, so IV and greeks become null (flagged); `0.00`/`0.00` bid/ask means
 * no two-sided quote and becomes null/null.
 */
export async function fetchHistoricalOptions(ctx: AvContext, symbol: string, date?: string, options: AvOptionsOptions = {}): Promise<OptionChainHistRow[]> {
  const underlying = requireSymbol(symbol, ENDPOINT);
  if (date !== undefined) {
    requireDate(date, 'date', 'av', ENDPOINT);
    requireNotBefore(date, EARLIEST_DATE, 'date', ENDPOINT);
  }
  const url = queryUrl(ctx, 'HISTORICAL_OPTIONS', { symbol: underlying, date });
  const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: AV_HEADERS, schema: historicalOptionsEnvelopeSchema, signal: options.signal, timeoutMs: OPTIONS_TIMEOUT_MS });
  const contracts = readChain(ctx, result, underlying, date);
  const origin = lineage('av', result.redactedUrl, ctx.clock);
  const rows = new Map<string, OptionChainHistRow>();
  for (const o of contracts) {
    const notice = (kind: AvNotice['kind'], reason: string): void => ctx.onNotice({ endpoint: ENDPOINT, kind, value: JSON.stringify(o.contractID), reason });
    const mismatch = contractMismatch(o);
    if (mismatch !== undefined) {
      notice('skipped', mismatch);
      continue;
    }
    if (rows.has(o.contractID)) {
      notice('skipped', 'contract listed twice: the first row is kept');
      continue;
    }
    const row = optionRow(o, underlying, origin);
    if (row.iv === null && o.implied_volatility !== null) notice('flagged', `IV ${o.implied_volatility} with delta ${o.delta}: greeks not computed, stored as null`);
    rows.set(row.contract, row);
  }
  return [...rows.values()];
}

/** The envelope's verdict, then the rows, then the whole-payload invariants: nothing is half-returned. */
function readChain(ctx: AvContext, result: HttpResult<HistoricalOptionsEnvelope>, underlying: string, date: string | undefined): OptionRow[] {
  const { message } = result.body;
  if (message !== undefined && /premium/i.test(message)) {
    // A large refusal (fake sample rows + a premium message) is past the classifier's size limit.
    const init = { vendor: 'av' as const, endpoint: ENDPOINT, status: result.status, url: result.redactedUrl, body: result.redactedText };
    throw new EntitlementDenied(ctx.redact(message.slice(0, 200)), { ...init, scope: 'capability' });
  }
  const broken = (reason: string) => payloadBroken(ctx, result, ENDPOINT, reason);
  if (message !== undefined && message.toLowerCase() !== 'success') throw broken(`unexpected message ${JSON.stringify(message.slice(0, 120))}`);
  const parsed = optionRowsSchema.safeParse(result.body.data);
  if (!parsed.success) throw broken(`schema mismatch: ${describeIssues(parsed.error.issues.map((issue) => ({ ...issue, path: ['data', ...issue.path] })))}`);
  const session = date ?? parsed.data[0]?.date;
  for (const o of parsed.data) {
    if (!sameSymbol(o.symbol, underlying)) throw broken(`contract ${o.contractID} is on ${JSON.stringify(o.symbol)}, not ${underlying}`);
    if (o.date !== session) throw broken(`contract ${o.contractID} is dated ${o.date}, not ${session}`);
  }
  return parsed.data;
}

function optionRow(o: OptionRow, underlying: string, origin: Lineage): OptionChainHistRow {
  const junk = o.implied_volatility !== null && o.implied_volatility >= JUNK_IV && o.delta !== null && Math.abs(o.delta) >= JUNK_ABS_DELTA;
  const noQuote = o.bid === 0 && o.ask === 0;
  return {
    contract: o.contractID,
    as_of: null,
    underlying,
    date: o.date,
    expiration: o.expiration,
    strike: o.strike,
    right: o.type === 'call' ? 'C' : 'P',
    bid: noQuote ? null : o.bid,
    ask: noQuote ? null : o.ask,
    last: o.last,
    volume: o.volume,
    open_interest: o.open_interest,
    iv: junk ? null : o.implied_volatility,
    delta: junk ? null : o.delta,
    gamma: junk ? null : o.gamma,
    theta: junk ? null : o.theta,
    vega: junk ? null : o.vega,
    rho: junk ? null : o.rho,
    quote_quality: 'eod',
    indicative: false,
    ...origin,
  };
}

/** Why the OCC id disagrees with the row's own fields, or undefined when it agrees. */
function contractMismatch(o: OptionRow): string | undefined {
  const m = OCC_RE.exec(o.contractID);
  if (m === null) return 'contractID is not an OCC option symbol';
  const [, , yy, mm, dd, cp, strike8] = m;
  if (`20${yy}-${mm}-${dd}` !== o.expiration) return `contractID expiry 20${yy}-${mm}-${dd} disagrees with expiration ${o.expiration}`;
  if ((cp === 'C') !== (o.type === 'call')) return `contractID right ${cp} disagrees with type ${o.type}`;
  if (Math.abs(Number(strike8) / 1000 - o.strike) > 5e-4) return `contractID strike ${Number(strike8) / 1000} disagrees with strike ${o.strike}`;
  return undefined;
}
