/** Stable statement line items, in the order FMP sends them (fixtures `stable_*_statement_AAPL_FY2025.json`). */
export const INCOME_FIELDS = [
  'revenue', 'costOfRevenue', 'grossProfit', 'researchAndDevelopmentExpenses', 'generalAndAdministrativeExpenses',
  'sellingAndMarketingExpenses', 'sellingGeneralAndAdministrativeExpenses', 'otherExpenses', 'operatingExpenses',
  'costAndExpenses', 'netInterestIncome', 'interestIncome', 'interestExpense', 'depreciationAndAmortization', 'ebitda',
  'ebit', 'nonOperatingIncomeExcludingInterest', 'operatingIncome', 'totalOtherIncomeExpensesNet', 'incomeBeforeTax',
  'incomeTaxExpense', 'netIncomeFromContinuingOperations', 'netIncomeFromDiscontinuedOperations',
  'otherAdjustmentsToNetIncome', 'netIncome', 'netIncomeDeductions', 'bottomLineNetIncome', 'eps', 'epsDiluted',
  'weightedAverageShsOut', 'weightedAverageShsOutDil',
] as const;

export const BALANCE_FIELDS = [
  'cashAndCashEquivalents', 'shortTermInvestments', 'cashAndShortTermInvestments', 'netReceivables', 'accountsReceivables',
  'otherReceivables', 'inventory', 'prepaids', 'otherCurrentAssets', 'totalCurrentAssets', 'propertyPlantEquipmentNet',
  'goodwill', 'intangibleAssets', 'goodwillAndIntangibleAssets', 'longTermInvestments', 'taxAssets', 'otherNonCurrentAssets',
  'totalNonCurrentAssets', 'otherAssets', 'totalAssets', 'totalPayables', 'accountPayables', 'otherPayables',
  'accruedExpenses', 'shortTermDebt', 'capitalLeaseObligationsCurrent', 'taxPayables', 'deferredRevenue',
  'otherCurrentLiabilities', 'totalCurrentLiabilities', 'longTermDebt', 'capitalLeaseObligationsNonCurrent',
  'deferredRevenueNonCurrent', 'deferredTaxLiabilitiesNonCurrent', 'otherNonCurrentLiabilities',
  'totalNonCurrentLiabilities', 'otherLiabilities', 'capitalLeaseObligations', 'totalLiabilities', 'treasuryStock',
  'preferredStock', 'commonStock', 'retainedEarnings', 'additionalPaidInCapital', 'accumulatedOtherComprehensiveIncomeLoss',
  'otherTotalStockholdersEquity', 'totalStockholdersEquity', 'totalEquity', 'minorityInterest',
  'totalLiabilitiesAndTotalEquity', 'totalInvestments', 'totalDebt', 'netDebt',
] as const;

export const CASH_FLOW_FIELDS = [
  'netIncome', 'depreciationAndAmortization', 'deferredIncomeTax', 'stockBasedCompensation', 'changeInWorkingCapital',
  'accountsReceivables', 'inventory', 'accountsPayables', 'otherWorkingCapital', 'otherNonCashItems',
  'netCashProvidedByOperatingActivities', 'investmentsInPropertyPlantAndEquipment', 'acquisitionsNet',
  'purchasesOfInvestments', 'salesMaturitiesOfInvestments', 'otherInvestingActivities',
  'netCashProvidedByInvestingActivities', 'netDebtIssuance', 'longTermNetDebtIssuance', 'shortTermNetDebtIssuance',
  'netStockIssuance', 'netCommonStockIssuance', 'commonStockIssuance', 'commonStockRepurchased',
  'netPreferredStockIssuance', 'netDividendsPaid', 'commonDividendsPaid', 'preferredDividendsPaid',
  'otherFinancingActivities', 'netCashProvidedByFinancingActivities', 'effectOfForexChangesOnCash', 'netChangeInCash',
  'cashAtEndOfPeriod', 'cashAtBeginningOfPeriod', 'operatingCashFlow', 'capitalExpenditure', 'freeCashFlow',
  'incomeTaxesPaid', 'interestPaid',
] as const;

export type IncomeField = (typeof INCOME_FIELDS)[number];
export type BalanceField = (typeof BALANCE_FIELDS)[number];
export type CashFlowField = (typeof CASH_FLOW_FIELDS)[number];

/** Amounts in USD (whole dollars, multiples of 1,000); `eps`/`epsDiluted` in USD per share; shares in shares. */
export type IncomeLines = Record<IncomeField, number>;
export type BalanceLines = Record<BalanceField, number>;
export type CashFlowLines = Record<CashFlowField, number>;

/** Balances, not flows: an annual cash-flow row does not sum them over its quarters. */
export const CASH_FLOW_STOCK_FIELDS: ReadonlySet<CashFlowField> = new Set(['cashAtEndOfPeriod', 'cashAtBeginningOfPeriod']);
