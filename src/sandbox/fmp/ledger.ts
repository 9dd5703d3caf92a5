import type { Rng } from '../market/index.js';
import { thousands as k, type CompanyTraits } from './company.js';
import type { BalanceLines, CashFlowLines, IncomeLines } from './statement-fields.js';

/** Income lines that are period flows (per-share figures depend on the filing and are added later). */
export type IncomeFlows = Omit<IncomeLines, 'eps' | 'epsDiluted' | 'weightedAverageShsOut' | 'weightedAverageShsOutDil'>;

export interface QuarterInput {
  /** 1–4, for seasonality. */
  quarter: number;
  /** Years since the first bar at the quarter's middle, for revenue growth. */
  years: number;
  /** Cash dividends paid in the quarter (the market's dividends × shares then outstanding), positive. */
  dividends: number;
}

export interface QuarterBooks {
  income: IncomeFlows;
  balance: BalanceLines;
  cashFlow: CashFlowLines;
}

/** The balance-sheet state a quarter carries into the next. */
interface Books {
  cash: number; sti: number; receivables: number; otherReceivables: number; inventory: number; otherCurrentAssets: number;
  ppe: number; goodwill: number; intangibles: number; lti: number; taxAssets: number; otherNonCurrentAssets: number;
  payables: number; otherPayables: number; accrued: number; shortTermDebt: number; leaseCurrent: number; deferredRevenue: number;
  otherCurrentLiabilities: number; longTermDebt: number; leaseNonCurrent: number; deferredRevenueNonCurrent: number;
  deferredTax: number; otherNonCurrentLiabilities: number; commonStock: number; retainedEarnings: number; aoci: number;
}

/** Working-capital items other than receivables, inventory and payables (they have their own cash-flow lines). */
const OTHER_WC_ASSETS = ['otherReceivables', 'otherCurrentAssets', 'taxAssets', 'otherNonCurrentAssets'] as const;
const OTHER_WC_LIABILITIES = ['otherPayables', 'accrued', 'deferredRevenue', 'otherCurrentLiabilities', 'deferredRevenueNonCurrent', 'otherNonCurrentLiabilities'] as const;

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Double-entry quarters: the income statement drives retained earnings, working capital follows
 * revenue, cash is whatever balances the sheet (topped up with long-term debt when it runs low),
 * and the cash-flow statement is the difference of consecutive balance sheets, so every identity
 * holds exactly.
 */
export function runLedger(traits: CompanyTraits, rng: Rng, inputs: readonly QuarterInput[]): QuarterBooks[] {
  let books = openingBooks(traits);
  return inputs.map((input) => {
    const step = advance(traits, rng, books, input);
    books = step.next;
    return step.books;
  });
}

function openingBooks(t: CompanyTraits): Books {
  const rq = t.revenue0 / 4;
  const cogs = rq * t.cogsPct;
  const o = t.opening;
  const ta = o.totalAssets;
  const books: Books = {
    ...workingCapital(t, rq, cogs, () => 0),
    cash: k(ta * o.cash), sti: k(ta * o.shortTermInvestments), lti: k(ta * o.longTermInvestments), ppe: k(ta * o.ppe),
    goodwill: k(ta * o.goodwill), intangibles: k(ta * o.intangibles), shortTermDebt: k(ta * o.shortTermDebt),
    longTermDebt: k(ta * o.longTermDebt), leaseCurrent: k(ta * o.leaseCurrent), leaseNonCurrent: k(ta * o.leaseNonCurrent),
    deferredTax: k(ta * o.deferredTax), commonStock: k(ta * 0.25 * o.commonStockShare), aoci: k(ta * o.aoci), retainedEarnings: 0,
  };
  books.retainedEarnings = totalAssetsOf(books) - totalLiabilitiesOf(books) - books.commonStock - books.aoci;
  return books;
}

type WorkingCapital = Pick<Books, 'receivables' | 'inventory' | 'payables' | (typeof OTHER_WC_ASSETS)[number] | (typeof OTHER_WC_LIABILITIES)[number]>;

