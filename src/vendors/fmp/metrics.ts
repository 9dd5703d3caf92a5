import { nyInstant } from '../../calendar/index.js';
import { instantMs, isIsoDate } from '../shared/index.js';

/** Statement fields that describe the row, not a line item: never metrics, even when numeric. */
const NOT_METRICS = new Set([
  'date',
  'symbol',
  'reportedCurrency',
  'cik',
  'filingDate',
  'fillingDate',
  'acceptedDate',
  'fiscalYear',
  'calendarYear',
  'period',
  'link',
  'finalLink',
  // Legacy v3 ratios: derived from other line items, dropped by stable (vendors/fmp.md §3.4).
  'grossProfitRatio',
  'ebitdaratio',
  'operatingIncomeRatio',
  'incomeBeforeTaxRatio',
  'netIncomeRatio',
]);

/**
 * Legacy v3 spellings of the same line item as a stable field, so one metric name serves both.
 * Legacy items without an exact stable twin (`dividendsPaid`, `debtRepayment`) keep their own name.
 */
const LEGACY_RENAMES = new Map<string, string>([
  ['epsdiluted', 'epsDiluted'],
  ['othertotalStockholdersEquity', 'otherTotalStockholdersEquity'],
  ['totalLiabilitiesAndStockholdersEquity', 'totalLiabilitiesAndTotalEquity'],
  ['otherInvestingActivites', 'otherInvestingActivities'],
  ['netCashUsedForInvestingActivites', 'netCashProvidedByInvestingActivities'],
  ['otherFinancingActivites', 'otherFinancingActivities'],
  ['netCashUsedProvidedByFinancingActivities', 'netCashProvidedByFinancingActivities'],
  ['commonStockIssued', 'commonStockIssuance'],
]);

/** `netIncome` → `net_income`, `weightedAverageShsOutDil` → `weighted_average_shs_out_dil`, `EBITDAMargin` → `ebitda_margin`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The canonical metric name of an FMP statement field, stable or legacy (`epsdiluted` → `eps_diluted`). */
export function metricName(field: string): string {
  return snakeCase(LEGACY_RENAMES.get(field) ?? field);
}

/**
 * The numeric line items of one statement row, in the row's field order, keyed by metric name.
 * Strings, booleans and nulls are not metrics (cik, links, a null line item). When a legacy and a
 * stable spelling both appear, the first one wins. FMP writes 0 where it has no line item.
 */
export function statementMetrics(row: Record<string, unknown>): Map<string, number> {
  const metrics = new Map<string, number>();
  for (const [field, value] of Object.entries(row)) {
    if (NOT_METRICS.has(field) || typeof value !== 'number' || !Number.isFinite(value)) continue;
    const metric = metricName(field);
    if (!metrics.has(metric)) metrics.set(metric, value);
  }
  return metrics;
}

const NY_STAMP_RE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `acceptedDate` is the SEC acceptance time as `YYYY-MM-DD HH:MM:SS` in New York wall-clock time
 * with no zone (vendors/fmp.md §3); it becomes an ISO UTC instant (`2025-10-31 06:01:26` EDT →
 * `2025-10-31T10:01:26.000Z`). A value that names its zone is taken as it says; junk is null.
 */
export function acceptedAtUtc(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const match = NY_STAMP_RE.exec(value.trim());
  if (!match) {
    const ms = instantMs(value.trim());
    return ms === undefined ? null : new Date(ms).toISOString();
  }
  const [, date = '', hh = '', mm = '', ss = '0'] = match;
  if (!isIsoDate(date) || Number(ss) > 59) return null;
  try {
    return new Date(nyInstant(date, `${hh}:${mm}`) + Number(ss) * 1000).toISOString();
  } catch {
    return null;
  }
}
