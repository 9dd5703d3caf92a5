import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { intParam, missingParameter, requiredParam, symbolRefusal, type FmpContext } from './context.js';
import type { FiscalReport } from './fundamentals.js';
import { CONSTRUCTED_MESSAGES, premiumQuery } from './responses.js';

export type StatementKind = 'income' | 'balance' | 'cashFlow';

const DEFAULT_LIMIT = 5;
const PERIODS: Record<string, (r: FiscalReport) => boolean> = {
  annual: (r) => r.period === 'FY',
  FY: (r) => r.period === 'FY',
  quarter: (r) => r.period !== 'FY',
  Q1: (r) => r.period === 'Q1',
  Q2: (r) => r.period === 'Q2',
  Q3: (r) => r.period === 'Q3',
  Q4: (r) => r.period === 'Q4',
};

/**
 * The reports a statement request selects (newest first, `limit` of them), or its refusal: symbol
 * outside the plan, then `period` and `limit` beyond it (402s), each as the vendor words them.
 */
function selectReports(query: URLSearchParams, ctx: FmpContext, symbolFromPath?: string): FiscalReport[] | EmulatorResponse {
  const symbol = symbolFromPath ?? requiredParam(query, 'symbol');
  if (typeof symbol !== 'string') return symbol;
  const refusal = symbolRefusal(ctx, symbol);
  if (refusal) return refusal;
  const period = query.get('period') ?? 'annual';
  const wanted = PERIODS[period];
  if (!wanted) return missingParameter('period');
  if (!ctx.plan.quarterlyStatements && period !== 'annual' && period !== 'FY') return premiumQuery(ctx.plan, CONSTRUCTED_MESSAGES.premiumPeriod);
  const limit = intParam(query, 'limit', DEFAULT_LIMIT);
  if (typeof limit !== 'number') return limit;
  const max = ctx.plan.statementLimitMax;
  if (max !== null && limit > max) return premiumQuery(ctx.plan, CONSTRUCTED_MESSAGES.premiumRange('limit', max));
  return ctx.fundamentals
    .reportsOf(symbol)
    .filter((r) => r.acceptedMs <= ctx.now && wanted(r))
    .reverse()
    .slice(0, limit);
}

function stableMeta(r: FiscalReport): Record<string, string> {
  return {
    date: r.date, symbol: r.symbol, reportedCurrency: r.reportedCurrency, cik: r.cik, filingDate: r.filingDate,
    acceptedDate: r.acceptedDate, fiscalYear: r.fiscalYear, period: r.period,
  };
}

/** `GET /stable/{income-statement|balance-sheet-statement|cash-flow-statement}?symbol=&period=&limit=`. */
export function statement(kind: StatementKind, query: URLSearchParams, ctx: FmpContext): EmulatorResponse {
  const reports = selectReports(query, ctx);
  if (!Array.isArray(reports)) return reports;
  return jsonResponse(200, reports.map((r) => ({ ...stableMeta(r), ...r[kind] })));
}

/** SEC-style accession number and links of a filing, for the legacy rows' `link`/`finalLink`. */
function secLinks(r: FiscalReport): { link: string; finalLink: string } {
  const cik = String(Number(r.cik));
  const accession = `${r.cik}${r.filingDate.slice(2, 4)}${r.filingDate.slice(5, 7)}${r.filingDate.slice(8, 10)}${r.period === 'FY' ? '10' : '00'}`;
  const dashed = `${accession.slice(0, 10)}-${accession.slice(10, 12)}-${accession.slice(12)}`;
  const base = `https://www.sec.gov/Archives/edgar/data/${cik}/${accession}`;
  return { link: `${base}/${dashed}-index.htm`, finalLink: `${base}/${r.symbol.toLowerCase().replace(/\./g, '')}-${r.date.replace(/-/g, '')}.htm` };
}

/**
 * Legacy `GET /api/v3/income-statement/{symbol}`: the v3 names (`fillingDate`, `epsdiluted`), the
 * ratio fields and SEC links, and no `cik`/`fiscalYear` (as in the captured v3 row).
 */
export function legacyIncomeStatement(symbol: string, query: URLSearchParams, ctx: FmpContext): EmulatorResponse {
  const reports = selectReports(query, ctx, symbol);
  if (!Array.isArray(reports)) return reports;
  const rows = reports.map((r) => {
    const i = r.income;
    const ratio = (x: number): number => (i.revenue === 0 ? 0 : x / i.revenue);
    return {
      date: r.date, symbol: r.symbol, reportedCurrency: r.reportedCurrency, fillingDate: r.filingDate, acceptedDate: r.acceptedDate,
      period: r.period, revenue: i.revenue, costOfRevenue: i.costOfRevenue, grossProfit: i.grossProfit,
      grossProfitRatio: ratio(i.grossProfit), researchAndDevelopmentExpenses: i.researchAndDevelopmentExpenses,
      generalAndAdministrativeExpenses: i.generalAndAdministrativeExpenses, sellingAndMarketingExpenses: i.sellingAndMarketingExpenses,
      sellingGeneralAndAdministrativeExpenses: i.sellingGeneralAndAdministrativeExpenses, otherExpenses: i.otherExpenses,
      operatingExpenses: i.operatingExpenses, costAndExpenses: i.costAndExpenses, interestExpense: i.interestExpense,
      depreciationAndAmortization: i.depreciationAndAmortization, ebitda: i.ebitda, ebitdaratio: ratio(i.ebitda),
      operatingIncome: i.operatingIncome, operatingIncomeRatio: ratio(i.operatingIncome),
      totalOtherIncomeExpensesNet: i.totalOtherIncomeExpensesNet, incomeBeforeTax: i.incomeBeforeTax,
      incomeBeforeTaxRatio: ratio(i.incomeBeforeTax), incomeTaxExpense: i.incomeTaxExpense, netIncome: i.netIncome,
      netIncomeRatio: ratio(i.netIncome), eps: i.eps, epsdiluted: i.epsDiluted,
      weightedAverageShsOut: i.weightedAverageShsOut, weightedAverageShsOutDil: i.weightedAverageShsOutDil, ...secLinks(r),
    };
  });
  return jsonResponse(200, rows);
}