/** Working-capital balances for a quarter's revenue and cost of revenue, with a little noise each. */
function workingCapital(t: CompanyTraits, revenue: number, cogs: number, noise: () => number): WorkingCapital {
  const r = t.ratios;
  const v = (base: number, ratio: number): number => k(base * ratio * (1 + noise()));
  const receivables = v(revenue, r.receivables);
  const payables = v(cogs, r.payables);
  const deferredRevenue = v(revenue, r.deferredRevenue);
  return {
    receivables, otherReceivables: k(receivables * r.otherReceivables), inventory: v(cogs, r.inventory),
    otherCurrentAssets: v(revenue, r.otherCurrentAssets), taxAssets: v(revenue, r.taxAssets), otherNonCurrentAssets: v(revenue, r.otherNonCurrentAssets),
    payables, otherPayables: k(payables * r.otherPayables), accrued: v(revenue, r.accrued), deferredRevenue,
    deferredRevenueNonCurrent: k(deferredRevenue * r.deferredRevenueNonCurrent), otherCurrentLiabilities: v(revenue, r.otherCurrentLiabilities),
    otherNonCurrentLiabilities: v(revenue, r.otherNonCurrentLiabilities),
  };
}

function totalAssetsOf(b: Books): number {
  return b.cash + b.sti + b.receivables + b.otherReceivables + b.inventory + b.otherCurrentAssets + b.ppe + b.goodwill + b.intangibles + b.lti + b.taxAssets + b.otherNonCurrentAssets;
}

function totalLiabilitiesOf(b: Books): number {
  return b.payables + b.otherPayables + b.accrued + b.shortTermDebt + b.leaseCurrent + b.deferredRevenue + b.otherCurrentLiabilities + b.longTermDebt + b.leaseNonCurrent + b.deferredRevenueNonCurrent + b.deferredTax + b.otherNonCurrentLiabilities;
}

function incomeOf(t: CompanyTraits, rng: Rng, prev: Books, input: QuarterInput): IncomeFlows {
  const season = t.seasonality[input.quarter - 1] ?? 1;
  const revenue = Math.max(1000, k((t.revenue0 / 4) * Math.exp(t.revenueGrowth * input.years) * season * (1 + 0.03 * rng.normal())));
  const costOfRevenue = k(revenue * Math.min(0.95, Math.max(0.05, t.cogsPct + 0.01 * rng.normal())));
  const line = (pct: number): number => k(revenue * pct * (1 + 0.03 * rng.normal()));
  const rd = line(t.rdPct);
  const sm = line(t.smPct);
  const ga = line(t.gaPct);
  const operatingExpenses = rd + sm + ga;
  const interestIncome = k((prev.cash + prev.sti) * 0.01);
  const interestExpense = k((prev.shortTermDebt + prev.longTermDebt) * 0.014);
  const depreciationAndAmortization = k(prev.ppe * t.depreciationRate);
  const nonOperating = k(revenue * 0.004 * rng.normal());
  const grossProfit = revenue - costOfRevenue;
  const operatingIncome = grossProfit - operatingExpenses;
  const totalOther = interestIncome - interestExpense + nonOperating;
  const incomeBeforeTax = operatingIncome + totalOther;
  const incomeTaxExpense = incomeBeforeTax > 0 ? k(incomeBeforeTax * t.taxRate) : 0;
  const netIncome = incomeBeforeTax - incomeTaxExpense;
  const ebit = incomeBeforeTax + interestExpense;
  return {
    revenue, costOfRevenue, grossProfit, researchAndDevelopmentExpenses: rd, generalAndAdministrativeExpenses: ga,
    sellingAndMarketingExpenses: sm, sellingGeneralAndAdministrativeExpenses: sm + ga, otherExpenses: 0, operatingExpenses,
    costAndExpenses: costOfRevenue + operatingExpenses, netInterestIncome: interestIncome - interestExpense, interestIncome,
    interestExpense, depreciationAndAmortization, ebitda: ebit + depreciationAndAmortization, ebit,
    nonOperatingIncomeExcludingInterest: nonOperating, operatingIncome, totalOtherIncomeExpensesNet: totalOther, incomeBeforeTax,
    incomeTaxExpense, netIncomeFromContinuingOperations: netIncome, netIncomeFromDiscontinuedOperations: 0,
    otherAdjustmentsToNetIncome: 0, netIncome, netIncomeDeductions: 0, bottomLineNetIncome: netIncome,
  };
}

interface Step {
  books: QuarterBooks;
  next: Books;
}

