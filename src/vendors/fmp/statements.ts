import type { RowFor } from '../../catalog/index.js';
import { BadRequest } from '../../http/index.js';
import { invariantBroken, lineage, optionalDate, type Lineage } from '../shared/index.js';
import { getRouted, keepRequestedSymbol, requireSymbol, type FmpContext } from './context.js';
import { acceptedAtUtc, statementMetrics } from './metrics.js';
import { statementsSchema, type StatementRow } from './schemas.js';
import { text } from './symbols.js';

export type FundamentalRow = RowFor<'fundamentals'>;
export type FmpStatementKind = 'income' | 'balance' | 'cashflow';
export type FmpStatementPeriod = 'annual' | 'quarter';

const ENDPOINT = 'fmp.statements';
export const STATEMENT_KINDS: readonly FmpStatementKind[] = ['income', 'balance', 'cashflow'];
const PATHS: Record<FmpStatementKind, string> = {
  income: '/income-statement',
  balance: '/balance-sheet-statement',
  cashflow: '/cash-flow-statement',
};
/** The free plan's ceiling on `limit` (periods per call); above it FMP answers a parameter 402. */
export const STATEMENTS_FREE_LIMIT = 5;

export interface FmpStatementOptions {
  /** Periods to return, newest first. @default STATEMENTS_FREE_LIMIT */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * `GET /stable/{income|balance-sheet|cash-flow}-statement?symbol=&period=&limit=` (legacy
 * `/api/v3/…/{SYM}`), one call: FMP does not paginate statements, `limit` is the number of
 * periods. Output is long format: one row per (period, metric), metric names snake_case
 * (`netIncome` → `net_income`, `epsDiluted`/legacy `epsdiluted` → `eps_diluted`). Free keys get
 * annual only and `limit ≤ 5`; `period=quarter` there is a FmpParameterNotEntitled.
 * `fiscal_year` is FMP's `fiscalYear`, else (legacy, whose `calendarYear` is unreliable) the year
 * of the period end. A period with no numeric line item at all is schema drift (Malformed).
 */
export async function fetchStatements(ctx: FmpContext, symbol: string, kind: FmpStatementKind, period: FmpStatementPeriod, options: FmpStatementOptions = {}): Promise<FundamentalRow[]> {
  const wanted = requireSymbol(symbol, ENDPOINT);
  const statement = statementKind(kind);
  const periodParam = statementPeriod(period);
  const limit = options.limit ?? STATEMENTS_FREE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new BadRequest(`limit must be a positive integer, got ${String(limit)}`, { vendor: 'fmp', endpoint: ENDPOINT });
  const { result } = await getRouted(ctx, {
    endpoint: ENDPOINT,
    stable: { path: PATHS[statement], params: { symbol: wanted, period: periodParam, limit }, schema: statementsSchema },
    legacy: { path: `${PATHS[statement]}/${encodeURIComponent(wanted)}`, params: { period: periodParam, limit }, schema: statementsSchema },
    signal: options.signal,
  });
  const origin = lineage('fmp', result.redactedUrl, ctx.clock);
  const rows: FundamentalRow[] = [];
  const seen = new Set<string>();
  for (const item of keepRequestedSymbol(ctx, ENDPOINT, wanted, result.body)) {
    const periodRows = longRows(wanted, statement, item, origin);
    if (periodRows.length === 0) throw invariantBroken(result, 'fmp', ENDPOINT, `${statement} period ${item.date} ${item.period} carries no numeric line item`);
    for (const row of periodRows) {
      const key = `${row.period_end}|${row.fiscal_period}|${row.metric}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(row);
    }
  }
  return rows;
}

function longRows(symbol: string, statement: FmpStatementKind, item: StatementRow, origin: Lineage): FundamentalRow[] {
  const identity = {
    symbol,
    statement,
    period_end: item.date,
    fiscal_year: item.fiscalYear === null || item.fiscalYear === undefined ? Number(item.date.slice(0, 4)) : Number(item.fiscalYear),
    fiscal_period: item.period,
    currency: text(item.reportedCurrency),
    filing_date: optionalDate(item.filingDate) ?? optionalDate(item.fillingDate),
    accepted_at: acceptedAtUtc(item.acceptedDate),
  };
  return [...statementMetrics(item)].map(([metric, value]) => ({ ...identity, metric, value, ...origin }));
}

export function statementKind(kind: string): FmpStatementKind {
  const found = STATEMENT_KINDS.find((candidate) => candidate === kind);
  if (found === undefined) throw new BadRequest(`statement must be one of ${STATEMENT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`, { vendor: 'fmp', endpoint: ENDPOINT });
  return found;
}

export function statementPeriod(period: string): FmpStatementPeriod {
  if (period === 'annual' || period === 'quarter') return period;
  throw new BadRequest(`period must be annual or quarter, got ${JSON.stringify(period)}`, { vendor: 'fmp', endpoint: ENDPOINT });
}
