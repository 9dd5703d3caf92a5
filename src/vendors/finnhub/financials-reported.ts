import type { RowFor } from '../../catalog/index.js';
import { BadRequest, buildUrl } from '../../http/index.js';
import { lineage, optionalDate, requireDate, requireOrderedRange, type Lineage } from '../shared/index.js';
import { requireSymbol, type FinnhubContext } from './context.js';
import { nyStampToUtc, snakeCase } from './names.js';
import { financialsReportedSchema, type FinnhubFiling, type ReportLine } from './schemas.js';

type FundamentalRow = RowFor<'fundamentals'>;

export interface FinnhubFinancialsOptions {
  /** @default 'annual' */
  freq?: 'annual' | 'quarterly';
  /** Inclusive bounds on the period end (`endDate`). */
  from?: string;
  to?: string;
  signal?: AbortSignal;
}

const ENDPOINT = 'finnhub.symbols';
const SECTIONS = [
  ['bs', 'balance'],
  ['ic', 'income'],
  ['cf', 'cashflow'],
] as const;

interface Line {
  concept: string;
  unit: string | null;
  value: unknown;
}

/**
 * `GET /stock/financials-reported?symbol=S&freq=…` (free, vendors/finnhub.md §3.9) in the long
 * `fundamentals` format: one row per filing, statement and XBRL line. No endpoint id of its own:
 * counted against `finnhub.symbols`. The mapping:
 * - `bs`/`ic`/`cf` → `balance`/`income`/`cashflow`; both section shapes are read (the docs' map
 *   concept → value, the live array of `{concept, label, unit, value}`).
 * - `metric` is the concept in snake_case, the `us-gaap` prefix dropped (`us-gaap_NetIncomeLoss` →
 *   `net_income_loss`); a company extension keeps its prefix (`aapl_…`). These are XBRL names, not
 *   FMP's (`net_income`): no cross-vendor renaming is attempted here.
 * - `period_end` = `endDate`, `fiscal_year` = `year`, `fiscal_period` = `FY` for `quarter` 0 or a
 *   10-K, else `Q1`…`Q4`; figures are as filed (10-Q cash flows are year-to-date).
 * - `currency` from the line's unit (`usd`, `usd/shares` → `USD`); null when the unit is not a
 *   currency or absent (map shape). `filing_date` = `filedDate`; `accepted_at` = `acceptedDate`
 *   read as New York time (see nyStampToUtc).
 * A line with a non-numeric value or a second line for the same metric is skipped and reported;
 * a filing of another symbol is skipped and reported.
 */
export async function fetchFinancialsReported(ctx: FinnhubContext, symbol: string, options: FinnhubFinancialsOptions = {}): Promise<FundamentalRow[]> {
  requireSymbol(symbol, ENDPOINT);
  const freq = options.freq ?? 'annual';
  if (freq !== 'annual' && freq !== 'quarterly') throw new BadRequest(`freq must be "annual" or "quarterly", got ${JSON.stringify(freq)}`, { vendor: 'finnhub', endpoint: ENDPOINT });
  if (options.from !== undefined) requireDate(options.from, 'from', 'finnhub', ENDPOINT);
  if (options.to !== undefined) requireDate(options.to, 'to', 'finnhub', ENDPOINT);
  if (options.from !== undefined && options.to !== undefined) requireOrderedRange(options.from, options.to, 'finnhub', ENDPOINT);
  const url = buildUrl(ctx.baseUrl, '/stock/financials-reported', { symbol, freq, from: options.from, to: options.to });
  const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: financialsReportedSchema, signal: options.signal });
  const origin = lineage('finnhub', result.redactedUrl, ctx.clock);
  const rows: FundamentalRow[] = [];
  for (const filing of result.body.data) {
    if (filing.symbol && filing.symbol.toUpperCase() !== symbol.toUpperCase()) {
      ctx.onSkip({ endpoint: ENDPOINT, value: JSON.stringify(filing.symbol), reason: `filing of another symbol than the requested ${symbol}` });
      continue;
    }
    rows.push(...filingRows(ctx, symbol, filing, origin));
  }
  return rows;
}

function filingRows(ctx: FinnhubContext, symbol: string, filing: FinnhubFiling, origin: Lineage): FundamentalRow[] {
  const period = {
    symbol,
    period_end: filing.endDate.slice(0, 10),
    fiscal_year: filing.year,
    fiscal_period: filing.quarter === 0 || /^10-K/i.test(filing.form ?? '') ? 'FY' : `Q${filing.quarter}`,
    filing_date: optionalDate(filing.filedDate),
    accepted_at: nyStampToUtc(filing.acceptedDate),
  };
  const rows: FundamentalRow[] = [];
  for (const [key, statement] of SECTIONS) {
    const seen = new Set<string>();
    for (const line of linesOf(filing.report[key])) {
      const metric = metricOf(line.concept);
      const where = `${statement} ${period.period_end} ${period.fiscal_period} ${line.concept}`;
      if (line.value === null || line.value === undefined) continue;
      if (typeof line.value !== 'number' || !Number.isFinite(line.value)) {
        ctx.onSkip({ endpoint: ENDPOINT, value: JSON.stringify(line.value), reason: `${where}: not a number` });
        continue;
      }
      if (metric === '' || seen.has(metric)) {
        ctx.onSkip({ endpoint: ENDPOINT, value: JSON.stringify(line.concept), reason: `${where}: ${metric === '' ? 'no usable name' : 'second line for the same metric, the first kept'}` });
        continue;
      }
      seen.add(metric);
      rows.push({ ...period, statement, currency: currencyOf(line.unit), metric, value: line.value, ...origin });
    }
  }
  return rows;
}

function linesOf(section: ReportLine[] | Record<string, unknown> | null | undefined): Line[] {
  if (section === null || section === undefined) return [];
  if (Array.isArray(section)) return section.map((line) => ({ concept: line.concept, unit: line.unit ?? null, value: line.value }));
  return Object.entries(section).map(([concept, value]) => ({ concept, unit: null, value }));
}

function metricOf(concept: string): string {
  return snakeCase(concept.replace(/^us-gaap[_:]/i, ''));
}

function currencyOf(unit: string | null): string | null {
  const match = unit === null ? null : /^([a-z]{3})(?:\/|$)/i.exec(unit.trim());
  return match?.[1] ? match[1].toUpperCase() : null;
}