function advance(t: CompanyTraits, rng: Rng, prev: Books, input: QuarterInput): Step {
  const income = incomeOf(t, rng, prev, input);
  const da = income.depreciationAndAmortization;
  const capex = Math.max(k(da * (1 + t.revenueGrowth) * (1 + 0.1 * rng.normal())), da - prev.ppe, 0);
  const sbc = k(income.revenue * t.sbcPct);
  const buyback = income.netIncome > 0 ? k(income.netIncome * t.buybackShare) : 0;
  const next: Books = {
    ...prev,
    ...workingCapital(t, income.revenue, income.costOfRevenue, () => 0.03 * rng.normal()),
    ppe: prev.ppe + capex - da,
    sti: Math.max(0, k(prev.sti * (1 + 0.05 * rng.normal()))),
    lti: Math.max(0, k(prev.lti * (1 + 0.05 * rng.normal()))),
    shortTermDebt: Math.max(0, k(prev.shortTermDebt * (1 + 0.05 * rng.normal()))),
    longTermDebt: Math.max(0, prev.longTermDebt + (rng.chance(0.15) ? k(prev.longTermDebt * rng.uniform(-0.15, 0.2)) : 0)),
    commonStock: prev.commonStock + sbc,
    retainedEarnings: prev.retainedEarnings + income.netIncome - input.dividends - buyback,
  };
  next.cash = 0;
  next.cash = totalLiabilitiesOf(next) + equityOf(next) - totalAssetsOf(next);
  // Cash is the plug; a company running dry borrows long-term rather than showing negative cash.
  const floor = k(income.revenue * 0.15) + 1000;
  if (next.cash < floor) {
    next.longTermDebt += floor - next.cash;
    next.cash = floor;
  }
  const churn = k((prev.sti + prev.lti) * 0.05 * Math.abs(rng.normal()));
  const investmentChange = next.sti + next.lti - prev.sti - prev.lti;
  const flows = {
    capex, sbc, buyback, dividends: input.dividends,
    purchases: 0 - (churn + Math.max(0, investmentChange)),
    sales: churn + Math.max(0, -investmentChange),
  };
  return { books: { income, balance: balanceLines(next), cashFlow: cashFlowLines(prev, next, income, flows) }, next };
}

const equityOf = (b: Books): number => b.commonStock + b.retainedEarnings + b.aoci;

function balanceLines(b: Books): BalanceLines {
  const cashAndShortTermInvestments = b.cash + b.sti;
  const netReceivables = b.receivables + b.otherReceivables;
  const totalCurrentAssets = cashAndShortTermInvestments + netReceivables + b.inventory + b.otherCurrentAssets;
  const goodwillAndIntangibleAssets = b.goodwill + b.intangibles;
  const totalNonCurrentAssets = b.ppe + goodwillAndIntangibleAssets + b.lti + b.taxAssets + b.otherNonCurrentAssets;
  const totalPayables = b.payables + b.otherPayables;
  const totalCurrentLiabilities = totalPayables + b.accrued + b.shortTermDebt + b.leaseCurrent + b.deferredRevenue + b.otherCurrentLiabilities;
  const totalNonCurrentLiabilities = b.longTermDebt + b.leaseNonCurrent + b.deferredRevenueNonCurrent + b.deferredTax + b.otherNonCurrentLiabilities;
  const totalLiabilities = totalCurrentLiabilities + totalNonCurrentLiabilities;
  const totalStockholdersEquity = equityOf(b);
  const capitalLeaseObligations = b.leaseCurrent + b.leaseNonCurrent;
  const totalDebt = b.shortTermDebt + b.longTermDebt + capitalLeaseObligations;
  return {
    cashAndCashEquivalents: b.cash, shortTermInvestments: b.sti, cashAndShortTermInvestments, netReceivables,
    accountsReceivables: b.receivables, otherReceivables: b.otherReceivables, inventory: b.inventory, prepaids: 0,
    otherCurrentAssets: b.otherCurrentAssets, totalCurrentAssets, propertyPlantEquipmentNet: b.ppe, goodwill: b.goodwill,
    intangibleAssets: b.intangibles, goodwillAndIntangibleAssets, longTermInvestments: b.lti, taxAssets: b.taxAssets,
    otherNonCurrentAssets: b.otherNonCurrentAssets, totalNonCurrentAssets, otherAssets: 0,
    totalAssets: totalCurrentAssets + totalNonCurrentAssets, totalPayables, accountPayables: b.payables,
    otherPayables: b.otherPayables, accruedExpenses: b.accrued, shortTermDebt: b.shortTermDebt,
    capitalLeaseObligationsCurrent: b.leaseCurrent, taxPayables: 0, deferredRevenue: b.deferredRevenue,
    otherCurrentLiabilities: b.otherCurrentLiabilities, totalCurrentLiabilities, longTermDebt: b.longTermDebt,
    capitalLeaseObligationsNonCurrent: b.leaseNonCurrent, deferredRevenueNonCurrent: b.deferredRevenueNonCurrent,
    deferredTaxLiabilitiesNonCurrent: b.deferredTax, otherNonCurrentLiabilities: b.otherNonCurrentLiabilities,
    totalNonCurrentLiabilities, otherLiabilities: 0, capitalLeaseObligations, totalLiabilities, treasuryStock: 0,
    preferredStock: 0, commonStock: b.commonStock, retainedEarnings: b.retainedEarnings, additionalPaidInCapital: 0,
    accumulatedOtherComprehensiveIncomeLoss: b.aoci, otherTotalStockholdersEquity: 0, totalStockholdersEquity,
    totalEquity: totalStockholdersEquity, minorityInterest: 0, totalLiabilitiesAndTotalEquity: totalLiabilities + totalStockholdersEquity,
    totalInvestments: b.sti + b.lti, totalDebt, netDebt: totalDebt - b.cash,
  };
}

