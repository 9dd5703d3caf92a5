import { BadRequest, EntitlementDenied } from '../../http/index.js';
import { lineage, optionalDate } from '../shared/index.js';
import { FMP_SYMBOL_RE, getRouted, type FmpContext } from './context.js';
import { FmpParameterNotEntitled } from './errors.js';
import { delistedSchema, type DelistedRow } from './schemas.js';
import { text, type DelistingRow } from './symbols.js';

const ENDPOINT = 'fmp.delisted_companies';
const PATH = '/delisted-companies';
/** The documented page size (vendors/fmp.md §3.2). */
export const DELISTED_PAGE_LIMIT = 100;
/** A cap on a paid plan's paging; reaching it is reported as truncation. */
export const DELISTED_MAX_PAGES = 200;

export interface FmpDelistedParams {
  /** @default DELISTED_MAX_PAGES */
  maxPages?: number;
  /** Rows per page. @default DELISTED_PAGE_LIMIT */
  limit?: number;
  signal?: AbortSignal;
}

export interface FmpDelistedResult {
  rows: DelistingRow[];
  /** Pages that answered with rows or a short/empty page. */
  pages: number;
  /** True when more pages may exist: paging refused by the plan (free: page 0 only) or the page cap reached. */
  truncated: boolean;
}

/**
 * `GET /stable/delisted-companies?page=N&limit=100` (0-based pages, newest delistings first),
 * until a short page. Free and Starter plans refuse `page >= 1` with a 402: paging stops there,
 * the result says `truncated`, and this client does not ask for page 1 again. Rows without a
 * delisting date cannot be keyed and are skipped; duplicates across pages (the list rolls while
 * we page) are dropped. Non-US rows are kept (exchange tells them apart).
 */
export async function fetchDelistedCompanies(ctx: FmpContext, params: FmpDelistedParams = {}): Promise<FmpDelistedResult> {
  const limit = positiveInt(params.limit ?? DELISTED_PAGE_LIMIT, 'limit');
  const maxPages = positiveInt(params.maxPages ?? DELISTED_MAX_PAGES, 'maxPages');
  const rows: DelistingRow[] = [];
  const seen = new Set<string>();
  for (let page = 0; page < maxPages; page += 1) {
    if (page > 0 && ctx.routes.isPagingRefused()) return { rows, pages: page, truncated: true };
    const body = await fetchPage(ctx, page, limit, params.signal);
    if (body === 'refused') {
      ctx.routes.refusePaging();
      return { rows, pages: page, truncated: true };
    }
    for (const row of pageRows(ctx, body)) {
      const key = `${row.symbol}\u0000${row.delisted_date}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(row);
    }
    if (body.items.length < limit) return { rows, pages: page + 1, truncated: false };
  }
  return { rows, pages: maxPages, truncated: true };
}

interface Page {
  items: DelistedRow[];
  redactedUrl: string;
}

async function fetchPage(ctx: FmpContext, page: number, limit: number, signal: AbortSignal | undefined): Promise<Page | 'refused'> {
  const target = { path: PATH, params: { page, limit }, schema: delistedSchema };
  // Later pages follow page 0's route: a page refusal must not be mistaken for a reason to try legacy.
  const legacy = page === 0 || ctx.routes.prefersLegacy(PATH) ? target : undefined;
  try {
    const { result } = await getRouted(ctx, { endpoint: ENDPOINT, stable: target, legacy, signal });
    return { items: result.body, redactedUrl: result.redactedUrl };
  } catch (error) {
    // Page 0 answered, so a denial now is about the page parameter, not the endpoint.
    if (page > 0 && (error instanceof FmpParameterNotEntitled || error instanceof EntitlementDenied)) return 'refused';
    throw error;
  }
}

function pageRows(ctx: FmpContext, page: Page): DelistingRow[] {
  const origin = lineage('fmp', page.redactedUrl, ctx.clock);
  const rows: DelistingRow[] = [];
  for (const item of page.items) {
    const delisted = optionalDate(item.delistedDate);
    if (delisted === null || !FMP_SYMBOL_RE.test(item.symbol)) {
      ctx.onSkip({ endpoint: ENDPOINT, value: JSON.stringify(item.symbol), reason: delisted === null ? 'no delisting date' : 'symbol fails the sanity check' });
      continue;
    }
    rows.push({ symbol: item.symbol, delisted_date: delisted, name: text(item.companyName), exchange: text(item.exchange), ipo_date: optionalDate(item.ipoDate), ...origin });
  }
  return rows;
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new BadRequest(`${name} must be a positive integer, got ${String(value)}`, { vendor: 'fmp', endpoint: ENDPOINT });
  return value;
}
