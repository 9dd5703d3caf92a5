import type { RowFor, SymbolRow } from '../../catalog/index.js';
import { describeIssues, type HttpResult } from '../../http/index.js';
import { lineage, requireDate, type Lineage } from '../shared/index.js';
import { AV_HEADERS, AV_SYMBOL_RE, payloadBroken, queryUrl, requireNotBefore, type AvContext } from './context.js';
import { CsvError, parseCsv, type CsvRecord } from './csv.js';
import { LISTING_COLUMNS, listingRecordSchema, type ListingRecord } from './schemas.js';

export type DelistingRow = RowFor<'delistings'>;

export interface AvListingOptions {
  /** `active` (default) or `delisted`: two separate calls. */
  state?: 'active' | 'delisted';
  /** As-of date (`YYYY-MM-DD`, from 2010-01-01): the universe as it stood then. Default: latest session. */
  date?: string;
  signal?: AbortSignal;
}

const ENDPOINT = 'av.listing_status';
/** "Any YYYY-MM-DD date later than 2010-01-01 is supported" (official MCP tool docstring). */
const EARLIEST_AS_OF = '2010-01-01';
/** The whole US universe in one CSV (thousands of rows): give it more than the default timeout. */
const LISTING_TIMEOUT_MS = 60_000;

interface Listing {
  records: ListingRecord[];
  origin: Lineage;
}

/**
 * `LISTING_STATUS&state=…[&date=…]` (CSV, vendors/alphavantage.md §3.2) as symbol rows, one request.
 * `status` comes from each record (`Active`/`Delisted`); the text `null` and empty cells are null.
 */
export async function fetchListingStatus(ctx: AvContext, options: AvListingOptions = {}): Promise<SymbolRow[]> {
  const { records, origin } = await fetchListing(ctx, options);
  const rows = new Map<string, SymbolRow>();
  for (const r of records) {
    const row: SymbolRow = {
      symbol: r.symbol,
      name: r.name || null,
      exchange: r.exchange || null,
      asset_type: r.assetType || null,
      status: r.status,
      ipo_date: r.ipoDate,
      delisted_date: r.delistingDate,
      ...origin,
    };
    // Tickers are reused: a listing is (symbol, ipo, delisting), not symbol alone.
    const key = `${row.symbol}|${row.status}|${row.ipo_date}|${row.delisted_date}`;
    if (!rows.has(key)) rows.set(key, row);
  }
  return [...rows.values()];
}

/**
 * `LISTING_STATUS&state=delisted` as delisting rows, one request: every delisted US stock and ETF
 * since 2010 with AV's own delisting date (which can differ from other vendors' by days; stored as
 * sent, reconciled by the curator). A record without a delisting date is skipped with a notice.
 */
export async function fetchDelistings(ctx: AvContext, options: Omit<AvListingOptions, 'state'> = {}): Promise<DelistingRow[]> {
  const { records, origin } = await fetchListing(ctx, { ...options, state: 'delisted' });
  const rows = new Map<string, DelistingRow>();
  for (const r of records) {
    if (r.delistingDate === null) {
      ctx.onNotice({ endpoint: ENDPOINT, kind: 'skipped', value: JSON.stringify(r.symbol), reason: 'delisted record without a delistingDate' });
      continue;
    }
    const row: DelistingRow = { symbol: r.symbol, delisted_date: r.delistingDate, name: r.name || null, exchange: r.exchange || null, ipo_date: r.ipoDate, ...origin };
    const key = `${row.symbol}|${row.delisted_date}|${row.ipo_date}`;
    if (!rows.has(key)) rows.set(key, row);
  }
  return [...rows.values()];
}

async function fetchListing(ctx: AvContext, options: AvListingOptions): Promise<Listing> {
  if (options.date !== undefined) {
    requireDate(options.date, 'date', 'av', ENDPOINT);
    requireNotBefore(options.date, EARLIEST_AS_OF, 'date', ENDPOINT);
  }
  const url = queryUrl(ctx, 'LISTING_STATUS', { state: options.state ?? 'active', date: options.date });
  // Throttles and refusals come back as JSON even here; the classifier has already turned those into errors.
  const result = await ctx.http.getText(url, { endpoint: ENDPOINT, headers: AV_HEADERS, signal: options.signal, timeoutMs: LISTING_TIMEOUT_MS });
  return { records: readListingCsv(ctx, result), origin: lineage('av', result.redactedUrl, ctx.clock) };
}

/** Header by name (order-tolerant, extra columns ignored); a missing column, a ragged record or a bad value is Malformed. */
function readListingCsv(ctx: AvContext, result: HttpResult<string>): ListingRecord[] {
  const malformed = (reason: string) => payloadBroken(ctx, result, ENDPOINT, reason);
  if (result.body.trimStart().startsWith('{')) throw malformed('expected CSV, got a JSON object');
  let table: CsvRecord[];
  try {
    table = parseCsv(result.body);
  } catch (error) {
    if (error instanceof CsvError) throw malformed(error.message);
    throw error;
  }
  const [header, ...body] = table;
  if (header === undefined) throw malformed('empty body: no CSV header');
  const names = header.fields.map((name) => name.trim());
  const missing = LISTING_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) throw malformed(`CSV header lacks ${missing.join(', ')} (got ${names.join(',')})`);
  const records: ListingRecord[] = [];
  for (const { fields, line } of body) {
    if (fields.length !== names.length) throw malformed(`CSV line ${line}: ${fields.length} fields, header has ${names.length}`);
    const parsed = listingRecordSchema.safeParse(Object.fromEntries(names.map((name, i) => [name, fields[i]])));
    if (!parsed.success) throw malformed(`CSV line ${line}: ${describeIssues(parsed.error.issues)}`);
    if (!AV_SYMBOL_RE.test(parsed.data.symbol)) {
      ctx.onNotice({ endpoint: ENDPOINT, kind: 'skipped', value: JSON.stringify(parsed.data.symbol), reason: `CSV line ${line}: symbol fails the sanity check` });
      continue;
    }
    records.push(parsed.data);
  }
  return records;
}