interface OtherFlows {
  capex: number;
  sbc: number;
  buyback: number;
  dividends: number;
  purchases: number;
  sales: number;
}

function cashFlowLines(prev: Books, next: Books, income: IncomeFlows, f: OtherFlows): CashFlowLines {
  const delta = (key: keyof Books): number => next[key] - prev[key];
  const accountsReceivables = 0 - delta('receivables');
  const inventory = 0 - delta('inventory');
  const accountsPayables = delta('payables');
  const otherWorkingCapital = sum(OTHER_WC_LIABILITIES.map(delta)) - sum(OTHER_WC_ASSETS.map(delta));
  const changeInWorkingCapital = accountsReceivables + inventory + accountsPayables + otherWorkingCapital;
  const operating = income.netIncome + income.depreciationAndAmortization + f.sbc + changeInWorkingCapital;
  const investing = f.purchases + f.sales - f.capex;
  const shortTermNetDebtIssuance = delta('shortTermDebt');
  const longTermNetDebtIssuance = delta('longTermDebt');
  const netDebtIssuance = shortTermNetDebtIssuance + longTermNetDebtIssuance;
  const financing = netDebtIssuance - f.buyback - f.dividends;
  return {
    netIncome: income.netIncome, depreciationAndAmortization: income.depreciationAndAmortization, deferredIncomeTax: 0,
    stockBasedCompensation: f.sbc, changeInWorkingCapital, accountsReceivables, inventory, accountsPayables, otherWorkingCapital,
    otherNonCashItems: 0, netCashProvidedByOperatingActivities: operating, investmentsInPropertyPlantAndEquipment: 0 - f.capex,
    acquisitionsNet: 0, purchasesOfInvestments: f.purchases, salesMaturitiesOfInvestments: f.sales, otherInvestingActivities: 0,
    netCashProvidedByInvestingActivities: investing, netDebtIssuance, longTermNetDebtIssuance, shortTermNetDebtIssuance,
    netStockIssuance: 0 - f.buyback, netCommonStockIssuance: 0 - f.buyback, commonStockIssuance: 0, commonStockRepurchased: 0 - f.buyback,
    netPreferredStockIssuance: 0, netDividendsPaid: 0 - f.dividends, commonDividendsPaid: 0 - f.dividends, preferredDividendsPaid: 0,
    otherFinancingActivities: 0, netCashProvidedByFinancingActivities: financing, effectOfForexChangesOnCash: 0,
    netChangeInCash: operating + investing + financing, cashAtEndOfPeriod: next.cash, cashAtBeginningOfPeriod: prev.cash,
    operatingCashFlow: operating, capitalExpenditure: 0 - f.capex, freeCashFlow: operating - f.capex,
    incomeTaxesPaid: income.incomeTaxExpense, interestPaid: income.interestExpense,
  };
}
