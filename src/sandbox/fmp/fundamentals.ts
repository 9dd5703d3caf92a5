import { createRng, type Market } from '../market/index.js';
import { cikOf, companyTraits, midpoint, openingMarketCap, shareModel, thousands, type ShareModel } from './company.js';
import { fileReport, fiscalQuarters, type FiscalPeriod, type FiscalQuarter, type Filing } from './fiscal.js';
import { runLedger, type IncomeFlows, type QuarterBooks } from './ledger.js';
import {
  CASH_FLOW_FIELDS,
  CASH_FLOW_STOCK_FIELDS,
  type BalanceLines,
  type CashFlowLines,
  type IncomeLines,
} from './statement-fields.js';

/** One fiscal period of one company: its three statements, as filed. */
export interface FiscalReport {
  symbol: string;
  /** Period end, `YYYY-MM-DD`. */
  date: string;
  reportedCurrency: 'USD';
  cik: string;
  filingDate: string;
  /** `YYYY-MM-DD HH:MM:SS`, New York wall time. */
  acceptedDate: string;
  /** The acceptance instant: the emulator shows a report only from then on. */
  acceptedMs: number;
  fiscalYear: string;
  period: FiscalPeriod;
  income: IncomeLines;
  balance: BalanceLines;
  cashFlow: CashFlowLines;
}

export interface Fundamentals {
  /**
   * Quarterly and annual reports of a common stock whose period ends inside the market window (and
   * after its listing; a delisted company stops filing), oldest first, a quarter before the fiscal
   * year ending the same day. Empty for ETFs and unknown symbols.
   */
  reportsOf(symbol: string): readonly FiscalReport[];
  /** Shares outstanding on `date` in that date's share terms; undefined for a symbol without bars. */
  sharesOutstanding(symbol: string, date: string): number | undefined;
}

const round2 = (x: number): number => Math.round(x * 100) / 100 + 0;

/**
 * Deterministic statements for the market's companies: a pure function of the market (its seed,
 * prices, splits and dividends). Amounts in USD; share counts and EPS in the terms of each filing
 * (a split that has gone ex by the filing date is applied to the whole period, as filers restate).
 */
export function createFundamentals(market: Market): Fundamentals {
  const reports = new Map<string, readonly FiscalReport[]>();
  const models = new Map<string, ShareModel | null>();

  function modelOf(symbol: string): ShareModel | undefined {
    if (!models.has(symbol)) {
      const first = market.barsOf(symbol)[0];
      models.set(symbol, first ? shareModel(market, symbol, first.date, first.bar.close, openingMarketCap(market.seed, symbol)) : null);
    }
    return models.get(symbol) ?? undefined;
  }

  return {
    reportsOf(symbol) {
      let out = reports.get(symbol);
      if (out === undefined) {
        const shares = modelOf(symbol);
        const info = market.symbol(symbol);
        out = shares && info?.type === 'CS' ? buildReports(market, symbol, shares) : [];
        reports.set(symbol, out);
      }
      return out;
    },
    sharesOutstanding(symbol, date) {
      return modelOf(symbol)?.sharesOn(date, date);
    },
  };
}

function buildReports(market: Market, symbol: string, shares: ShareModel): FiscalReport[] {
  const info = market.symbol(symbol);
  const first = market.barsOf(symbol)[0];
  if (!info || !first) return [];
  const traits = companyTraits(market.seed, symbol, openingMarketCap(market.seed, symbol));
  const quarters = fiscalQuarters(traits.fyEndMonth, market.start, market.end);
  const filingRng = createRng(market.seed, `fmp-filings:${symbol}`);
  const filings = quarters.map((q) => fileReport(filingRng, q.end, q.quarter === 4));
  const years = (date: string): number => (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${first.date}T00:00:00Z`)) / (365.25 * 86_400_000);
  const books = runLedger(
    traits,
    createRng(market.seed, `fmp-ledger:${symbol}`),
    quarters.map((q) => ({ quarter: q.quarter, years: years(midpoint(q.start, q.end)), dividends: dividendsPaid(market, symbol, shares, q) })),
  );
  const cik = cikOf(symbol);
  const out: FiscalReport[] = [];
  quarters.forEach((q, i) => {
    const filing = filings[i] as Filing;
    const book = books[i] as QuarterBooks;
    const meta = { symbol, reportedCurrency: 'USD' as const, cik, ...filing, fiscalYear: q.fiscalYear };
    const perShare = perShareLines(shares, q.start, q.end, filing.filingDate, book.income.netIncome, traits.dilution);
    out.push({ ...meta, date: q.end, period: `Q${q.quarter}`, income: { ...book.income, ...perShare }, balance: book.balance, cashFlow: book.cashFlow });
    if (q.quarter === 4 && i >= 3) {
      const year = books.slice(i - 3, i + 1);
      const income = sumFlows(year.map((b) => b.income));
      const start = (quarters[i - 3] as FiscalQuarter).start;
      out.push({
        ...meta, date: q.end, period: 'FY',
        income: { ...income, ...perShareLines(shares, start, q.end, filing.filingDate, income.netIncome, traits.dilution) },
        balance: book.balance,
        cashFlow: annualCashFlow(year.map((b) => b.cashFlow)),
      });
    }
  });
  return out.filter((r) => r.date >= market.start && r.date >= info.listDate && (info.delistDate === null || r.filingDate < info.delistDate));
}

/** Cash paid for the market's dividends going ex in the quarter: cash per share × shares then outstanding. */
function dividendsPaid(market: Market, symbol: string, shares: ShareModel, q: FiscalQuarter): number {
  return market
    .dividendsOf(symbol)
    .filter((d) => d.exDate >= q.start && d.exDate <= q.end)
    .reduce((total, d) => total + thousands(d.cash * shares.sharesOn(d.exDate, d.exDate)), 0);
}

type PerShare = Pick<IncomeLines, 'eps' | 'epsDiluted' | 'weightedAverageShsOut' | 'weightedAverageShsOutDil'>;

function perShareLines(shares: ShareModel, start: string, end: string, filingDate: string, netIncome: number, dilution: number): PerShare {
  const weightedAverageShsOut = shares.sharesOn(midpoint(start, end), filingDate);
  // A loss makes options anti-dilutive: diluted shares equal basic ones, as filers report them.
  const weightedAverageShsOutDil = netIncome < 0 ? weightedAverageShsOut : thousands(weightedAverageShsOut * (1 + dilution));
  return {
    eps: round2(netIncome / weightedAverageShsOut),
    epsDiluted: round2(netIncome / weightedAverageShsOutDil),
    weightedAverageShsOut,
    weightedAverageShsOutDil,
  };
}

function sumFlows(quarters: readonly IncomeFlows[]): IncomeFlows {
  const out = { ...(quarters[0] as IncomeFlows) };
  for (const field of Object.keys(out) as Array<keyof IncomeFlows>) out[field] = quarters.reduce((total, q) => total + q[field], 0);
  return out;
}

/** Flows add up over the year; the cash balances are the first quarter's opening and the last's closing. */
function annualCashFlow(quarters: readonly CashFlowLines[]): CashFlowLines {
  const out = {} as CashFlowLines;
  for (const field of CASH_FLOW_FIELDS) {
    out[field] = CASH_FLOW_STOCK_FIELDS.has(field) ? 0 : quarters.reduce((total, q) => total + q[field], 0);
  }
  out.cashAtBeginningOfPeriod = (quarters[0] as CashFlowLines).cashAtBeginningOfPeriod;
  out.cashAtEndOfPeriod = (quarters[quarters.length - 1] as CashFlowLines).cashAtEndOfPeriod;
  return out;
}
