import { describe, expect, it } from 'vitest';
import { addDays, nyInstant } from '../../calendar/index.js';
import { createMarket } from '../market/index.js';
import { isinCheckDigit } from './company-facts.js';
import { monthEnd } from './fiscal.js';
import { createFundamentals, type FiscalReport } from './fundamentals.js';
import { BALANCE_FIELDS, CASH_FLOW_FIELDS, INCOME_FIELDS } from './statement-fields.js';
import { testMarket } from './test-support/harness.js';

const market = testMarket();
const fundamentals = createFundamentals(market);
const bySymbol = new Map(market.symbols.map((s) => [s.symbol, fundamentals.reportsOf(s.symbol)]));
const reports: FiscalReport[] = [...bySymbol.values()].flat();
const quarters = reports.filter((r) => r.period !== 'FY');
const annuals = reports.filter((r) => r.period === 'FY');

/** The fiscal year's first day, from its end (a month end). */
function fiscalYearStart(end: string): string {
  return addDays(monthEnd(Number(end.slice(0, 4)) - 1, Number(end.slice(5, 7))), 1);
}

describe('createFundamentals', () => {
  it('reports on every common stock and on no ETF', () => {
    for (const s of market.symbols) {
      const own = bySymbol.get(s.symbol)!;
      if (s.type === 'ETF') expect(own).toEqual([]);
      else expect(own.length).toBeGreaterThan(0);
    }
    expect(annuals.length).toBeGreaterThan(60);
    expect(fundamentals.reportsOf('NOPE')).toEqual([]);
  });

  it('is a pure function of the market seed', () => {
    const again = createFundamentals(createMarket({ seed: 5, symbols: 60, start: market.start, end: market.end }));
    for (const s of market.symbols) expect(again.reportsOf(s.symbol)).toEqual(bySymbol.get(s.symbol));
    const other = createMarket({ seed: 6, symbols: 60, start: market.start, end: market.end });
    const otherReports = other.symbols.flatMap((s) => createFundamentals(other).reportsOf(s.symbol));
    expect(otherReports.map((r) => r.income.revenue)).not.toEqual(reports.map((r) => r.income.revenue));
  });

  it('carries every stable line item, in whole thousands of USD', () => {
    for (const r of reports) {
      expect(Object.keys(r.income)).toEqual(expect.arrayContaining([...INCOME_FIELDS]));
      expect(Object.keys(r.balance).sort()).toEqual([...BALANCE_FIELDS].sort());
      expect(Object.keys(r.cashFlow).sort()).toEqual([...CASH_FLOW_FIELDS].sort());
      expect(r.reportedCurrency).toBe('USD');
      const amounts = [
        ...INCOME_FIELDS.filter((f) => f !== 'eps' && f !== 'epsDiluted').map((f) => r.income[f]),
        ...BALANCE_FIELDS.map((f) => r.balance[f]),
        ...CASH_FLOW_FIELDS.map((f) => r.cashFlow[f]),
      ];
      expect(amounts.every((x) => Number.isSafeInteger(x) && x % 1000 === 0)).toBe(true);
    }
  });

  it('keeps the income statement internally consistent', () => {
    for (const { income: i } of reports) {
      expect(i.grossProfit).toBe(i.revenue - i.costOfRevenue);
      expect(i.sellingGeneralAndAdministrativeExpenses).toBe(i.sellingAndMarketingExpenses + i.generalAndAdministrativeExpenses);
      expect(i.operatingExpenses).toBe(i.researchAndDevelopmentExpenses + i.sellingGeneralAndAdministrativeExpenses + i.otherExpenses);
      expect(i.costAndExpenses).toBe(i.costOfRevenue + i.operatingExpenses);
      expect(i.operatingIncome).toBe(i.grossProfit - i.operatingExpenses);
      expect(i.netInterestIncome).toBe(i.interestIncome - i.interestExpense);
      expect(i.totalOtherIncomeExpensesNet).toBe(i.netInterestIncome + i.nonOperatingIncomeExcludingInterest);
      expect(i.incomeBeforeTax).toBe(i.operatingIncome + i.totalOtherIncomeExpensesNet);
      expect(i.netIncome).toBe(i.incomeBeforeTax - i.incomeTaxExpense);
      expect(i.bottomLineNetIncome).toBe(i.netIncome);
      expect(i.ebit).toBe(i.incomeBeforeTax + i.interestExpense);
      expect(i.ebitda).toBe(i.ebit + i.depreciationAndAmortization);
      expect(i.eps).toBe(Math.round((i.netIncome / i.weightedAverageShsOut) * 100) / 100 + 0);
      expect(i.epsDiluted).toBe(Math.round((i.netIncome / i.weightedAverageShsOutDil) * 100) / 100 + 0);
      expect(i.weightedAverageShsOutDil).toBeGreaterThanOrEqual(i.weightedAverageShsOut);
    }
    expect(reports.some((r) => r.income.netIncome < 0)).toBe(true);
    expect(reports.some((r) => r.income.netIncome > 0)).toBe(true);
  });

  it('balances every balance sheet, subtotals included', () => {
    for (const { balance: b } of reports) {
      expect(b.totalAssets).toBe(b.totalLiabilities + b.totalEquity);
      expect(b.totalLiabilitiesAndTotalEquity).toBe(b.totalAssets);
      expect(b.totalAssets).toBe(b.totalCurrentAssets + b.totalNonCurrentAssets + b.otherAssets);
      expect(b.totalCurrentAssets).toBe(b.cashAndShortTermInvestments + b.netReceivables + b.inventory + b.prepaids + b.otherCurrentAssets);
      expect(b.cashAndShortTermInvestments).toBe(b.cashAndCashEquivalents + b.shortTermInvestments);
      expect(b.netReceivables).toBe(b.accountsReceivables + b.otherReceivables);
      expect(b.totalNonCurrentAssets).toBe(b.propertyPlantEquipmentNet + b.goodwillAndIntangibleAssets + b.longTermInvestments + b.taxAssets + b.otherNonCurrentAssets);
      expect(b.totalLiabilities).toBe(b.totalCurrentLiabilities + b.totalNonCurrentLiabilities + b.otherLiabilities);
      expect(b.totalCurrentLiabilities).toBe(b.totalPayables + b.accruedExpenses + b.shortTermDebt + b.capitalLeaseObligationsCurrent + b.taxPayables + b.deferredRevenue + b.otherCurrentLiabilities);
      expect(b.totalStockholdersEquity).toBe(b.commonStock + b.retainedEarnings + b.accumulatedOtherComprehensiveIncomeLoss + b.additionalPaidInCapital + b.preferredStock + b.otherTotalStockholdersEquity - b.treasuryStock);
      expect(b.totalDebt).toBe(b.shortTermDebt + b.longTermDebt + b.capitalLeaseObligations);
      expect(b.netDebt).toBe(b.totalDebt - b.cashAndCashEquivalents);
      expect(b.cashAndCashEquivalents).toBeGreaterThan(0);
    }
  });

  it('reconciles each cash-flow statement with its income statement and balance sheets', () => {
    for (const { income, balance, cashFlow: c } of reports) {
      expect(c.netIncome).toBe(income.netIncome);
      expect(c.depreciationAndAmortization).toBe(income.depreciationAndAmortization);
      expect(c.changeInWorkingCapital).toBe(c.accountsReceivables + c.inventory + c.accountsPayables + c.otherWorkingCapital);
      expect(c.netCashProvidedByOperatingActivities).toBe(c.netIncome + c.depreciationAndAmortization + c.deferredIncomeTax + c.stockBasedCompensation + c.changeInWorkingCapital + c.otherNonCashItems);
      expect(c.netCashProvidedByInvestingActivities).toBe(c.investmentsInPropertyPlantAndEquipment + c.acquisitionsNet + c.purchasesOfInvestments + c.salesMaturitiesOfInvestments + c.otherInvestingActivities);
      expect(c.netCashProvidedByFinancingActivities).toBe(c.netDebtIssuance + c.netStockIssuance + c.netDividendsPaid + c.otherFinancingActivities);
      expect(c.netChangeInCash).toBe(c.netCashProvidedByOperatingActivities + c.netCashProvidedByInvestingActivities + c.netCashProvidedByFinancingActivities + c.effectOfForexChangesOnCash);
      expect(c.cashAtEndOfPeriod - c.cashAtBeginningOfPeriod).toBe(c.netChangeInCash);
      expect(c.cashAtEndOfPeriod).toBe(balance.cashAndCashEquivalents);
      expect(c.freeCashFlow).toBe(c.operatingCashFlow + c.capitalExpenditure);
      expect(c.capitalExpenditure).toBeLessThanOrEqual(0);
    }
  });

  it('chains quarters: each opens with the cash the previous one closed with', () => {
    for (const own of bySymbol.values()) {
      const qs = own.filter((r) => r.period !== 'FY');
      for (let i = 1; i < qs.length; i++) expect(qs[i]!.cashFlow.cashAtBeginningOfPeriod).toBe(qs[i - 1]!.cashFlow.cashAtEndOfPeriod);
    }
  });

  it('makes an annual report the sum of its four quarters, filed with the fourth', () => {
    let checked = 0;
    for (const own of bySymbol.values()) {
      for (const fy of own.filter((r) => r.period === 'FY')) {
        const year = own.filter((r) => r.period !== 'FY' && r.fiscalYear === fy.fiscalYear);
        const q4 = year.find((r) => r.period === 'Q4')!;
        expect(q4.date).toBe(fy.date);
        expect([q4.filingDate, q4.acceptedDate, q4.balance]).toEqual([fy.filingDate, fy.acceptedDate, fy.balance]);
        if (year.length < 4) continue; // the first quarters may precede the window (or the listing)
        checked++;
        for (const field of ['revenue', 'netIncome', 'costOfRevenue', 'incomeTaxExpense'] as const) {
          expect(fy.income[field]).toBe(year.reduce((t, q) => t + q.income[field], 0));
        }
        for (const field of ['netChangeInCash', 'netCashProvidedByOperatingActivities', 'commonDividendsPaid'] as const) {
          expect(fy.cashFlow[field]).toBe(year.reduce((t, q) => t + q.cashFlow[field], 0));
        }
        expect(fy.cashFlow.cashAtBeginningOfPeriod).toBe(year[0]!.cashFlow.cashAtBeginningOfPeriod);
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('dates periods inside the window and files them weeks later, on a business day', () => {
    for (const r of reports) {
      const info = market.symbol(r.symbol)!;
      expect(r.date >= market.start && r.date <= market.end).toBe(true);
      expect(r.date >= info.listDate).toBe(true);
      if (info.delistDate !== null) expect(r.filingDate < info.delistDate).toBe(true);
      expect(r.acceptedDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const acceptedDay = r.acceptedDate.slice(0, 10);
      expect(acceptedDay >= addDays(r.date, 25)).toBe(true);
      expect(r.filingDate >= acceptedDay).toBe(true);
      expect(r.acceptedMs).toBe(nyInstant(acceptedDay, r.acceptedDate.slice(11, 16)) + Number(r.acceptedDate.slice(17)) * 1000);
      expect(r.cik).toMatch(/^\d{10}$/);
      if (r.period === 'FY') expect(r.fiscalYear).toBe(r.date.slice(0, 4));
      expect(r.date).toBe(monthEnd(Number(r.date.slice(0, 4)), Number(r.date.slice(5, 7))));
    }
    const delisted = market.symbols.filter((s) => s.delistDate !== null && s.type === 'CS');
    expect(delisted.length).toBeGreaterThan(0);
  });

  it('counts shares in the terms of the filing, so EPS reflects every split gone ex by then', () => {
    const splitCs = market.splits.filter((s) => market.symbol(s.symbol)!.type === 'CS');
    expect(splitCs.length).toBeGreaterThan(0);
    let straddled = 0;
    for (const r of quarters) {
      const start = addDays(monthEnd(Number(r.date.slice(0, 4)), Number(r.date.slice(5, 7)) - 3), 1);
      const mid = addDays(start, Math.floor((Date.parse(r.date) - Date.parse(start)) / 86_400_000 / 2));
      const later = market.splitsOf(r.symbol).filter((s) => s.exDate > mid && s.exDate <= r.filingDate);
      const factor = later.reduce((f, s) => (f * s.newShares) / s.oldShares, 1);
      const expected = fundamentals.sharesOutstanding(r.symbol, mid)! * factor;
      expect(Math.abs(r.income.weightedAverageShsOut - expected)).toBeLessThanOrEqual(1000 * Math.max(1, factor));
    }
    for (const split of splitCs) {
      const qs = fundamentals.reportsOf(split.symbol).filter((r) => r.period !== 'FY');
      const before = qs.filter((r) => r.filingDate < split.exDate).at(-1);
      const after = qs.find((r) => r.filingDate >= split.exDate);
      if (!before || !after) continue;
      straddled++;
      const ratio = after.income.weightedAverageShsOut / before.income.weightedAverageShsOut;
      expect(ratio / (split.newShares / split.oldShares)).toBeGreaterThan(0.97);
      expect(ratio / (split.newShares / split.oldShares)).toBeLessThan(1.03);
    }
    expect(straddled).toBeGreaterThan(0);
  });

  it('pays out the market dividends: cash per share times the shares then outstanding', () => {
    for (const fy of annuals) {
      const start = fiscalYearStart(fy.date);
      const paid = market
        .dividendsOf(fy.symbol)
        .filter((d) => d.exDate >= start && d.exDate <= fy.date)
        .reduce((t, d) => t + Math.round((d.cash * fundamentals.sharesOutstanding(fy.symbol, d.exDate)!) / 1000) * 1000, 0);
      expect(0 - fy.cashFlow.commonDividendsPaid).toBe(paid);
    }
    const payers = new Set(market.dividends.map((d) => d.symbol));
    expect(annuals.some((r) => payers.has(r.symbol) && r.cashFlow.commonDividendsPaid < 0)).toBe(true);
    expect(annuals.filter((r) => !payers.has(r.symbol)).every((r) => r.cashFlow.commonDividendsPaid === 0)).toBe(true);
  });
});

describe('isinCheckDigit', () => {
  it('matches real ISINs', () => {
    expect(isinCheckDigit('US037833100')).toBe('5'); // Apple, US0378331005
    expect(isinCheckDigit('US594918104')).toBe('5'); // Microsoft, US5949181045
  });
});
