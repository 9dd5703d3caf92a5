import { lineage, type Lineage } from '../shared/index.js';
import { FMP_SYMBOL_RE, getRouted, type FmpContext } from './context.js';
import { statementSymbolListSchema, type StatementSymbolList } from './schemas.js';
import { text } from './symbols.js';

/** A symbol FMP holds financial statements for: what a fundamentals rotation walks through. */
export interface FmpStatementSymbol extends Lineage {
  symbol: string;
  company_name: string | null;
  /** Currency the listing trades in (`HKD` for `6898.HK`). */
  trading_currency: string | null;
  /** Currency the statements are reported in; may differ from the trading currency (ADRs). */
  reporting_currency: string | null;
}

/** Tens of thousands of rows in one unpaginated array, like the stock list. */
const SYMBOL_LIST_TIMEOUT_MS = 120_000;

/**
 * `GET /stable/financial-statement-symbol-list` (vendors/fmp.md §3.1), one request, weekly at most.
 * No endpoint id of its own: counted against `fmp.statements`, the work it schedules. Stable only
 * (the notes give no v3 twin). The list is global: filtering to the universe is the caller's job.
 * Junk symbols are skipped and reported; a symbol listed twice keeps its first row.
 */
export async function fetchStatementSymbols(ctx: FmpContext, signal?: AbortSignal): Promise<FmpStatementSymbol[]> {
  const endpoint = 'fmp.statements';
  // No legacy target: the second type parameter is never reached.
  const { result } = await getRouted<StatementSymbolList, never>(ctx, {
    endpoint,
    stable: { path: '/financial-statement-symbol-list', params: {}, schema: statementSymbolListSchema },
    signal,
    timeoutMs: SYMBOL_LIST_TIMEOUT_MS,
  });
  const origin = lineage('fmp', result.redactedUrl, ctx.clock);
  const rows = new Map<string, FmpStatementSymbol>();
  for (const item of result.body) {
    if (!FMP_SYMBOL_RE.test(item.symbol)) {
      ctx.onSkip({ endpoint, value: JSON.stringify(item.symbol), reason: 'symbol fails the sanity check' });
      continue;
    }
    if (rows.has(item.symbol)) continue;
    rows.set(item.symbol, {
      symbol: item.symbol,
      company_name: text(item.companyName),
      trading_currency: currency(item.tradingCurrency),
      reporting_currency: currency(item.reportingCurrency),
      ...origin,
    });
  }
  return [...rows.values()];
}

function currency(value: string | null | undefined): string | null {
  return text(value)?.toUpperCase() ?? null;
}
